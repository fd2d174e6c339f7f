"""The stages wired together: what the CLI and the web app call.

ingest -> extract -> store for documents; store -> embed -> match -> judge -> store
for a check. Nothing here parses text or scores anything itself.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from . import extract, ingest, judge, match, triage, words
from .embed import Embedder, embed
from .models import Document, HingeError, IngestError, Statement, text_hash
from .store import Store, now_iso

CANDIDATES = 10  # ranked procedure statements kept per promise
HEADING_WORDS = 4  # a statement this short without a full stop or a fact is a title


@dataclass
class IngestReport:
    saved: list[tuple[Document, int, str]] = field(default_factory=list)  # doc, id, status
    failed: list[IngestError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def save(store: Store, doc: Document) -> tuple[int, str]:
    """Extract and store one document in one transaction; unchanged ones cost nothing."""
    if doc.language is None:
        doc.language = extract.detect_language(doc.text)
    if doc.organisation == "default" and doc.meta.get("corpus"):
        doc.organisation = doc.meta["corpus"]  # a gold file is one organisation
    previous = store.current_document(doc.source)
    if previous and store.unchanged(doc, previous):
        if previous["extractor_version"] != extract.EXTRACTOR_VERSION:
            _, statements = extract.extract(doc.text, doc.kind, doc.language)
            store.replace_statements(previous["id"], statements, extract.EXTRACTOR_VERSION)
        return previous["id"], "unchanged"
    _, statements = extract.extract(doc.text, doc.kind, doc.language)
    return store.save_document(doc, statements, extract.EXTRACTOR_VERSION)


def ingest_paths(
    store: Store,
    paths: Sequence[str | Path],
    progress: Callable[[Iterable[Path]], Iterable[Path]] = lambda it: it,
    **options: Any,
) -> IngestReport:
    """Read and store every file; a bad file is reported and the others still go in."""
    report = IngestReport()
    try:
        files = ingest.iter_paths(paths)
    except IngestError as err:
        report.failed.append(err)
        return report
    for path in progress(files):
        try:
            docs = ingest.read_path(path, **options)
            for doc in docs:
                report.warnings += [f"{doc.source}: {w}" for w in doc.warnings]
                doc_id, status = save(store, doc)
                report.saved.append((doc, doc_id, status))
        except IngestError as err:
            report.failed.append(err)
    return report


def refresh(store: Store) -> int:
    """Re-extract documents stored by an older extractor; returns how many."""
    stale = store.stale_documents(extract.EXTRACTOR_VERSION)
    for d in stale:
        _, statements = extract.extract(d["text"], d["kind"], d["language"])
        store.replace_statements(d["id"], statements, extract.EXTRACTOR_VERSION)
    return len(stale)


# -- judging -------------------------------------------------------------------------------


def _in_force(campaign: tuple[Any, ...], procedure: tuple[Any, ...]) -> bool:
    """A procedure counts for a campaign of its own organisation when their validity
    windows, as `_window` gives them, overlap."""
    org, p_from, p_until = campaign
    s_org, s_from, s_until = procedure
    ends_before = s_until and p_from and s_until < p_from
    starts_after = s_from and p_until and s_from > p_until
    return org == s_org and not (ends_before or starts_after)


def _eligible(
    promises: list[dict[str, Any]], procedures: list[dict[str, Any]]
) -> list[np.ndarray | None]:
    """Per promise, the procedure indices it may match, or None for all of them. Promises
    and procedures share a handful of (organisation, validity window) keys: one array per
    promise key, shared, built from the procedure keys, so the cost does not grow with
    promises times procedures."""
    windows: dict[tuple[Any, ...], list[int]] = {}  # procedures by the same key
    for j, s in enumerate(procedures):
        windows.setdefault(_window(s), []).append(j)
    orgs = {org for org, _, _ in windows}
    by_key: dict[tuple[Any, ...], np.ndarray] = {}
    out: list[np.ndarray | None] = []
    for p in promises:
        if not (p.get("valid_from") or p.get("valid_until") or len(orgs) > 1):
            out.append(None)  # most stores: one organisation, campaigns without a window
            continue
        key = _window(p)
        if key not in by_key:
            keep = [j for window, members in windows.items() if _in_force(key, window)
                    for j in members]  # fmt: skip
            by_key[key] = np.array(sorted(keep), dtype=int)
        out.append(by_key[key])
    return out


def _window(statement: dict[str, Any]) -> tuple[Any, ...]:
    org = statement.get("organisation", "default")
    return org, statement.get("valid_from"), statement.get("valid_until")


def _without_headings(procedures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Section headings ("Late check-out", "4.2 Opening a current account") sit close to
    every promise on their topic but deliver nothing; their words reach the steps under
    them through the lexical signal instead."""
    headings = {(s.get("document_id"), s["heading"]) for s in procedures if s.get("heading")}
    return [s for s in procedures if not _is_heading(s, headings)]


