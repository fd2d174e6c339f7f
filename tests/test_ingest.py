"""Ingest over real files made by the libraries that write them, good and broken."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path

import pytest

from consistency import ingest
from consistency.cli import cli
from consistency.gold import load_gold, load_golds, parse_gold
from consistency.models import IngestError

CORPORA = Path(__file__).parent.parent / "corpora"
GOLD = sorted(CORPORA.glob("*.json"))

LANDING_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Spring Getaway | Seaside Hotel</title>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}</script>
<style>.hero{color:#fff}</style></head>
<body>
<div id="cookie-banner" class="cookie-consent">
  <p>We use cookies to improve your experience. By continuing you accept our cookie policy.</p>
  <button>Accept all cookies</button><button>Manage preferences</button>
</div>
<header class="site-header"><a href="/" class="logo">Seaside Hotel</a>
  <nav class="main-nav"><ul><li><a href="/rooms">Rooms</a></li><li><a href="/dining">Dining</a></li>
  <li><a href="/spa">Spa &amp; Wellness</a></li>
  <li><a href="/contact">Contact us</a></li></ul></nav>
</header>
<main>
  <section class="hero"><h1>Spring getaway by the sea</h1>
    <p>Book two nights this spring and late checkout until 2 pm is on us.</p></section>
  <section class="perks"><h2>What's included</h2>
    <ul><li>Free breakfast for two every morning, served until 11 am.</li>
      <li>Free parking for every guest, right by the entrance.</li>
      <li>A welcome bottle of cava waiting in your room.</li></ul></section>
  <section><h2>Flexible when plans change</h2>
    <p>Cancel free of charge up to 48 hours before arrival. We refund your deposit within
    5 business days.</p></section>
</main>
<footer class="site-footer"><p>&copy; 2026 Seaside Hotel Ltd. All rights reserved.</p>
  <ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/careers">Careers</a></li></ul>
</footer>
<script src="/js/app.js"></script>
<script>document.querySelector('.btn')
  .addEventListener('click', function(){track('book')});</script>
</body></html>
"""

DIV_SOUP = """<html><body>
<div class="topbar"><a href="/">Personal</a> <a href="/business">Business</a> <a>Log in</a></div>
<div class="hero"><div class="hero-title">Banking that keeps up with you</div>
<div class="hero-sub">Open your account in minutes in the app, no branch visit needed.</div></div>
<div class="cards"><div class="card"><h3>Instant transfers</h3>
<div>Send money to any UK account instantly and for free.</div></div>
<div class="card"><h3>Travel</h3><div>No foreign transaction fees.</div></div></div>
<div class="footer">Harbour Bank plc is authorised by the PRA. <a href="/privacy">Privacy</a></div>
</body></html>"""

GOLD_DATA = {
    "format": "hinge-gold/1",
    "name": "seaside-hotel",
    "documents": [
        {
            "id": "spring-promo",
            "kind": "campaign",
            "title": "Spring getaway",
            "channel": "email",
            "valid_from": "2026-03-01",
            "valid_until": "2026-05-31",
            "text": "Spring is here! Book two nights and late checkout until 2 pm is on us.",
        },
        {
            "id": "frontdesk-sop",
            "kind": "procedure",
            "team": "front desk",
            "text": "Standard check-out time is 11:00. Late check-out until 12:00 is free.",
        },
    ],
    "promises": [
        {
            "id": "p1",
            "document": "spring-promo",
            "text": "Book two nights and late checkout until 2 pm is on us.",
            "verdict": "contradicted",
            "evidence": ["Late check-out until 12:00 is free"],
        }
    ],
}


