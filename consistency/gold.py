"""Gold corpora (`hinge-gold/1`, shared/gold-format.md): documents plus the right answers.

Validation is strict because a score is only as good as its answers: a promise that is
not an exact substring of its document would silently align to nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .isoweek import is_date
from .models import KINDS, VERDICTS, Document, IngestError

FORMAT = "hinge-gold/1"
HINT = "see shared/gold-format.md for the hinge-gold/1 format"
META_FIELDS = ("channel", "team", "valid_from", "valid_until")


@dataclass
class GoldPromise:
    id: str
    document: str  # gold id of its campaign document
    text: str
    verdict: str
    evidence: list[str] = field(default_factory=list)


@dataclass
class GoldCorpus:
    name: str
    path: str
    documents: list[Document]
    promises: list[GoldPromise]


def load_gold(path: str | Path) -> GoldCorpus:
    """Read and validate one gold file; every problem is an IngestError naming it."""
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise IngestError(source, f"cannot read ({err.strerror or err})", "check the path") from err
    return parse_gold(loads(data, source), source)


def load_golds(paths: list[str] | list[Path]) -> list[GoldCorpus]:
    """`load_gold` for several files, whose corpus names must differ: a name keys the
    corpus's evaluation store and its leave-one-out fold, so two files of one name would
    be judged against each other's procedures."""
    corpora, seen = [], {}
    for path in paths:
        corpus = load_gold(path)
        if corpus.name in seen:
            raise IngestError(
                str(path), f"has the corpus name {corpus.name!r} of {seen[corpus.name]}",
                'give one of them another "name"',
            )  # fmt: skip
        seen[corpus.name] = str(path)
        corpora.append(corpus)
    return corpora


def loads(data: bytes, source: str) -> dict[str, Any]:
    """JSON text to a dict, with the line and column of a syntax error."""
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise IngestError(source, "is not UTF-8 text", "save the JSON file as UTF-8") from err
    except json.JSONDecodeError as err:
        problem = f"is not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})"
        raise IngestError(source, problem, "fix the JSON syntax") from err
    except RecursionError as err:
        raise IngestError(source, "is nested too deeply to read as JSON", HINT) from err
    if not isinstance(obj, dict):
        raise IngestError(source, "is JSON but not an object", HINT)
    return obj


def parse_gold(data: dict[str, Any], source: str) -> GoldCorpus:
    """Validate a decoded gold file and turn its documents into store-ready Documents."""

    def fail(problem: str, hint: str = HINT) -> IngestError:
        return IngestError(source, problem, hint)

    if data.get("format") != FORMAT:
        found = data.get("format")
        raise fail(f'"format" is {found!r}, not "{FORMAT}"' if found else '"format" is missing')
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail('"name" is missing', 'add "name": a short id for the organisation')
    name = name.strip()
    raw_docs, raw_promises = data.get("documents"), data.get("promises", [])
    if not isinstance(raw_docs, list) or not raw_docs:
        raise fail('"documents" is missing or empty')
    if not isinstance(raw_promises, list):
        raise fail('"promises" is not a list')

    documents: dict[str, Document] = {}
    for i, raw in enumerate(raw_docs):
        doc = _document(raw, f"documents[{i}]", name, fail)
        if doc.meta["gold_id"] in documents:
            raise fail(f"duplicate document id {doc.meta['gold_id']!r}", "give each one its own id")
        documents[doc.meta["gold_id"]] = doc
    procedures = [d.text for d in documents.values() if d.kind == "procedure"]

    promises: list[GoldPromise] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_promises):
        promise = _promise(raw, f"promises[{i}]", documents, procedures, fail)
        if promise.id in seen:
            raise fail(f"duplicate promise id {promise.id!r}", "give each one its own id")
        seen.add(promise.id)
        promises.append(promise)
    return GoldCorpus(name, source, list(documents.values()), promises)


def _document(raw: Any, where: str, corpus: str, fail: Any) -> Document:
    if not isinstance(raw, dict):
        raise fail(f"{where} is not an object")
    doc_id = _string(raw, "id", where, fail)
    where = f"document {doc_id!r}"
    kind = raw.get("kind")
    if kind not in KINDS:
        raise fail(f"{where} has kind {kind!r}", 'use "campaign" or "procedure"')
    text = _string(raw, "text", where, fail)
    fields = {k: _optional(raw, k, where, fail) for k in (*META_FIELDS, "title", "language")}
    for key in ("valid_from", "valid_until"):
        if fields[key] is not None and not is_date(fields[key]):
            raise fail(f"{where} has {key} {fields[key]!r}", "use an ISO date: YYYY-MM-DD")
    return Document(
        kind=kind,
        title=fields["title"] or doc_id,
        text=text,
        source=f"{corpus}#{doc_id}",  # not the path: the same corpus from elsewhere is a no-op
        channel=fields["channel"],
        team=fields["team"],
        language=fields["language"] or "en",
        valid_from=fields["valid_from"],
        valid_until=fields["valid_until"],
        meta={"gold_id": doc_id, "corpus": corpus},
        organisation=corpus,
    )


def _promise(
    raw: Any, where: str, documents: dict[str, Document], procedures: list[str], fail: Any
) -> GoldPromise:
    if not isinstance(raw, dict):
        raise fail(f"{where} is not an object")
    pid = _string(raw, "id", where, fail)
    where = f"promise {pid!r}"
    doc_id = _string(raw, "document", where, fail)
    doc = documents.get(doc_id)
    if doc is None:
        raise fail(f"{where} refers to unknown document {doc_id!r}", "use a document's id")
    if doc.kind != "campaign":
        raise fail(f"{where} refers to {doc_id!r}, a {doc.kind}", "promises sit in campaigns")
    text = _string(raw, "text", where, fail)
    if text not in doc.text:
        raise fail(
            f"{where}: its text is not an exact substring of document {doc_id!r}",
            "copy the sentence from the document's text character for character",
        )
    verdict = raw.get("verdict")
    if verdict not in VERDICTS:
        raise fail(f"{where} has verdict {verdict!r}", f"use one of {', '.join(VERDICTS)}")
    evidence = raw.get("evidence", [])
    if not isinstance(evidence, list) or not all(isinstance(e, str) and e for e in evidence):
        raise fail(f"{where}: evidence is not a list of texts")
    for ev in evidence:
        if not any(ev in p for p in procedures):
            raise fail(
                f"{where}: evidence {_short(ev)!r} is not in any procedure document",
                "copy evidence from a procedure's text character for character",
            )
    return GoldPromise(pid, doc_id, text, verdict, list(evidence))


def _string(raw: dict[str, Any], key: str, where: str, fail: Any) -> str:
    value = raw.get(key)
    if value is None:
        raise fail(f"{where} has no {key!r}")
    if not isinstance(value, str):
        raise fail(f"{where}: {key!r} is not a string")
    if not value.strip():
        raise fail(f"{where}: {key!r} is empty")
    return value


def _optional(raw: dict[str, Any], key: str, where: str, fail: Any) -> str | None:
    value = raw.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise fail(f"{where}: {key!r} is not a string")
    return value.strip()


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