def _is_heading(statement: dict[str, Any], headings: set[tuple[Any, str]]) -> bool:
    text = statement["text"].strip()
    doc = statement.get("document_id")
    if (doc, text) in headings or (doc, text.rstrip(":").strip()) in headings:
        return True
    # A short line with no sentence end and no fact is a title, wherever it sits.
    short = len(text.split()) <= HEADING_WORDS and not text.endswith((".", "!", "?", ";"))
    return short and not statement.get("facts")


def _specificity(
    promises: list[dict[str, Any]],
    p_vecs: np.ndarray,
    s_vecs: np.ndarray,
    kept: list[list[match.Candidate]],
    rivals: list[dict[str, Any]] | None = None,
    r_vecs: np.ndarray | None = None,
) -> list[list[float]]:
    """Per promise and per candidate among its first few, the margin by which the
    statement is closer to this promise than to any other promise of the same
    organisation (see match.specificity); zeros where there is no rival. `rivals` are
    promises that compete without being judged (a draft is linted against the stored
    campaigns)."""
    depth = max(judge.CONFLICT_DEPTH, judge.NEAR)
    out = [[0.0] * len(k[:depth]) for k in kept]
    by_org: dict[str, list[int]] = {}
    for i, p in enumerate(promises):
        by_org.setdefault(p.get("organisation", "default"), []).append(i)
    extra: dict[str, list[int]] = {}
    for i, r in enumerate(rivals or []):
        extra.setdefault(r.get("organisation", "default"), []).append(i)
    for org, members in by_org.items():
        rows = [(pos, r, c.index) for pos, i in enumerate(members)
                for r, c in enumerate(kept[i][:depth])]  # fmt: skip
        others = extra.get(org, [])
        if not rows or len(members) + len(others) < 2:
            continue
        targets = p_vecs[members]
        keys = [text_hash(promises[i]["text"]) for i in members]
        if others and r_vecs is not None:
            targets = np.vstack([targets, r_vecs[others]])
            keys += [text_hash((rivals or [])[i]["text"]) for i in others]
        margins = match.specificity(
            s_vecs[[j for _, _, j in rows]], np.array([pos for pos, _, _ in rows]), targets, keys
        )
        for (pos, r, _), m in zip(rows, margins, strict=True):
            out[members[pos]][r] = float(m)
    return out


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Checking allocates hundreds of thousands of small objects (statement rows, facts,
    candidates) that reference counting frees; the cyclic collector still walked every
    live object, the loaded model included, on each burst of allocations. Paused for
    the call, a warm re-check of the 87 bundled corpora took 0.70 to 0.73 s instead of
    1.04 to 1.05 s (medians of five). Anything cyclic left over is collected once it
    resumes."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_cases(
    store: Store,
    embedder: Embedder,
    promises: list[dict[str, Any]],
    procedures: list[dict[str, Any]],
    decisions: list[dict[str, Any]] | None = None,
    rivals: list[dict[str, Any]] | None = None,
) -> list[judge.Case]:
    """Embed, rank and gather for each promise what the judge reads."""
    if not promises:
        return []
    judge.check_model(embedder.name)
    procedures = _without_headings(procedures)
    p_vecs = embed(store, embedder, [p["text"] for p in promises])
    proc_texts = [s["text"] for s in procedures]
    s_vecs = embed(store, embedder, proc_texts) if procedures else np.zeros((0, p_vecs.shape[1]))
    p_terms = [words.stored_terms(p) for p in promises]
    s_terms = [words.stored_terms(s) for s in procedures]
    lexicon = match.LexicalIndex.build(s_terms)
    eligible = _eligible(promises, procedures)
    rejected, _ = triage.links(decisions or [])
    # Most statements state no value of the kinds compared; a pair that shares no such
    # kind cannot agree on one, so it skips the check.
    p_values = [judge.distinctive_facts(p["facts"]) for p in promises]
    p_kinds = [{f["kind"] for f in values} for values in p_values]
    s_kinds = [{f["kind"] for f in judge.distinctive_facts(s["facts"])} for s in procedures]

    def states_value(i: int, j: int) -> bool:
        return bool(p_kinds[i] & s_kinds[j]) and judge.states_value(
            p_values[i], procedures[j]["facts"], promises[i]["facts"]
        )

    ranked = match.rank(
        p_terms, p_vecs, s_terms, s_vecs, k=CANDIDATES + 5, eligible=eligible, lexicon=lexicon,
        states_value=states_value,
    )  # fmt: skip
    kept = []
    for p, cands in zip(promises, ranked, strict=True):
        ph = text_hash(p["text"])
        cands = [c for c in cands if (ph, procedures[c.index]["text_hash"]) not in rejected]
        # The judge reads candidates by similarity: its calibrated features and conflict
        # depth assume that order, and judging in `score` order lost 0.014 gap F1 and
        # 0.03 contradiction F1 leave-one-out on 45 corpora. A stated value only brings a
        # statement into the list and up the evidence shown (judge.judge).
        kept.append(sorted(cands[:CANDIDATES], key=lambda c: c.similarity, reverse=True))
    r_vecs = embed(store, embedder, [r["text"] for r in rivals]) if rivals else None
    specific = _specificity(promises, p_vecs, s_vecs, kept, rivals, r_vecs)
    cases = []
    for p, pt, cands, spec in zip(promises, p_terms, kept, specific, strict=True):
        evidence = [
            judge.Evidence(
                procedures[c.index], c.cosine, c.lexical, c.score,
                spec[r] if r < len(spec) else 0.0,
            )
            for r, c in enumerate(cands)
        ]  # fmt: skip
        union = frozenset().union(*(s_terms[c.index] for c in cands[: judge.NEAR]))
        cases.append(
            judge.Case(
                p, evidence, lexical_top3=lexicon.recall(pt, union),
                unseen=lexicon.unseen(pt), specificity=max(spec[: judge.NEAR], default=0.0),
            )
        )  # fmt: skip
    return cases