def _pdf(text: str | None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    if text:
        pdf.multi_cell(0, 8, text)
    else:
        pdf.rect(20, 20, 100, 60, style="F")  # a "scan": ink, no text layer
    return bytes(pdf.output())


def _docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Seaside Hotel - internal"
    d.sections[0].footer.paragraphs[0].text = "Version 3, approved by the GM"
    d.add_heading("Front desk: check-out", level=1)
    d.add_paragraph("Standard check-out time is 11:00.")
    d.add_paragraph("Offer late check-out until 12:00 free of charge.", style="List Bullet")
    d.add_paragraph("Charge EUR 20 for late check-out until 14:00.", style="List Bullet")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Room type", "Latest check-out"
    table.cell(1, 0).text, table.cell(1, 1).text = "Suite", "15:00"
    d.save(path)
    return path


def _error(path: Path | str, **options) -> IngestError:
    with pytest.raises(IngestError) as info:
        ingest.read_path(path, **options)
    return info.value


# -- formats -------------------------------------------------------------------------------


def test_txt_normalises_newlines_and_titles_from_first_line(tmp_path):
    f = tmp_path / "sop.txt"
    f.write_bytes(
        b"\r\n  Check-out rules  \r\nLate check-out is free.\r\n\r\n\r\n\r\nAsk first.\r\n"
    )
    (doc,) = ingest.read_path(f, kind="procedure", team="front desk")
    assert doc.text == "Check-out rules\nLate check-out is free.\n\nAsk first."
    assert doc.title == "Check-out rules" and doc.kind == "procedure"
    assert doc.team == "front desk" and doc.language is None
    assert doc.source == str(f.resolve()) and doc.warnings == []


def test_long_first_line_title_is_cut_and_stem_is_the_last_resort(tmp_path):
    long = "Word " * 40
    (doc,) = ingest.read_text(long + "\nMore.", kind="campaign")
    assert len(doc.title) <= 80 and doc.title.endswith("…")
    (doc,) = ingest.read_text("Short.", kind="campaign", title="Draft email")
    assert doc.title == "Draft email" and doc.source == "-"


def test_cp1252_is_read_with_a_warning(tmp_path):
    f = tmp_path / "promo.txt"
    f.write_bytes("Café opens at 7 – breakfast included.".encode("cp1252"))
    (doc,) = ingest.read_path(f, kind="campaign")
    assert doc.text == "Café opens at 7 – breakfast included."
    assert any("Windows-1252" in w for w in doc.warnings)


def test_utf8_bom_is_dropped(tmp_path):
    f = tmp_path / "promo.txt"
    f.write_bytes("\ufeffFree parking.".encode())
    assert ingest.read_path(f, kind="campaign")[0].text == "Free parking."


def test_markdown_becomes_plain_lines_with_bullets(tmp_path):
    f = tmp_path / "spring.md"
    f.write_text(
        "# Spring getaway\n\nBook two nights and **late checkout** until 2 pm is\n"
        "[on us](https://example.com).\n\n## What's included\n\n* Free breakfast\n"
        "* Free *parking*\n  * for every guest\n\n1. Book online\n2. Show up\n\n"
        "| Room | Price |\n|---|---|\n| Suite | EUR 200 |\n",
        encoding="utf-8",
    )
    (doc,) = ingest.read_path(f, kind="campaign")
    lines = doc.text.split("\n")
    assert lines[:2] == ["Spring getaway", ""]
    assert "Book two nights and late checkout until 2 pm is on us." in lines
    assert "What's included" in lines
    assert "- Free breakfast" in lines and "- Free parking" in lines
    assert "  - for every guest" in lines and "- Book online" in lines
    assert "Suite | EUR 200" in lines
    for markup in ("#", "**", "](", "https://", "|---"):
        assert markup not in doc.text
    assert doc.title == "Spring getaway"


def test_landing_page_keeps_marketing_copy_only(tmp_path):
    f = tmp_path / "spring.html"
    f.write_text(LANDING_PAGE, encoding="utf-8")
    (doc,) = ingest.read_path(f, kind="campaign", channel="web")
    lines = doc.text.split("\n")
    assert doc.title == "Spring getaway by the sea"
    for kept in (
        "Spring getaway by the sea",
        "Book two nights this spring and late checkout until 2 pm is on us.",
        "What's included",
        "- Free breakfast for two every morning, served until 11 am.",
        "- Free parking for every guest, right by the entrance.",
    ):
        assert kept in lines, kept
    assert "refund your deposit within 5 business days." in doc.text
    for dropped in ("cookie", "Accept all", "Rooms", "Dining", "Contact us", "Privacy",
                    "Careers", "All rights reserved", "gtag", "track(", "color:", "<"):  # fmt: skip
        assert dropped not in doc.text, dropped


def test_div_soup_page_falls_back_to_block_structure():
    (doc,) = ingest.read_bytes(DIV_SOUP.encode(), "bank.htm", kind="campaign")
    lines = doc.text.split("\n")
    assert "Banking that keeps up with you" in lines
    assert "Send money to any UK account instantly and for free." in lines
    assert "Log in" not in doc.text and "authorised by the PRA" not in doc.text


def test_docx_paragraphs_lists_tables_headers_and_footers(tmp_path):
    (doc,) = ingest.read_path(_docx(tmp_path / "checkout.docx"), kind="procedure")
    lines = doc.text.split("\n")
    assert doc.title == "Front desk: check-out"
    assert "Standard check-out time is 11:00." in lines
    assert "- Offer late check-out until 12:00 free of charge." in lines
    assert "- Charge EUR 20 for late check-out until 14:00." in lines
    assert "Room type | Latest check-out" in lines and "Suite | 15:00" in lines
    assert "Seaside Hotel - internal" in lines and "Version 3, approved by the GM" in lines


def test_pdf_text_layer(tmp_path):
    f = tmp_path / "sop.pdf"
    f.write_bytes(_pdf("Refunds are issued within five business days. Ask for the receipt."))
    (doc,) = ingest.read_path(f, kind="procedure")
    assert "Refunds are issued within five business days." in doc.text


def test_csv_one_document_per_row_with_columns_by_header(tmp_path):
    f = tmp_path / "emails.csv"
    f.write_text(
        "Subject,Message,Channel,valid_until,kind\n"
        'Spring,"Book two nights, get late checkout free.",email,2026-05-31,\n'
        ",,email,,\n"
        "Desk,Late check-out until 12:00 is free.,,,procedure\n",
        encoding="utf-8",
    )
    docs = ingest.read_path(f, kind="campaign")
    assert [d.source for d in docs] == [f"{f.resolve()}#row1", f"{f.resolve()}#row3"]
    assert docs[0].text == "Book two nights, get late checkout free."
    assert (docs[0].kind, docs[0].channel, docs[0].valid_until) == (
        "campaign",
        "email",
        "2026-05-31",
    )
    assert docs[1].kind == "procedure" and docs[1].title == "Late check-out until 12:00 is free."


def test_csv_text_column_option_and_semicolons(tmp_path):
    f = tmp_path / "steps.csv"
    f.write_text("id;title;instruction\n1;Refunds;Refund within 5 days.\n", encoding="utf-8")
    (doc,) = ingest.read_path(f, kind="procedure", text_column="Instruction")
    assert doc.text == "Refund within 5 days." and doc.title == "Refunds"
    err = _error(f, kind="procedure")
    assert "no text column" in err.problem and "--text-column" in err.hint
    err = _error(f, kind="procedure", text_column="nope")
    assert "nope" in err.problem and "instruction" in err.problem


def test_csv_without_kind_column_needs_a_kind(tmp_path):
    f = tmp_path / "m.csv"
    f.write_text("text\nFree parking.\n", encoding="utf-8")
    err = _error(f)
    assert "#row1" in str(err) and err.hint == "pass --kind campaign or --kind procedure"


def test_gold_json_documents_are_stable_and_organised(tmp_path):
    f = tmp_path / "seaside.json"
    f.write_text(json.dumps(GOLD_DATA), encoding="utf-8")
    docs = ingest.read_path(f)
    assert [d.source for d in docs] == ["seaside-hotel#spring-promo", "seaside-hotel#frontdesk-sop"]
    promo, sop = docs
    assert (promo.kind, promo.title, promo.channel, promo.valid_from) == (
        "campaign", "Spring getaway", "email", "2026-03-01",
    )  # fmt: skip
    assert sop.title == "frontdesk-sop" and sop.team == "front desk" and sop.language == "en"
    assert sop.organisation == "seaside-hotel"
    assert sop.meta == {"gold_id": "frontdesk-sop", "corpus": "seaside-hotel"}
    corpus = load_gold(f)
    assert corpus.name == "seaside-hotel" and corpus.path == str(f)
    assert corpus.promises[0].evidence == ["Late check-out until 12:00 is free"]


@pytest.mark.skipif(not GOLD, reason="no bundled corpora")
@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_bundled_corpora_are_valid_gold(path):
    corpus = load_gold(path)
    assert corpus.documents and corpus.promises


@pytest.mark.skipif(not GOLD, reason="no bundled corpora")
def test_two_gold_files_of_one_name_are_refused(tmp_path):
    copy = tmp_path / "copy.json"
    copy.write_bytes(GOLD[0].read_bytes())
    with pytest.raises(IngestError, match=r"copy\.json.*corpus name"):
        load_golds([GOLD[0], copy])
    assert [c.name for c in load_golds(GOLD[:2])] == [load_gold(p).name for p in GOLD[:2]]


def _broken(change) -> dict:
    data = copy.deepcopy(GOLD_DATA)
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("format"), '"format" is missing'),
        (lambda d: d.update(format="hinge-gold/2"), "hinge-gold/2"),
        (lambda d: d.pop("name"), '"name" is missing'),
        (lambda d: d["documents"][0].update(kind="ad"), "kind 'ad'"),
        (lambda d: d["documents"][1].update(id="spring-promo"), "duplicate document id"),
        (lambda d: d["promises"].append(dict(d["promises"][0])), "duplicate promise id"),
        (lambda d: d["documents"][1].update(text="  "), "'text' is empty"),
        (lambda d: d["promises"][0].update(document="nope"), "unknown document 'nope'"),
        (lambda d: d["promises"][0].update(document="frontdesk-sop"), "a procedure"),
        (lambda d: d["promises"][0].update(text="Late checkout is free."), "exact substring"),
        (lambda d: d["promises"][0].update(verdict="maybe"), "verdict 'maybe'"),
        (lambda d: d["promises"][0].update(evidence=["Check-out is at noon"]), "evidence"),
        (lambda d: d["promises"][0].update(evidence=["Spring is here!"]), "not in any procedure"),
        (lambda d: d["documents"][0].update(valid_from="1 March"), "valid_from"),
        (lambda d: d.update(documents="many"), '"documents"'),
    ],
)
def test_gold_validation_names_the_file(tmp_path, change, expected):
    f = tmp_path / "broken.json"
    f.write_text(json.dumps(_broken(change)), encoding="utf-8")
    for read in (load_gold, ingest.read_path):
        with pytest.raises(IngestError) as info:
            read(f)
        assert info.value.source == str(f) and expected in info.value.problem
    with pytest.raises(IngestError):
        parse_gold(_broken(change), "x.json")


