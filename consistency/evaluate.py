"""Score the whole pipeline against gold corpora (shared/gold-format.md).

Each file goes into its own fresh store; counts are pooled over files before
ratios are taken. A naive baseline (best MiniLM cosine under one threshold means
a gap, the threshold chosen on the same data) is scored in the same run so the
margin is visible.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from . import calibrate, judge, pipeline
from .embed import Embedder
from .gold import GoldCorpus, load_golds
from .models import GAP_VERDICTS, VERDICTS, HingeError
from .store import Store


def aligned(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Overlap in characters when it is at least half of the shorter span, else 0."""
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return overlap if overlap > 0 and overlap * 2 >= shorter else 0


def _span(text: str, needle: str) -> tuple[int, int] | None:
    i = text.find(needle)
    return (i, i + len(needle)) if i >= 0 else None


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def counts_for(
    corpus: GoldCorpus, embedder: Embedder, workdir: Path, cal: dict[str, Any] | None = None
) -> Counter:
    """Raw counts for one gold corpus; figures are derived from pooled counts."""
    store = Store(workdir / f"{corpus.name}.db")
    c: Counter = Counter()
    try:
        ids, by_doc, gold = stored(store, corpus)
        _detection(c, corpus, by_doc, ids, gold)
        procedures = store.statements(kind="procedure")
        end_to_end(c, store, embedder, corpus, by_doc, gold, procedures, cal)
        _oracle(c, store, embedder, corpus, ids, gold, procedures, cal)
    finally:
        store.close()
    return c


def stored(store: Store, corpus: GoldCorpus) -> tuple[dict[str, int], dict[str, list], list]:
    """Store the corpus's documents: their ids and statements by gold document id, and
    each gold promise with its span in its document."""
    ids = {doc.meta["gold_id"]: pipeline.save(store, doc)[0] for doc in corpus.documents}
    texts = {d.meta["gold_id"]: d.text for d in corpus.documents}
    by_doc = {i: store.statements(document_id=ids[i]) for i in ids}
    return ids, by_doc, [(g, _span(texts[g.document], g.text)) for g in corpus.promises]


def _detection(c: Counter, corpus: GoldCorpus, by_doc, ids, gold) -> None:
    for doc in corpus.documents:
        if doc.kind != "campaign":
            continue
        spans = [s for g, s in gold if g.document == doc.meta["gold_id"] and s]
        for st in by_doc[doc.meta["gold_id"]]:
            if st["is_promise"]:
                hit = any(aligned((st["start"], st["end"]), s) for s in spans)
                c["det_tp" if hit else "det_fp"] += 1
    for g, s in gold:
        found = s and any(
            st["is_promise"] and aligned((st["start"], st["end"]), s) for st in by_doc[g.document]
        )
        c["det_found"] += bool(found)
        c["det_gold"] += 1


def end_to_end(c: Counter, store, embedder, corpus, by_doc, gold, procedures, cal) -> None:
    campaign_ids = {d.meta["gold_id"] for d in corpus.documents if d.kind == "campaign"}
    promises = [st for i in campaign_ids for st in by_doc[i] if st["is_promise"]]
    results = pipeline.judge_promises(store, embedder, promises, procedures, cal=cal)
    verdict_of = {
        st["id"]: v.verdict for st, (_, v) in zip(promises, results, strict=True) if v is not None
    }
    gold_gap_spans = [(g.document, s) for g, s in gold if s and g.verdict in GAP_VERDICTS]
    for i in campaign_ids:
        for st in by_doc[i]:
            if verdict_of.get(st["id"]) in GAP_VERDICTS:
                span = (st["start"], st["end"])
                hit = any(d == i and aligned(span, s) for d, s in gold_gap_spans)
                c["e2e_tp" if hit else "e2e_fp"] += 1
    for g, s in gold:
        if g.verdict not in GAP_VERDICTS:
            continue
        best = max(
            by_doc[g.document], key=lambda st: aligned((st["start"], st["end"]), s or (0, 0))
        )
        hit = s and aligned((best["start"], best["end"]), s)
        found = hit and verdict_of.get(best["id"]) in GAP_VERDICTS
        c["e2e_found"] += bool(found)
        c["e2e_gold"] += 1


