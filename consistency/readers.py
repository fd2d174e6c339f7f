"""Format parsers: bytes in, plain text out (statement rules in extract read lines).

Every parser turns what its library raises on bad input into Unreadable, which ingest
names the file on; libraries are imported lazily so `hinge --help` stays fast.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import logging
import re
import struct
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

# What malformed input makes parsing libraries raise (besides their own error types).
PARSE_ERRORS: tuple[type[BaseException], ...] = (
    ValueError, KeyError, IndexError, TypeError, AttributeError, AssertionError, EOFError,
    RecursionError, OverflowError, LookupError, OSError, struct.error, zlib.error,
    zipfile.BadZipFile, NotImplementedError,
)  # fmt: skip
MAX_UNZIPPED = 200 * 1024 * 1024  # a .docx that unpacks to more is not a document
MAX_RATIO = 100  # ... nor is one over 20 MB that unpacks 100 times its packed size
MAX_ENTRIES = 10_000
TEXT_COLUMNS = ("text", "message", "body", "content", "copy", "procedure", "step", "statement")
META_COLUMNS = ("title", "channel", "team", "valid_from", "valid_until", "kind")
_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class Unreadable(Exception):
    """A file this parser cannot read: what is wrong, and what the user can do."""

    def __init__(self, problem: str, hint: str = ""):
        super().__init__(problem)
        self.problem, self.hint = problem, hint


# -- text --------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, list[str]]:
    """Bytes to text the way files are really saved: UTF-8 (BOM or not), UTF-16 with a BOM
    (Notepad's "Unicode"), else Windows-1252 with a warning."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _text_only(data.decode("utf-16")), []
        except UnicodeDecodeError as err:
            raise Unreadable("is not valid UTF-16 text", "save it as UTF-8") from err
    if b"\x00" in data:
        raise Unreadable("looks binary, not text (it holds NUL bytes)", "check it is a text file")
    try:
        return _text_only(data.decode("utf-8-sig")), []
    except UnicodeDecodeError:
        pass
    try:
        text = _text_only(data.decode("cp1252"))
    except UnicodeDecodeError as err:
        raise Unreadable("is neither UTF-8 nor Windows-1252 text", "save it as UTF-8") from err
    return text, ["not UTF-8, read as Windows-1252: check accented letters, save it as UTF-8"]


def _text_only(text: str) -> str:
    if len(_CONTROL.findall(text[:100_000])) > max(3, len(text[:100_000]) // 100):
        raise Unreadable("looks binary, not text (many control characters)", "check the file")
    return text


def normalise(text: str) -> str:
    """One newline convention, no stray controls, no trailing spaces, at most one blank
    line in a row: the same content always hashes the same."""
    text = unicodedata.normalize("NFC", _BREAKS.sub("\n", text.replace("\ufeff", "")))
    text = _CONTROL.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def join_blocks(blocks: list[tuple[str, str]]) -> str:
    """(text, group) blocks: paragraphs ("") apart by a blank line; consecutive list items
    ("item") or table rows ("row") on adjacent lines, as the statement rules expect."""
    out: list[str] = []
    prev = ""
    for text, group in blocks:
        text = text.strip("\n")
        if not text.strip():
            continue
        if out:
            out.append("\n" if group and group == prev else "\n\n")
        out.append(text)
        prev = group
    return "".join(out)


# -- markdown ----------------------------------------------------------------------------


def markdown_text(source: str) -> str:
    """Markdown to plain lines: headings and paragraphs as blocks, list items as "- "."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    blocks: list[tuple[str, str]] = []
    depth, item_prefix, row = 0, "", None
    for tok in md.parse(source):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif tok.type == "list_item_open":
            item_prefix = "  " * (depth - 1) + "- "
        elif tok.type == "inline" and row is not None:
            row.append(_md_inline(tok.children or []))
        elif tok.type == "inline":
            text = _md_inline(tok.children or [])
            if depth:  # a second paragraph of an item continues it, indented
                lead = item_prefix or "  " * depth
                blocks.append((lead + text.replace("\n", "\n" + "  " * depth), "item"))
                item_prefix = ""
            else:
                blocks.append((text, ""))
        elif tok.type in ("fence", "code_block"):
            blocks.append((tok.content, "item" if depth else ""))
        elif tok.type == "html_block":
            blocks.append((re.sub(r"<[^>]*>", " ", tok.content).strip(), "item" if depth else ""))
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close" and row is not None:
            blocks.append((" | ".join(c for c in row if c), "row"))
            row = None
    return join_blocks(blocks)


def _md_inline(children: list[Any]) -> str:
    """Inline markup dropped, link text kept; images say nothing."""
    parts: list[str] = []
    for t in children:
        if t.type in ("text", "code_inline"):
            parts.append(t.content)
        elif t.type == "softbreak":
            parts.append(" ")
        elif t.type == "hardbreak":
            parts.append("\n")
    return "".join(parts).strip()


# -- html --------------------------------------------------------------------------------

_DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "iframe", "nav", "footer", "aside",
    "button", "select", "dialog", "head", "object", "canvas",
)  # fmt: skip
_BOILERPLATE = re.compile(
    r"^(cookies?|consent|gdpr|nav|navbar|navigation|menu|footer|breadcrumbs?|social|share"
    r"|newsletter|modal|popup|skip|topbar|sidebar|subscribe)$"
)
_DROP_ROLES = {"navigation", "banner", "contentinfo", "dialog", "alertdialog", "search"}
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "table", "tr", "blockquote", "pre", "figure", "figcaption", "dl",
    "dt", "dd", "address", "hr", "body", "details", "summary",
}  # fmt: skip
_TOO_LITTLE = 0.3  # trafilatura kept under this share of the de-boilerplated page
_ALL_OF_IT = 0.8  # ... or kept about all of it, but glued into fewer lines


def html_text(html: str) -> str:
    """A saved page to its main copy: trafilatura, unless it keeps too little or glues a page
    of <div>s into one paragraph (landing pages do both); then a boilerplate-stripped walk
    of the page, which keeps its block structure."""
    fallback = _html_walk(html)
    main = _trafilatura(html)
    if not fallback and len(main.split()) < 10:
        return ""  # a page of menus and banners only: trafilatura returns a menu item
    if not main or len(main) < _TOO_LITTLE * len(fallback):
        return fallback
    if len(main) >= _ALL_OF_IT * len(fallback) and main.count("\n") < fallback.count("\n") / 2:
        return fallback
    return main


def _trafilatura(html: str) -> str:
    import trafilatura
    from lxml import etree

    try:
        with _quiet("trafilatura", "htmldate", "courlan"):
            xml = trafilatura.extract(
                html, output_format="xml", include_comments=False, include_tables=True,
                include_images=False, include_links=False, favor_recall=True, deduplicate=False,
            )  # fmt: skip
        if not xml:
            return ""
        main = etree.fromstring(xml.encode("utf-8")).find("main")
    except (etree.LxmlError, *PARSE_ERRORS):
        return ""
    blocks: list[tuple[str, str]] = []
    if main is not None:
        _xml_blocks(main, blocks)
    return join_blocks(blocks)


def _xml_blocks(el: Any, blocks: list[tuple[str, str]]) -> None:
    """trafilatura's XML (head, p, list/item, table/row/cell, quote) to blocks."""
    if el.text and el.text.strip():
        blocks.append((_squash(el.text), ""))
    for child in el:
        if child.tag == "list":
            _xml_list(child, blocks, 0)
        elif child.tag == "table":
            for row in child.iter("row"):
                cells = [_squash("".join(c.itertext())) for c in row.findall("cell")]
                blocks.append((" | ".join(c for c in cells if c), "row"))
        elif child.tag == "code":
            blocks.append(("".join(child.itertext()), ""))
        elif child.tag in ("quote", "div") or child.find("p") is not None:
            _xml_blocks(child, blocks)
        else:
            blocks.append((_squash("".join(_own_text(child))), ""))
        if child.tail and child.tail.strip():
            blocks.append((_squash(child.tail), ""))


def _xml_list(el: Any, blocks: list[tuple[str, str]], depth: int) -> None:
    for item in el.findall("item"):
        blocks.append(("  " * depth + "- " + _squash("".join(_own_text(item))), "item"))
        for sub in item.findall("list"):
            _xml_list(sub, blocks, depth + 1)


def _own_text(el: Any) -> Iterator[str]:
    """Text of an element with <lb/> as a line break, leaving out nested lists."""
    if el.text:
        yield el.text
    for child in el:
        if child.tag == "lb":
            yield "\n"
        elif child.tag != "list":
            yield from _own_text(child)
        if child.tail:
            yield child.tail


def _squash(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


def _html_walk(html: str) -> str:
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(html)
    except (etree.LxmlError, *PARSE_ERRORS):
        return ""
    for el in list(root.iter()):
        if el.getparent() is not None and _is_boilerplate(el):
            el.drop_tree()
    blocks: list[tuple[str, str]] = []
    buffer: list[str] = []
    prefix = ""  # the bullet of a list item whose text is not out yet

    def flush(group: str = "") -> None:
        nonlocal prefix
        text = _squash("".join(buffer))
        buffer.clear()
        if text and prefix:
            blocks.append((prefix + text, "item"))
            prefix = ""
        elif text:
            blocks.append((text, group))

    def walk(el: Any, depth: int) -> None:
        nonlocal prefix
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag in _BLOCK_TAGS
        if block:
            flush()
        if tag == "li":
            prefix = "  " * max(depth - 1, 0) + "- "
        if tag == "br":
            buffer.append("\n")
        elif tag in ("td", "th"):
            buffer.append(" | " if buffer and "".join(buffer).strip() else "")
        if el.text and tag:
            buffer.append(el.text)
        for child in el:
            walk(child, depth + (tag in ("ul", "ol")))
            if child.tail:
                buffer.append(child.tail)
        if tag == "tr":
            flush("row")
        elif block:
            flush()
        if tag == "li":
            prefix = ""

    walk(root, 0)
    flush()
    return join_blocks(blocks)


def _is_boilerplate(el: Any) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if not tag or tag in _DROP_TAGS:
        return True  # comments and processing instructions too
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    if "display:none" in (el.get("style") or "").replace(" ", ""):
        return True
    if (el.get("role") or "").lower() in _DROP_ROLES:
        return True
    if tag == "header" and not any(a.tag in ("main", "article") for a in el.iterancestors()):
        return True  # the site header, not an article's
    words = re.split(r"[\s_-]+", f"{el.get('id') or ''} {el.get('class') or ''}".lower())
    return any(_BOILERPLATE.match(w) for w in words if w)


# -- docx --------------------------------------------------------------------------------


def docx_text(data: bytes) -> str:
    """Paragraphs, list items, tables row by row, then headers and footers."""
    _check_zip(data)
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[tuple[str, str]] = []
        for part in document.iter_inner_content():
            if isinstance(part, Table):
                blocks += _docx_table(part)
            else:
                blocks.append(_docx_paragraph(part))
        extra: list[str] = []
        for section in document.sections:
            for hf in (section.header, section.footer):
                if hf.is_linked_to_previous:
                    continue
                for p in hf.paragraphs:
                    if p.text.strip() and p.text.strip() not in extra:
                        extra.append(p.text.strip())
        blocks += [(t, "") for t in extra]
    except (PackageNotFoundError, etree.LxmlError, *PARSE_ERRORS) as err:
        problem = f"is not a readable .docx ({_why(err)})"
        raise Unreadable(problem, "open it in Word and save it again") from err
    return join_blocks(blocks)


def _docx_paragraph(p: Any) -> tuple[str, str]:
    style = (p.style.name if p.style is not None else "") or ""
    ppr = p._p.pPr
    numbered = ppr is not None and ppr.numPr is not None
    if numbered or style.lower().startswith("list"):
        level = ppr.numPr.ilvl.val if numbered and ppr.numPr.ilvl is not None else 0
        return "  " * int(level or 0) + "- " + p.text.strip(), "item"
    return p.text, ""


def _docx_table(table: Any) -> list[tuple[str, str]]:
    rows = []
    for row in table.rows:
        seen, cells = set(), []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # a merged cell repeats across the columns it spans
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        rows.append((" | ".join(c for c in cells if c), "row"))
    return rows


def _check_zip(data: bytes) -> None:
    """Refuse what is not a Word zip, or a zip bomb, before any XML is inflated."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable(
            "is a password-protected or old-format (.doc) Word file",
            "open it in Word and save it as .docx without a password",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, *PARSE_ERRORS) as err:
        raise Unreadable(
            "is not a .docx (not a zip archive)", "open it in Word and save it as .docx"
        ) from err
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if (
        len(infos) > MAX_ENTRIES
        or total > MAX_UNZIPPED
        or (total > 20 * 1024 * 1024 and total > MAX_RATIO * packed)
    ):
        raise Unreadable(
            f"unpacks to {total / 1e6:.0f} MB from {packed / 1e6:.1f} MB: looks like a zip bomb",
            "check where it came from; save the document again from Word",
        )
    if "word/document.xml" not in {i.filename for i in infos}:
        raise Unreadable("is a zip archive but not a Word document", "save it as .docx")


# -- pdf ---------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """The text layer, page by page; a scanned PDF has none."""
    if b"%PDF-" not in data[:1024]:
        raise Unreadable("is not a PDF (no %PDF- header)", "check the file or export it again")
    import pypdf
    from pypdf.errors import PyPdfError

    try:
        with _quiet("pypdf"):
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not _decrypts(reader):
                raise Unreadable(
                    "is password-protected", "save an unprotected copy (print to PDF) and retry"
                )
            pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, *PARSE_ERRORS) as err:
        problem = f"is damaged or truncated ({_why(err)})"
        raise Unreadable(problem, "export it again as PDF") from err
    text = "\n\n".join(p.strip() for p in pages)
    if not text.strip():
        raise Unreadable(
            "has no text layer (scanned?)", "run OCR first, e.g. ocrmypdf, then ingest"
        )
    return text


def _decrypts(reader: Any) -> bool:
    """Only PDFs locked for editing (empty user password) open without asking anyone."""
    from pypdf.errors import PyPdfError

    try:
        return bool(reader.decrypt(""))
    except (PyPdfError, *PARSE_ERRORS):
        return False


# -- csv ---------------------------------------------------------------------------------


def csv_records(text: str, text_column: str | None) -> list[tuple[int, dict[str, str]]]:
    """(row number, {"text": ..., and any of META_COLUMNS}) for each row with text."""
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first.count) if any(d in first for d in ",;\t|") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as err:
        raise Unreadable(f"is not valid CSV ({err})", "check quoting, or save it again") from err
    if not rows:
        raise Unreadable("has no header row", "add a header row naming the columns")
    header = [h.strip().lower() for h in rows[0]]
    wanted = text_column.strip().lower() if text_column else None
    if wanted is not None and wanted not in header:
        raise Unreadable(
            f"has no column {text_column!r} (columns: {', '.join(rows[0])})",
            "pass --text-column with one of those names",
        )
    col = header.index(wanted) if wanted else _text_column(header)
    if col is None:
        raise Unreadable(
            f"has no text column (columns: {', '.join(rows[0]) or 'none'})",
            "name it text or message, or pass --text-column NAME",
        )
    meta = {name: header.index(name) for name in META_COLUMNS if name in header}
    out = []
    for n, row in enumerate(rows[1:], start=1):
        cell = row[col].strip() if col < len(row) else ""
        if cell:
            fields = {k: row[i].strip() for k, i in meta.items() if i < len(row) and row[i]}
            out.append((n, {"text": cell, **fields}))
    return out


def _text_column(header: list[str]) -> int | None:
    for name in TEXT_COLUMNS:
        if name in header:
            return header.index(name)
    for name in TEXT_COLUMNS:
        for i, h in enumerate(header):
            if name in re.split(r"[^a-z0-9]+", h):
                return i
    return None


# -- helpers -----------------------------------------------------------------------------


@contextlib.contextmanager
def _quiet(*loggers: str) -> Iterator[None]:
    """Libraries log and warn about every odd byte; the user gets one line from us instead."""
    saved = [(logging.getLogger(n), logging.getLogger(n).level) for n in loggers]
    for logger, _ in saved:
        logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in saved:
            logger.setLevel(level)


def _why(err: BaseException) -> str:
    detail = " ".join(str(err).split())[:120]
    return f"{type(err).__name__}: {detail}" if detail else type(err).__name__