def test_broken_json_says_where(tmp_path):
    f = tmp_path / "corpus.json"
    f.write_text('{"format": "hinge-gold/1", "name": ', encoding="utf-8")
    err = _error(f)
    assert "not valid JSON" in err.problem and "line 1" in err.problem
    f.write_text("[1, 2]", encoding="utf-8")
    assert "not an object" in _error(f).problem


# -- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf", "empty.docx", "empty.md"])
def test_empty_files(tmp_path, name):
    f = tmp_path / name
    f.write_bytes(b"")
    err = _error(f, kind="procedure")
    assert err.source == str(f) and err.problem == "is empty"


def test_whitespace_only(tmp_path):
    f = tmp_path / "blank.md"
    f.write_bytes(b"  \n\t\r\n  ")
    assert _error(f, kind="campaign").problem == "holds only whitespace"


def test_markup_without_text(tmp_path):
    f = tmp_path / "blank.html"
    f.write_text("<html><body><script>x()</script><nav>Home</nav></body></html>")
    assert "no text" in _error(f, kind="campaign").problem


def test_unknown_extension_lists_supported(tmp_path):
    f = tmp_path / "slides.pptx"
    f.write_bytes(b"PK whatever")
    err = _error(f, kind="campaign")
    assert ".pptx" in err.problem and ".docx" in err.hint and ".pdf" in err.hint