def _oracle(c: Counter, store, embedder, corpus, ids, gold, procedures, cal) -> None:
    promises = calibrate.oracle_promises(corpus)
    results = pipeline.judge_promises(store, embedder, promises, procedures, cal=cal)
    procedure_docs = {
        ids[d.meta["gold_id"]]: d.text for d in corpus.documents if d.kind == "procedure"
    }
    for (g, _), (cands, v) in zip(gold, results, strict=True):
        assert v is not None  # gold promises carry no promise score: always reported
        predicted = v.verdict
        c[f"confusion:{g.verdict}:{predicted}"] += 1
        c["verdict_correct"] += predicted == g.verdict
        gap_gold, gap_pred = g.verdict in GAP_VERDICTS, predicted in GAP_VERDICTS
        c["orc_tp"] += gap_gold and gap_pred
        c["orc_fp"] += gap_pred and not gap_gold
        c["orc_fn"] += gap_gold and not gap_pred
        c["con_tp"] += g.verdict == predicted == "contradicted"
        c["con_fp"] += predicted == "contradicted" and g.verdict != "contradicted"
        c["con_fn"] += g.verdict == "contradicted" and predicted != "contradicted"
        best = cands[0].cosine if cands else 0.0
        for t in BASELINE_THRESHOLDS:
            c[f"base:{t:.2f}:tp"] += best < t and gap_gold
            c[f"base:{t:.2f}:fp"] += best < t and not gap_gold
            c[f"base:{t:.2f}:fn"] += best >= t and gap_gold
        if g.verdict == "uncovered":
            continue
        # The tool's ranking: the evidence it shows, then the rest of its candidates.
        shown = [r["statement_id"] for r in v.evidence]
        ranked = shown + [e.statement for e in cands if e.statement["id"] not in shown]
        by_id = {e.statement["id"]: e.statement for e in cands}
        ranked_statements = [by_id[i] if isinstance(i, int) else i for i in ranked]
        rank = first_hit(ranked_statements, g.evidence, procedure_docs)
        c["ev_n"] += 1
        c["ev_r1"] += rank == 1
        c["ev_r5"] += rank is not None and rank <= 5
        c["ev_rr_x1000"] += round(1000 / rank) if rank else 0


def first_hit(ranked, gold_evidence, procedure_docs) -> int | None:
    """1-based rank of the first statement aligned to any gold evidence span."""
    spans = evidence_spans(gold_evidence, procedure_docs)
    return next((rank for rank, s in enumerate(ranked, start=1) if holds(s, spans)), None)


def evidence_spans(
    gold_evidence: list[str], procedure_docs: dict[int, str]
) -> list[tuple[int, tuple[int, int]]]:
    """(document id, span) of each gold evidence text in the stored procedure documents."""
    return [
        (doc_id, span)
        for ev in gold_evidence
        for doc_id, text in procedure_docs.items()
        if (span := _span(text, ev))
    ]


def holds(statement: dict[str, Any], spans: list[tuple[int, tuple[int, int]]]) -> bool:
    """Whether a statement is aligned to one of the gold evidence `spans`."""
    at = (statement["start"], statement["end"])
    return any(d == statement["document_id"] and aligned(at, sp) for d, sp in spans)


BASELINE_THRESHOLDS = [round(0.2 + 0.02 * i, 2) for i in range(36)]


def figures(c: Counter) -> dict[str, Any]:
    det = _prf(c["det_tp"], c["det_fp"], c["det_gold"] - c["det_found"])
    det["recall"] = round(c["det_found"] / c["det_gold"], 4) if c["det_gold"] else 0.0
    det["f1"] = _f1(det["precision"], det["recall"])
    e2e = {
        "precision": round(c["e2e_tp"] / (c["e2e_tp"] + c["e2e_fp"]), 4)
        if c["e2e_tp"] + c["e2e_fp"]
        else 0.0,
        "recall": round(c["e2e_found"] / c["e2e_gold"], 4) if c["e2e_gold"] else 0.0,
    }
    e2e["f1"] = _f1(e2e["precision"], e2e["recall"])
    n = sum(v for k, v in c.items() if k.startswith("confusion:"))
    gaps_gold = c["orc_tp"] + c["orc_fn"]
    base = max(
        (_prf(c[f"base:{t:.2f}:tp"], c[f"base:{t:.2f}:fp"], c[f"base:{t:.2f}:fn"]) | {"t": t}
         for t in BASELINE_THRESHOLDS),
        key=lambda r: r["f1"],
    )  # fmt: skip
    return {
        "promise_detection": det,
        "gaps": {"end_to_end": e2e, "oracle": _prf(c["orc_tp"], c["orc_fp"], c["orc_fn"])},
        "verdict": {
            "accuracy": round(c["verdict_correct"] / n, 4) if n else 0.0,
            "confusion": {g: {p: c[f"confusion:{g}:{p}"] for p in VERDICTS} for g in VERDICTS},
        },
        "contradictions": _prf(c["con_tp"], c["con_fp"], c["con_fn"]),
        "evidence": {
            "recall_at_1": round(c["ev_r1"] / c["ev_n"], 4) if c["ev_n"] else 0.0,
            "recall_at_5": round(c["ev_r5"] / c["ev_n"], 4) if c["ev_n"] else 0.0,
            "mrr": round(c["ev_rr_x1000"] / 1000 / c["ev_n"], 4) if c["ev_n"] else 0.0,
        },
        "baseline": {
            "cosine_threshold_oracle_f1": base["f1"],
            "threshold": base["t"],
            "flag_everything_f1": _prf(gaps_gold, n - gaps_gold, 0)["f1"],
        },
        "promises": n,
    }