@_cyclic_gc_paused()
def judge_promises(
    store: Store,
    embedder: Embedder,
    promises: list[dict[str, Any]],
    procedures: list[dict[str, Any]],
    decisions: list[dict[str, Any]] | None = None,
    cal: dict[str, Any] | None = None,
    rivals: list[dict[str, Any]] | None = None,
) -> list[tuple[list[judge.Evidence], judge.Verdict | None]]:
    """Rank evidence and judge each promise; human link decisions take precedence.
    The verdict is None for a statement not reported as a promise (`judge.reported`),
    unless someone has made a decision on it. `cal` replaces the shipped calibration
    (leave-one-out evaluation)."""
    cases = build_cases(store, embedder, promises, procedures, decisions, rivals)
    _, linked = triage.links(decisions or [])
    decided = {d["promise_hash"] for d in decisions or []}
    out: list[tuple[list[judge.Evidence], judge.Verdict | None]] = []
    for case in cases:
        verdict = judge.judge(case, cal)
        h = text_hash(case.promise["text"])
        link = linked.get(h)
        if link:
            verdict = _apply_link(verdict, procedures, link)
        shown = judge.reported(case.promise, verdict) or h in decided
        out.append((case.evidence, verdict if shown else None))
    return out


def _apply_link(
    verdict: judge.Verdict,
    procedures: list[dict[str, Any]],
    link_hash: str,
) -> judge.Verdict:
    statement = next((s for s in procedures if s["text_hash"] == link_hash), None)
    if statement is None:  # the linked text changed or went away: the machine speaks again
        return verdict
    row = next((r for r in verdict.evidence if r["text_hash"] == link_hash), None)
    if row is None:
        row = judge._evidence_row({"facts": []}, judge.Evidence(statement, 0.0, 0.0, 0.0))
    rows = [dict(row, linked=True)] + [r for r in verdict.evidence if r is not row]
    return judge.Verdict("covered", 1.0, rows[: judge.EVIDENCE_SHOWN], [], verdict.features)


