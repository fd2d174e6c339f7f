"""Files, uploads and pasted text to Documents; nothing is stored here.

Any bad input becomes one IngestError naming the file, what is wrong and what to do, so
a folder with one broken file still goes in and the web upload never shows a traceback.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from . import gold, readers
from .isoweek import is_date
from .models import KINDS, Document, IngestError
from .readers import Unreadable

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
KIND_HINT = "pass --kind campaign or --kind procedure"
TITLE_MAX = 80
Reader = Callable[[bytes, dict[str, Any]], "str | list[Document]"]


def _decoded(parse: Callable[[str], str]) -> Reader:
    """A reader for a text format: decode (noting a guessed encoding), then parse."""

    def read(data: bytes, ctx: dict[str, Any]) -> str:
        text, ctx["warnings"] = readers.decode(data)
        return parse(text)

    return read


def _csv(data: bytes, ctx: dict[str, Any]) -> list[Document]:
    text, ctx["warnings"] = readers.decode(data)
    records = readers.csv_records(readers.normalise(text), ctx["options"].get("text_column"))
    if not records:
        raise Unreadable("has no rows with text", "check the file has rows under its header")
    docs = []
    for n, fields in records:
        row = {k: v for k, v in fields.items() if k != "text"}
        if "kind" in row:
            row["kind"] = row["kind"].lower()
        row_ctx = dict(ctx, name=f"{ctx['name']}#row{n}")
        source = f"{ctx['source']}#row{n}"
        doc = _document(
            fields["text"], source, f"{ctx['stem']} row {n}", {**ctx["options"], **row}, row_ctx
        )
        doc.meta["row"] = n
        docs.append(doc)
    return docs


def _gold(data: bytes, ctx: dict[str, Any]) -> list[Document]:
    return gold.parse_gold(gold.loads(data, ctx["name"]), ctx["name"]).documents


READERS: dict[str, Reader] = {
    ".txt": _decoded(lambda text: text),
    ".text": _decoded(lambda text: text),
    ".md": _decoded(readers.markdown_text),
    ".markdown": _decoded(readers.markdown_text),
    ".html": _decoded(readers.html_text),
    ".htm": _decoded(readers.html_text),
    ".docx": lambda data, ctx: readers.docx_text(data),
    ".pdf": lambda data, ctx: readers.pdf_text(data),
    ".csv": _csv,
    ".json": _gold,
}
SUPPORTED = tuple(READERS)
OWN_KINDS = (".csv", ".json")  # a kind column, or gold's own kinds


def iter_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Folders expand to the readable files in them, sorted, hidden ones skipped; files and
    missing paths stay as given, so each is reported on its own; "-" is standard input."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if str(raw) == "-" or not path.is_dir():
            out.append(path)
            continue
        found = []
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found += [
                Path(root) / f
                for f in sorted(files)
                if not f.startswith(".") and Path(f).suffix.lower() in READERS
            ]
        out += sorted(found) or [path]  # an empty folder is reported, not silently skipped
    return out


def read_path(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES, **options: Any
) -> list[Document]:
    """One file (or "-" for standard input) to its Documents.

    Options: kind, title, channel, team, language, valid_from, valid_until, text_column.
    """
    name = str(path)
    if name == "-":
        stream = getattr(sys.stdin, "buffer", None)
        data = stream.read(max_bytes + 1) if stream else sys.stdin.read().encode("utf-8")
        return _read(data, "-", "-", "stdin", ".txt", max_bytes, options)
    p = Path(path)
    try:
        if p.is_dir():
            raise IngestError(name, "holds no files Hinge can read", _supported_hint())
        size = p.stat().st_size
        if size > max_bytes:
            raise IngestError(name, f"is {_mb(size)}, over the {_mb(max_bytes)} limit", _big_hint())
        with p.open("rb") as f:
            data = f.read(max_bytes + 1)  # a file may grow, or be a device
    except FileNotFoundError as err:
        raise IngestError(name, "does not exist", "check the path") from err
    except OSError as err:
        raise IngestError(name, f"cannot be read ({err.strerror or err})", "check it") from err
    return _read(data, name, str(p.resolve()), p.stem, p.suffix.lower(), max_bytes, options)


def read_bytes(
    data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES, **options: Any
) -> list[Document]:
    """An upload: the filename only picks the format and names the source."""
    p = Path(filename)
    return _read(data, filename, filename, p.stem, p.suffix.lower(), max_bytes, options)


def read_text(text: str, source: str = "-", **options: Any) -> list[Document]:
    """Pasted text, as plain text."""
    data = text.encode("utf-8")
    return _read(data, source, source, "pasted text", ".txt", len(data), options)


def _read(
    data: bytes,
    name: str,
    source: str,
    stem: str,
    ext: str,
    max_bytes: int,
    options: dict[str, Any],
) -> list[Document]:
    reader = READERS.get(ext)
    if reader is None:
        what = f"has an unsupported type ({ext})" if ext else "has no file extension"
        raise IngestError(name, what, _supported_hint())
    if len(data) > max_bytes:
        raise IngestError(name, f"is over the {_mb(max_bytes)} limit", _big_hint())
    if not data.strip():
        raise IngestError(name, "is empty" if not data else "holds only whitespace", _empty_hint())
    options = {k: v for k, v in options.items() if v is not None}
    _check_options(name, options, kind_needed=ext not in OWN_KINDS)
    ctx: dict[str, Any] = {"name": name, "source": source, "stem": stem, "options": options}
    try:
        result = reader(data, ctx)
    except Unreadable as err:
        raise IngestError(name, err.problem, err.hint) from err
    if isinstance(result, str):
        return [_document(readers.normalise(result), source, stem, options, ctx)]
    return result


def _document(
    text: str, source: str, stem: str, options: dict[str, Any], ctx: dict[str, Any]
) -> Document:
    if not text.strip():
        raise IngestError(ctx["name"], "has no text", "check the file has readable text in it")
    _check_options(ctx["name"], options, kind_needed=True)
    doc = Document(
        kind=options["kind"],
        title=options.get("title") or _title(text) or stem,
        text=text,
        source=source,
        channel=options.get("channel"),
        team=options.get("team"),
        language=options.get("language"),
        valid_from=options.get("valid_from"),
        valid_until=options.get("valid_until"),
        warnings=list(ctx.get("warnings") or ()),
    )
    return doc


def _check_options(name: str, options: dict[str, Any], *, kind_needed: bool) -> None:
    kind = options.get("kind")
    if kind is None and kind_needed:
        raise IngestError(name, "needs a kind (campaign or procedure)", KIND_HINT)
    if kind is not None and kind not in KINDS:
        raise IngestError(name, f"has unknown kind {kind!r}", KIND_HINT)
    for key in ("valid_from", "valid_until"):
        value = options.get(key)
        if value is not None and not is_date(value):
            raise IngestError(name, f"{key} {value!r} is not a date", "use YYYY-MM-DD")
    start, until = options.get("valid_from"), options.get("valid_until")
    if start and until and start > until:
        raise IngestError(name, f"valid_from {start} is after valid_until {until}", "swap them")


def _title(text: str) -> str:
    """The first line, without list or heading markers, cut at a word near TITLE_MAX."""
    line = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    line = re.sub(r"^(?:#+|[-*•])\s+", "", line).strip()
    if len(line) <= TITLE_MAX:
        return line
    cut = line[: TITLE_MAX - 1].rsplit(" ", 1)[0]
    return (cut if len(cut) > TITLE_MAX // 2 else line[: TITLE_MAX - 1]).rstrip(" ,;:") + "…"


def _empty_hint() -> str:
    return "check it is the file you meant, saved with its text"


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def _big_hint() -> str:
    return "pass --max-mb to raise the limit, or split the file"


def _supported_hint() -> str:
    return f"Hinge reads {', '.join(SUPPORTED)}"
