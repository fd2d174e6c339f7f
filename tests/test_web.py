"""The pages over a real SQLite file, asserted on parsed HTML."""

from __future__ import annotations

import io
import json

import pytest
from bs4 import BeautifulSoup

from consistency import extract, triage
from consistency.models import Document, Statement, text_hash
from consistency.store import Store

# The fake embedder is for plumbing; the judge warns it was calibrated for MiniLM.
pytestmark = pytest.mark.filterwarnings("ignore:thresholds were calibrated")

PROCEDURE = (
    "Front desk: check-out\n\n"
    "Standard check-out time is 11:00.\n\n"
    "Late check-out until 12:00 is free; later requires duty manager approval.\n\n"
    "Serve every arriving guest a complimentary welcome drink at the bar."
)
CAMPAIGN = (
    "Spring at the Seaside\n\n"
    "Book two nights and late checkout until 2 pm is on us.\n\n"
    "Every guest gets a free welcome drink on arrival.\n\n"
    "We promise a full refund <script>alert('x')</script> within 14 days, guaranteed."
)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def token(client, url="/upload") -> str:
    return soup(client.get(url)).find("input", {"name": "csrf_token"})["value"]


def post(client, url, data, form_url=None, **kwargs):
    return client.post(url, data={**data, "csrf_token": token(client, form_url or url)}, **kwargs)


def upload(client, kind, text, **fields):
    data = {"kind": kind, "text": text, **fields}
    return post(client, "/upload", data)


@pytest.fixture
def loaded(client):
    assert upload(client, "procedure", PROCEDURE, title="Check-out SOP", team="front desk")
    response = upload(client, "campaign", CAMPAIGN, title="Spring", channel="web")
    assert response.status_code == 302
    return response.location


def finding_ids(page) -> list[int]:
    return [int(tr["data-finding"]) for tr in page.select("tr[data-finding]")]


def test_upload_without_csrf_token_is_refused(client, db_path):
    response = client.post("/upload", data={"kind": "campaign", "text": "Free parking."})
    assert response.status_code == 400
    assert "Reload the page" in soup(response).find(id="error-message").get_text()
    assert Store(db_path).documents() == []


def test_campaign_upload_shows_its_promises_escaped(client, loaded):
    page = soup(client.get(loaded))
    assert page.find("h1").get_text(" ", strip=True).startswith("Spring")
    promises = [a.get_text() for a in page.select("#findings td.promise a")]
    assert len(promises) >= 3
    assert any("<script>alert('x')</script>" in p for p in promises)
    assert page.find("script", string=lambda s: s and "alert" in s) is None
    flash = page.select_one(".flash-ok").get_text()
    assert "Saved" in flash and "Checked as run" in flash


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "campaign", "text": "   "}, "choose a file or paste"),
        ({"kind": "leaflet", "text": "Free parking for all."}, "unknown kind"),
        ({"kind": "campaign", "text": "Free.", "valid_from": "soon"}, "not a date"),
    ],
)
def test_upload_errors_show_on_the_form(client, db_path, data, message):
    response = post(client, "/upload", data)
    assert response.status_code == 422
    errors = soup(response).find(id="form-errors").get_text()
    assert message in errors
    assert Store(db_path).documents() == []