def _unexpired(row: dict[str, Any], today: str) -> bool:
    """Whether a campaign (or its statement) is in force on `today`: running and upcoming
    campaigns both matter. One rule for what a check judges and what its digest covers."""
    return not row["valid_until"] or row["valid_until"] >= today


def promises_in_force(store: Store, today: str | None = None) -> list[dict[str, Any]]:
    """Campaign promises not yet expired."""
    today = today or date.today().isoformat()
    return [
        s for s in store.statements(kind="campaign", promises_only=True) if _unexpired(s, today)
    ]


@functools.cache
def _judging_code() -> str:
    """A digest of the package's code and data (lexicons, calibration): findings judged by
    other code are judged again, even in a development checkout."""
    digest = hashlib.sha1()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _basis(
    store: Store, model: str, today: str, all_campaigns: bool
) -> tuple[dict[str, str], dict[str, list[int]]]:
    """Per organisation with campaigns in force, a digest of everything its findings
    depend on, and those campaigns' document ids. Procedures of every organisation go
    into every digest: the lexical index weighs words across all of them."""
    states = store.document_states()
    procedures = [s for s in states if s["kind"] == "procedure"]
    # Hashed once: folding the long procedure list into every organisation's digest
    # took most of a warm re-check's time.
    shared = hashlib.sha1(
        json.dumps([_judging_code(), model, procedures], sort_keys=True).encode()
    ).hexdigest()
    campaigns: dict[str, list[dict[str, Any]]] = {}
    for s in states:
        if s["kind"] == "campaign" and (all_campaigns or _unexpired(s, today)):
            campaigns.setdefault(s["organisation"], []).append(s)
    marks = store.decision_marks()
    basis = {
        org: hashlib.sha1(
            json.dumps([shared, docs, marks.get(org)], sort_keys=True).encode()
        ).hexdigest()
        for org, docs in campaigns.items()
    }
    return basis, {org: [d["id"] for d in docs] for org, docs in campaigns.items()}


@_cyclic_gc_paused()
def check(
    store: Store,
    embedder: Embedder,
    *,
    today: str | None = None,
    all_campaigns: bool = False,
    started_at: str | None = None,
    rejudge: bool = False,
) -> int:
    """Judge every promise in force against current procedures; store the run. An
    organisation whose campaigns, procedures and decisions are as the latest run judged
    them, with the same code and model, keeps that run's findings, unless `rejudge`."""
    started = started_at or now_iso()
    today = today or (started_at[:10] if started_at else date.today().isoformat())
    refresh(store)
    basis, documents = _basis(store, embedder.name, today, all_campaigns)
    previous = store.latest_run()
    before = json.loads(previous.get("basis") or "{}") if previous and not rejudge else {}
    carried = sorted(org for org, digest in basis.items() if before.get(org) == digest)
    findings = []
    if len(carried) < len(basis):
        kept = set(carried)
        promises = [
            p
            for p in (
                store.statements(kind="campaign", promises_only=True)
                if all_campaigns
                else promises_in_force(store, today)
            )
            if p["organisation"] not in kept
        ]
        findings = _judged_findings(store, embedder, promises)
    run = {
        "started_at": started,
        "finished_at": started_at or now_iso(),
        "model": embedder.name,
        "calibration": judge.calibration().get("note", ""),
        "basis": json.dumps(basis, sort_keys=True),
        "judged": len(findings),
    }
    copied = [d for org in carried for d in documents[org]]
    return store.save_run(run, findings, (previous["id"], copied) if copied else None)