def _f1(p: float, r: float) -> float:
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def evaluate(
    paths: list[Path], embedder: Embedder, *, leave_one_out: bool = False
) -> dict[str, Any]:
    """Figures pooled over the files and per file. With leave_one_out, each file is
    judged with a calibration fitted on the other files only, so a corpus the shipped
    calibration was fitted on can still be reported on honestly."""
    pooled: Counter = Counter()
    per_file: dict[str, Any] = {}
    corpora = load_golds(paths)
    if leave_one_out and len(corpora) < 2:
        raise HingeError("--leave-one-out needs at least two gold files")
    with tempfile.TemporaryDirectory(prefix="hinge-eval-") as tmp:
        # The calibration cases and the counts below share each corpus's store: nothing
        # is ingested or encoded twice.
        readings = (
            calibrate.read(calibrate.gold_cases(corpora, embedder, Path(tmp)))
            if leave_one_out
            else []
        )
        for corpus in corpora:
            cal = None
            if leave_one_out:
                others = [r for r in readings if r.corpus != corpus.name]
                cal = calibrate.fit(others, embedder.name)
            c = counts_for(corpus, embedder, Path(tmp), cal)
            pooled.update(c)
            per_file[corpus.name] = figures(c)
    result = figures(pooled)
    result["files"] = per_file
    result["calibration"] = (
        "leave-one-out: each file judged with a calibration fitted on the others"
        if leave_one_out
        else "shipped: fitted on " + ", ".join(judge.calibration().get("calibrated_on", []))
    )
    return result


def render(result: dict[str, Any]) -> str:
    """The figures as a short text table, pooled first, then per file."""
    rows = [("", "pooled", *result["files"].keys())]
    everything = [result, *result["files"].values()]

    def line(label: str, get) -> None:
        rows.append((label, *(f"{get(r):.3f}" for r in everything)))

    line("promise detection F1", lambda r: r["promise_detection"]["f1"])
    line("gaps end-to-end F1", lambda r: r["gaps"]["end_to_end"]["f1"])
    line("gaps oracle F1", lambda r: r["gaps"]["oracle"]["f1"])
    line("  precision", lambda r: r["gaps"]["oracle"]["precision"])
    line("  recall", lambda r: r["gaps"]["oracle"]["recall"])
    line("verdict accuracy", lambda r: r["verdict"]["accuracy"])
    line("contradictions F1", lambda r: r["contradictions"]["f1"])
    line("evidence recall@1", lambda r: r["evidence"]["recall_at_1"])
    line("evidence recall@5", lambda r: r["evidence"]["recall_at_5"])
    line("evidence MRR", lambda r: r["evidence"]["mrr"])
    line("baseline: cosine<t F1", lambda r: r["baseline"]["cosine_threshold_oracle_f1"])
    line("baseline: flag all F1", lambda r: r["baseline"]["flag_everything_f1"])
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    out = ["  ".join(str(c).rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    out.insert(0, f"calibration: {result['calibration']}\n")
    conf = result["verdict"]["confusion"]
    out += ["", "confusion (gold rows, predicted columns), pooled:"]
    out.append(f"{'':14}" + "".join(f"{v:>14}" for v in VERDICTS))
    for g in VERDICTS:
        out.append(f"{g:14}" + "".join(f"{conf[g][p]:>14}" for p in VERDICTS))
    return "\n".join(out)