@pytest.mark.parametrize("name", ["junk.pdf", "junk.txt", "junk.csv", "junk.docx", "junk.html"])
def test_binary_junk(tmp_path, name):
    f = tmp_path / name
    f.write_bytes(b"\x00\x01binary junk\xff\xfe\x80" * 50)
    err = _error(f, kind="procedure")
    assert err.source == str(f) and err.problem


def test_undecodable_bytes(tmp_path):
    f = tmp_path / "odd.txt"
    f.write_bytes(b"caf\x81\x8d\x8f\x90 menu")  # invalid UTF-8, undefined in cp1252
    assert "UTF-8" in _error(f, kind="campaign").problem


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(_pdf("Secret refund rules."))))
    writer.encrypt("s3cret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    f = tmp_path / "locked.pdf"
    f.write_bytes(out.getvalue())
    assert "password" in _error(f, kind="procedure").problem


@pytest.mark.parametrize("keep", [0.5, 0.1])
def test_truncated_pdf_is_an_error_or_partial_text(tmp_path, keep):
    data = _pdf("Refunds are issued within five business days.")
    f = tmp_path / "cut.pdf"
    f.write_bytes(data[: int(len(data) * keep)])
    try:
        docs = ingest.read_path(f, kind="procedure")
    except IngestError as err:
        assert err.source == str(f) and err.hint
    else:
        assert docs[0].text.strip()


def test_pdf_without_text_layer(tmp_path):
    f = tmp_path / "scan.pdf"
    f.write_bytes(_pdf(None))
    err = _error(f, kind="procedure")
    assert "scanned?" in err.problem and "OCR" in err.hint


def test_docx_that_is_not_a_zip_or_not_word(tmp_path):
    f = tmp_path / "fake.docx"
    f.write_text("I am plain text pretending to be Word.")
    assert "not a zip" in _error(f, kind="procedure").problem
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not word")
    f.write_bytes(buf.getvalue())
    assert "not a Word document" in _error(f, kind="procedure").problem


def test_docx_zip_bomb_is_refused_before_parsing(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (40 * 1024 * 1024))
    f = tmp_path / "bomb.docx"
    f.write_bytes(buf.getvalue())
    assert len(buf.getvalue()) < 1024 * 1024
    assert "zip bomb" in _error(f, kind="procedure").problem


def test_damaged_docx(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document><unclosed>")
    f = tmp_path / "damaged.docx"
    f.write_bytes(buf.getvalue())
    assert "docx" in _error(f, kind="procedure").problem


def test_size_limit_is_checked_before_reading(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text("Free parking. " * 100)
    err = _error(f, kind="campaign", max_bytes=100)
    assert "limit" in err.problem and "--max-mb" in err.hint
    with pytest.raises(IngestError):
        ingest.read_bytes(b"x" * 101, "big.txt", kind="campaign", max_bytes=100)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, "needs a kind"),
        ({"kind": "flyer"}, "unknown kind"),
        ({"kind": "campaign", "valid_from": "March"}, "not a date"),
        ({"kind": "campaign", "valid_until": "2026-02-30"}, "not a date"),
        ({"kind": "campaign", "valid_from": "2026-06-01", "valid_until": "2026-05-01"}, "after"),
    ],
)
def test_options_are_validated(tmp_path, options, expected):
    f = tmp_path / "a.txt"
    f.write_text("Free parking.")
    err = _error(f, **options)
    assert expected in err.problem
    if "kind" in expected:
        assert err.hint == "pass --kind campaign or --kind procedure"