def test_unsupported_file_type_is_a_form_error(client, db_path):
    data = {"kind": "campaign", "file": (io.BytesIO(b"MZ\x00\x01"), "tool.exe")}
    response = post(client, "/upload", data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "unsupported type" in soup(response).find(id="form-errors").get_text()
    assert Store(db_path).documents() == []


def test_a_guessed_encoding_is_flashed_on_the_upload(client):
    text = "Café guests park free – always.".encode("cp1252")
    data = {"kind": "campaign", "file": (io.BytesIO(text), "cafe.txt")}
    response = post(client, "/upload", data, content_type="multipart/form-data")
    assert response.status_code == 302
    assert "Windows-1252" in soup(client.get(response.location)).get_text()


def test_upload_over_the_limit_gets_a_clear_message(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 2048
    data = {"kind": "campaign", "file": (io.BytesIO(b"free " * 1000), "big.txt")}
    response = post(client, "/upload", data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "larger than the 2 KB limit" in soup(response).find(id="form-errors").get_text()


def test_dashboard_counts_and_coverage(client, loaded, db_path):
    run = Store(db_path).latest_run()
    page = soup(client.get("/"))
    for verdict in ("covered", "uncovered", "contradicted"):
        assert page.select_one(f'#summary [data-verdict="{verdict}"]').get_text() == str(
            run[verdict]
        )
    assert page.find(id="coverage").get_text().endswith("%")
    assert [td.get_text() for td in page.select("#per-campaign tbody td:first-child")] == ["Spring"]
    assert page.select(".bars svg.bar rect")


def test_dashboard_without_any_run(client):
    page = soup(client.get("/"))
    assert "Nothing has been checked yet" in page.find("main").get_text()


def test_promise_page_shows_paragraph_evidence_and_history(client, loaded, db_path):
    gaps = soup(client.get("/gaps?status=all"))
    fid = finding_ids(gaps)[0]
    page = soup(client.get(f"/promises/{fid}"))
    finding = Store(db_path).finding(fid)
    assert page.find(id="promise-text").get_text() == finding["promise_text"]
    assert len(page.select("#evidence tbody tr[data-statement]")) == len(finding["evidence"])
    assert page.select_one("#history .empty")


def name_cookie(client, name="Sam"):
    response = post(client, "/name", {"name": name, "next": "/gaps"})
    assert response.status_code == 302 and response.location == "/gaps"


def act(client, fid, **data):
    return post(client, f"/promises/{fid}/triage", data, form_url=f"/promises/{fid}")


def test_triage_needs_a_name_first(client, loaded, db_path):
    fid = finding_ids(soup(client.get("/gaps")))[0]
    response = act(client, fid, action="assign", value="Ana")
    assert response.status_code == 302 and response.location.startswith("/name")
    assert Store(db_path).decisions() == []


def test_triage_actions_from_the_promise_page(client, loaded, db_path):
    name_cookie(client)
    fid = finding_ids(soup(client.get("/gaps")))[0]
    act(client, fid, action="assign", value="Ana")
    page = soup(client.get(f"/promises/{fid}"))
    assert page.find(id="promise-status").get_text(strip=True) == "assigned: Ana"
    act(client, fid, action="note", note="asked <b>marketing</b>")
    act(client, fid, action="dismiss", value="not_a_promise")
    page = soup(client.get(f"/promises/{fid}"))
    assert page.find(id="promise-status").get_text(strip=True) == "dismissed: not a promise"
    history = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in
               page.select("#history tbody tr")]  # fmt: skip
    assert [(h[1], h[2]) for h in history] == [("Sam", "dismiss"), ("Sam", "note"),
                                                ("Sam", "assign")]  # fmt: skip
    assert "asked <b>marketing</b>" in history[1][3]
    # Dismissed gaps leave the default list; "any status" still shows them.
    assert fid not in finding_ids(soup(client.get("/gaps")))
    assert fid in finding_ids(soup(client.get("/gaps?status=dismissed")))


def test_confirm_rechecks_and_the_promise_is_covered(client, loaded, db_path):
    name_cookie(client)
    store = Store(db_path)
    gap = next(f for f in store.findings(store.latest_run()["id"]) if f["verdict"] != "covered")
    statement_id = gap["evidence"][-1]["statement_id"]
    response = act(client, gap["id"], action="confirm", statement_id=statement_id)
    new_id = int(response.location.rsplit("/", 1)[1])
    assert new_id != gap["id"]
    page = soup(client.get(f"/promises/{new_id}"))
    assert page.select_one("h1 .v-covered")
    linked = page.select_one("#evidence tr.linked")
    assert int(linked["data-statement"]) == statement_id
    assert page.find(id="promise-status").get_text(strip=True) == "resolved"


def test_link_by_searching_procedure_statements(client, loaded, db_path):
    name_cookie(client)
    fid = finding_ids(soup(client.get("/gaps")))[0]
    page = soup(client.get(f"/promises/{fid}?q=float"))
    assert "No procedure statement" in page.find(id="link-results").get_text()
    page = soup(client.get(f"/promises/{fid}?q=welcome drink"))
    form = page.select_one("#link-results form")
    statement_id = form.find("input", {"name": "statement_id"})["value"]
    response = act(client, fid, action="link", statement_id=statement_id)
    state = triage.states(Store(db_path), [Store(db_path).finding(fid)["promise_hash"]])
    assert next(iter(state.values())).status == "resolved"
    assert response.status_code == 302


def test_bulk_assign_and_reopen(client, loaded, db_path):
    name_cookie(client)
    ids = finding_ids(soup(client.get("/gaps")))
    data = {"action": "assign", "value": "Ana", "ids": ids[:2], "next": "/gaps"}
    response = post(client, "/gaps/bulk", data, form_url="/gaps")
    assert response.location == "/gaps"
    assigned = soup(client.get("/gaps?assignee=Ana"))
    assert sorted(finding_ids(assigned)) == sorted(ids[:2])
    assert "Ana" in [o.get_text() for o in assigned.select('select[name="assignee"] option')]
    response = post(client, "/gaps/bulk", {"action": "dismiss", "value": "bogus", "ids": ids},
                    form_url="/gaps")  # fmt: skip
    assert len(Store(db_path).decisions()) == 2, "a failed bulk action changes nothing"


def test_gap_list_filters_sorts_and_pages(app, client, db_path):
    store = Store(db_path)
    seed_gaps(store, 120)
    app.config["PAGE_SIZE"] = 25
    page = soup(client.get("/gaps"))
    assert page.find(id="gap-total").get_text() == "120 found"
    assert len(finding_ids(page)) == 25
    assert page.select_one('.pager a[rel="next"]')["href"].endswith("page=2")
    last = soup(client.get("/gaps?page=5"))
    assert len(finding_ids(last)) == 20
    contradicted = soup(client.get("/gaps?verdict=contradicted"))
    assert contradicted.find(id="gap-total").get_text() == "42 found"
    assert {b.get_text() for b in contradicted.select("#gap-table .badge.v-contradicted")} == {
        "contradicted"
    }
    by_team = soup(client.get("/gaps?team=billing&campaign=Campaign 1"))
    assert by_team.find(id="gap-total").get_text() == "20 found"
    searched = soup(client.get("/gaps?q=promise 7"))
    texts = [a.get_text() for a in searched.select("#gap-table td.promise a")]
    assert texts and all("promise 7" in t for t in texts)
    by_conf = soup(client.get("/gaps?sort=confidence"))
    confs = [float(td.get_text()) for td in by_conf.select("#gap-table td.n")]
    assert confs == sorted(confs, reverse=True)
    assert soup(client.get("/gaps?q=%25")).find(id="gap-total").get_text() == "0 found"


def seed_gaps(store: Store, n: int, campaigns: int = 3) -> int:
    """Synthetic campaigns, a procedure and one run with n gaps, through the store API."""
    proc_lines = [f"Procedure step {i} for the billing team." for i in range(5)]
    proc_id, _ = store.save_document(
        Document("procedure", "Billing SOP", "\n".join(proc_lines), "sop.txt", team="billing"),
        _statements(proc_lines, False),
        extract.EXTRACTOR_VERSION,
    )
    proc = store.statements(document_id=proc_id)
    findings = []
    per = n // campaigns
    for c in range(campaigns):
        lines = [f"Campaign {c} promise {i} is free." for i in range(per)]
        doc_id, _ = store.save_document(
            Document("campaign", f"Campaign {c}", "\n".join(lines), f"c{c}.txt", channel="web"),
            _statements(lines, True),
            extract.EXTRACTOR_VERSION,
        )
        for i, s in enumerate(store.statements(document_id=doc_id)):
            ev = proc[i % len(proc)]
            findings.append(
                {
                    "statement_id": s["id"],
                    "document_id": doc_id,
                    "promise_hash": text_hash(s["text"]),
                    "promise_text": s["text"],
                    "verdict": "contradicted" if i % 3 == 0 else "uncovered",
                    "machine_verdict": "uncovered",
                    "confidence": round((i * 37 % 100) / 100, 2),
                    "evidence": [
                        {
                            "statement_id": ev["id"],
                            "text": ev["text"],
                            "text_hash": ev["text_hash"],
                            "team": "billing" if i % 2 == 0 else "front desk",
                            "document": "Billing SOP",
                            "score": 0.5,
                        }
                    ],
                    "conflicts": [],
                }
            )
    run = {"started_at": "2026-05-01T09:00:00+00:00", "model": "synthetic", "promises": n}
    return store.save_run(run, findings)


def _statements(lines: list[str], promise: bool) -> list[Statement]:
    out, pos = [], 0
    for line in lines:
        out.append(Statement(pos, pos + len(line), line, is_promise=promise))
        pos += len(line) + 1
    return out


def test_procedures_reverse_view(client, loaded, db_path):
    store = Store(db_path)
    run = store.latest_run()
    covering = store.covering_findings(run["id"])
    page = soup(client.get("/procedures"))
    rows = page.select(".procedure tbody tr[data-statement]")
    assert len(rows) == len(store.statements(kind="procedure"))
    shown = sum(len(tr.select("td.covers a")) for tr in rows)
    assert shown == sum(len(v) for v in covering.values())


def test_documents_versions_and_delete_with_confirmation(client, loaded, db_path):
    upload(client, "campaign", CAMPAIGN + "\n\nKids stay free.", title="Spring", channel="web")
    page = soup(client.get("/documents"))
    spring = next(tr for tr in page.select("#documents tbody tr") if "Spring" in tr.get_text())
    assert "v2" in spring.get_text() and "1 older" in spring.get_text()
    doc_id = int(spring["data-document"])
    confirm = soup(client.get(f"/documents/{doc_id}/delete"))
    assert "Delete “Spring” version 2?" in confirm.find("h1").get_text()
    assert Store(db_path).document(doc_id) is not None, "GET only asks"
    post(client, f"/documents/{doc_id}/delete", {})
    assert Store(db_path).document(doc_id) is None
    assert Store(db_path).current_document("pasted:campaign:spring")["version"] == 1


def test_unknown_finding_is_a_404_page(client):
    response = client.get("/promises/999")
    assert response.status_code == 404
    assert "No finding #999" in soup(response).find(id="error-message").get_text()


def test_suspects_page_lists_a_changed_procedure(client, loaded, db_path):
    name_cookie(client)
    store = Store(db_path)
    gap = store.findings(store.latest_run()["id"])[0]
    ev = gap["evidence"][0]
    act(client, gap["id"], action="confirm", statement_id=ev["statement_id"])
    changed = PROCEDURE.replace("12:00", "13:00").replace("11:00", "10:00")
    changed = changed.replace(ev["text"], ev["text"].replace("guest", "guest who asks"))
    upload(client, "procedure", changed, title="Check-out SOP", team="front desk")
    page = soup(client.get("/suspects"))
    rows = page.select("#suspects tbody tr[data-decision]")
    assert [tr.select_one("td.was").get_text() for tr in rows] == [ev["text"]]
    decision_id = rows[0]["data-decision"]
    post(client, f"/suspects/{decision_id}", {"action": "drop"}, form_url="/suspects")
    assert soup(client.get("/suspects")).select_one("#suspects .empty")
    assert json.loads(json.dumps(triage.suspects(Store(db_path)))) == []


def test_a_gap_is_dated_from_the_first_check_that_found_it(client, db_path):
    store = Store(db_path)
    lines = ["Free parking for every guest.", "Late checkout until 2 pm."]
    doc_id, _ = store.save_document(
        Document("campaign", "Spring", "\n".join(lines), "spring.txt"),
        _statements(lines, True),
        extract.EXTRACTOR_VERSION,
    )
    statements = store.statements(document_id=doc_id)
    for day, verdicts in (("2026-05-01", ("covered", "uncovered")),
                          ("2026-05-08", ("uncovered", "uncovered"))):  # fmt: skip
        findings = [
            {"statement_id": s["id"], "document_id": doc_id, "promise_hash": s["text_hash"],
             "promise_text": s["text"], "verdict": v, "machine_verdict": v,
             "confidence": 0.5, "evidence": [], "conflicts": []}
            for s, v in zip(statements, verdicts, strict=True)
        ]  # fmt: skip
        store.save_run({"started_at": f"{day}T09:00:00+00:00", "model": "m", "promises": 2},
                       findings)  # fmt: skip
    rows = soup(client.get("/gaps")).select("#gap-table tbody tr")
    since = {tr.select_one("td.promise").get_text(strip=True): tr.select("td")[-1].get_text()
             for tr in rows}  # fmt: skip
    # Oldest first: the promise that has been a gap since the first check leads.
    assert list(since.items()) == [(lines[1], "2026-05-01"), (lines[0], "2026-05-08")]


def test_promise_page_marks_no_refusal_in_a_restriction_the_promise_makes_too(client):
    """The page highlights conflicts with the judge's rule: "front-store only" confines
    the discount to what the promise names, so it is not marked as refusing it."""
    sop = "Apply discount key SR20 (20% off regular price, front-store only) for members 65+."
    assert upload(client, "procedure", sop, title="Till SOP", team="tills")
    promise = "Seniors 65+ save 20% on regular-priced front-store items."
    assert upload(client, "campaign", promise, title="Seniors", channel="web")
    (fid,) = finding_ids(soup(client.get("/gaps?status=all")))
    page = soup(client.get(f"/promises/{fid}"))
    row = next(
        r for r in page.select("#evidence tbody tr[data-statement]") if "SR20" in r.get_text()
    )
    assert "only" in row.get_text()
    assert [m.get_text() for m in row.select("mark.agree")] == ["20%"]
    assert not row.select("mark.conflict")