def _judged_findings(
    store: Store, embedder: Embedder, promises: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    if not promises:
        return []
    procedures = store.statements(kind="procedure")
    decisions = store.decisions([text_hash(p["text"]) for p in promises])
    results = judge_promises(store, embedder, promises, procedures, decisions)
    rows = _verdict_rows(
        promises,
        results,
        lambda p: {
            "statement_id": p["id"],
            "document_id": p["document_id"],
            "promise_hash": text_hash(p["text"]),
            "promise_text": p["text"],
        },
    )
    return [dict(r, machine_verdict=r["verdict"]) for r in rows]


def _verdict_rows(
    promises: list[dict[str, Any]],
    results: list[tuple[list[judge.Evidence], judge.Verdict | None]],
    describe: Callable[[dict[str, Any]], dict[str, Any]],
) -> list[dict[str, Any]]:
    """One row per reported promise: how `describe` names it, and its verdict."""
    return [
        {
            **describe(p),
            "verdict": v.verdict,
            "confidence": v.confidence,
            "evidence": v.evidence,
            "conflicts": v.conflicts,
        }
        for p, (_, v) in zip(promises, results, strict=True)
        if v is not None
    ]


def unsaved_row(s: Statement, doc: Document, language: str) -> dict[str, Any]:
    """A statement of a document that is not stored, as the statement rows of
    `Store.statements` that matching and judging read."""
    return {
        "id": None, "text": s.text, "text_hash": s.text_hash, "start": s.start, "end": s.end,
        "facts": [asdict(f) for f in s.facts], "terms": s.terms, "words": s.words,
        "organisation": doc.organisation, "language": language,
        "valid_from": doc.valid_from, "valid_until": doc.valid_until,
    }  # fmt: skip


def lint(store: Store, embedder: Embedder, doc: Document) -> list[dict[str, Any]]:
    """Judge a draft campaign against stored procedures without storing the draft."""
    if doc.kind != "campaign":
        raise HingeError("lint checks campaigns: pass --kind campaign")
    refresh(store)
    language, statements = extract.extract(doc.text, "campaign", doc.language)
    promises = [
        unsaved_row(s, doc, language) | {"promise_score": s.promise_score}
        for s in statements
        if s.is_promise
    ]
    procedures = store.statements(kind="procedure")
    if not procedures:
        raise HingeError("no procedures are stored yet: `hinge ingest FILE --kind procedure` first")
    orgs = {s["organisation"] for s in procedures}
    if doc.organisation not in orgs:
        if doc.organisation != "default":
            raise HingeError(
                f"no procedures are stored for organisation {doc.organisation!r}; "
                f"stored: {', '.join(sorted(orgs))}"
            )
        if len(orgs) > 1:
            raise HingeError(
                f"the store holds several organisations ({', '.join(sorted(orgs))}): "
                "pass --organisation"
            )
        for p in promises:
            p["organisation"] = next(iter(orgs))
    # The draft's promises compete with the stored ones of the same organisation, as
    # they will once the campaign is stored (see judge's specificity).
    drafted = {p["text"] for p in promises}
    stored = [
        r for r in store.statements(kind="campaign", promises_only=True)
        if r["organisation"] == promises[0]["organisation"] and r["text"] not in drafted
    ] if promises else []  # fmt: skip
    results = judge_promises(store, embedder, promises, procedures, rivals=stored)
    return _verdict_rows(
        promises, results, lambda p: {"text": p["text"], "start": p["start"], "end": p["end"]}
    )