def test_missing_path_fails_alone(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Free parking.")
    paths = ingest.iter_paths([tmp_path / "nope.txt", good])
    assert paths == [tmp_path / "nope.txt", good]
    assert "does not exist" in _error(paths[0], kind="campaign").problem
    assert ingest.read_path(paths[1], kind="campaign")


def test_iter_paths_recurses_sorted_and_skips_hidden(tmp_path):
    for rel in ("b.txt", "a/z.md", "a/c.pdf", ".hidden.txt", ".git/x.txt", "a/.cache/y.txt",
                "notes.xyz"):  # fmt: skip
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    found = ingest.iter_paths([tmp_path])
    assert found == [tmp_path / "a/c.pdf", tmp_path / "a/z.md", tmp_path / "b.txt"]
    explicit = tmp_path / "notes.xyz"
    assert ingest.iter_paths([explicit]) == [explicit]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert ingest.iter_paths([empty]) == [empty]
    assert "no files" in _error(empty, kind="campaign").problem


def test_stdin(monkeypatch):
    import sys

    class Stdin:
        buffer = io.BytesIO(b"Parking is free for every guest.\r\n")

    monkeypatch.setattr(sys, "stdin", Stdin())
    (doc,) = ingest.read_path("-", kind="campaign")
    assert doc.source == "-" and doc.text == "Parking is free for every guest."


def test_read_bytes_names_the_upload_only():
    (doc,) = ingest.read_bytes(b"# Hi\n\nFree parking.", "promo.md", kind="campaign")
    assert doc.source == "promo.md" and doc.text == "Hi\n\nFree parking."
    assert ".md" in ingest.SUPPORTED and ingest.DEFAULT_MAX_BYTES == 50 * 1024 * 1024


# -- through the CLI and the store --------------------------------------------------------


def _invoke(runner, db, *args):
    return runner.invoke(cli, ["--db", str(db), "ingest", *map(str, args)])


def _documents(db_path):
    from consistency.store import Store

    s = Store(db_path)
    try:
        return s.documents(current_only=False)
    finally:
        s.close()


def test_cli_bad_files_are_named_and_store_unchanged(runner, db_path, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Refunds are issued within five business days.")
    assert _invoke(runner, db_path, good, "--kind", "procedure").exit_code == 0
    before = _documents(db_path)
    junk, empty = tmp_path / "junk.pdf", tmp_path / "empty.docx"
    junk.write_bytes(b"\x00\x01binary junk\xff" * 50)
    empty.write_bytes(b"")
    result = _invoke(runner, db_path, junk, empty, "--kind", "procedure")
    assert result.exit_code != 0
    assert "junk.pdf" in result.output and "empty.docx" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert _documents(db_path) == before


def test_cli_ingests_a_folder_and_reports_the_bad_file(runner, db_path, tmp_path):
    folder = tmp_path / "procedures"
    (folder / "desk").mkdir(parents=True)
    (folder / "refunds.txt").write_text("Refunds are issued within five business days.")
    (folder / "desk" / "checkout.md").write_text("# Check-out\n\n- Late check-out is free.\n")
    _docx(folder / "desk" / "rules.docx")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 nothing else")
    result = _invoke(runner, db_path, folder, "--kind", "procedure")
    assert result.exit_code == 1 and "broken.pdf" in result.output
    titles = {d["title"] for d in _documents(db_path)}
    assert titles == {"Check-out", "Front desk: check-out", "Refunds are issued within five "
                      "business days."}  # fmt: skip


@pytest.mark.skipif(not GOLD, reason="no bundled corpora")
def test_cli_bundled_corpora_twice_is_a_no_op(runner, db_path):
    first = _invoke(runner, db_path, CORPORA)
    assert first.exit_code == 0, first.output
    before = _documents(db_path)
    assert len(before) == sum(len(load_gold(p).documents) for p in GOLD)
    again = _invoke(runner, db_path, CORPORA)
    assert again.exit_code == 0
    assert all(line.startswith("unchanged") for line in again.output.splitlines()), again.output
    assert _documents(db_path) == before


def test_cli_edited_file_becomes_version_two(runner, db_path, tmp_path):
    f = tmp_path / "sop.md"
    f.write_text("# Check-out\n\nLate check-out until 12:00 is free.\n")
    assert _invoke(runner, db_path, f, "--kind", "procedure").exit_code == 0
    assert _invoke(runner, db_path, f, "--kind", "procedure").output.startswith("unchanged")
    f.write_text("# Check-out\n\nLate check-out until 13:00 is free.\n")
    assert _invoke(runner, db_path, f, "--kind", "procedure").output.startswith("updated")
    versions = sorted((d["version"], d["superseded_by"] is None) for d in _documents(db_path))
    assert versions == [(1, False), (2, True)]


def test_cli_stdin(runner, db_path):
    result = runner.invoke(
        cli,
        ["--db", str(db_path), "ingest", "-", "--kind", "campaign", "--title", "Draft"],
        input="Parking is free for every guest.",
    )
    assert result.exit_code == 0, result.output
    assert [d["title"] for d in _documents(db_path)] == ["Draft"]
