"""How sure must the promise detector be before Hinge reports a statement that no
procedure delivers as an uncovered promise? (`judge.SURE_PROMISE`)

    .venv/bin/python benchmarks/doubtful_promises.py corpora/*.json

Every corpus is judged end to end (the statements its detector flags) with a
calibration fitted on the other corpora. For each threshold, the pooled end-to-end gap
precision, recall and F1 are printed as `hinge eval` counts them; then the threshold
each fold chooses on the other corpora, and the pooled F1 of those choices. The
detector's weights are the shipped ones, fitted on all the bundled corpora.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consistency import calibrate, extract, judge, pipeline  # noqa: E402
from consistency.embed import SentenceEmbedder  # noqa: E402
from consistency.evaluate import _span, aligned  # noqa: E402
from consistency.gold import GoldCorpus, load_gold  # noqa: E402
from consistency.models import GAP_VERDICTS  # noqa: E402
from consistency.store import Store  # noqa: E402

GRID = [round(extract.PROMISE_THRESHOLD + 0.05 * i, 2) for i in range(9)]


@dataclass
class Flagged:
    """One statement the detector flags, as the judge reads it."""

    score: float
    features: dict[str, float]
    candidates: list[judge.Conflict]
    gold_gap: bool  # aligned to a gold uncovered or contradicted promise
    finds: int  # gold gaps for which it is the best-aligned statement
    verdict: str = ""


def flagged(corpus: GoldCorpus, store: Store, embedder: SentenceEmbedder) -> tuple[list, int]:
    """The flagged statements of one corpus, and its number of gold gaps."""
    ids = {d.meta["gold_id"]: pipeline.save(store, d)[0] for d in corpus.documents}
    texts = {d.meta["gold_id"]: d.text for d in corpus.documents}
    gaps = [(g.document, _span(texts[g.document], g.text))
            for g in corpus.promises if g.verdict in GAP_VERDICTS]  # fmt: skip
    best = Counter()
    for doc, span in gaps:
        rows = store.statements(document_id=ids[doc])
        top = max(rows, key=lambda st: aligned((st["start"], st["end"]), span or (0, 0)))
        if span and aligned((top["start"], top["end"]), span):
            best[top["id"]] += 1
    campaigns = [d.meta["gold_id"] for d in corpus.documents if d.kind == "campaign"]
    promises = [st for i in campaigns
                for st in store.statements(document_id=ids[i]) if st["is_promise"]]  # fmt: skip
    cases = pipeline.build_cases(store, embedder, promises, store.statements(kind="procedure"))
    gold_id = {v: k for k, v in ids.items()}
    out = []
    for st, case in zip(promises, cases, strict=True):
        span, doc = (st["start"], st["end"]), gold_id[st["document_id"]]
        hit = any(d == doc and s and aligned(span, s) for d, s in gaps)
        out.append(Flagged(st["promise_score"], judge.features(case),
                           judge.conflict_candidates(case), hit, best[st["id"]]))  # fmt: skip
    return out, len(gaps)


def counts(rows: list[Flagged], threshold: float) -> Counter:
    c: Counter = Counter()
    for r in rows:
        said = r.verdict in GAP_VERDICTS and (r.verdict != "uncovered" or r.score >= threshold)
        c["tp" if r.gold_gap else "fp"] += said
        c["found"] += r.finds if said else 0
    return c


def prf(c: Counter, gold: int) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["found"] / gold if gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="+", type=Path)
    args = ap.parse_args()
    corpora = [load_gold(p) for p in args.corpora]
    embedder = SentenceEmbedder()
    by_corpus: dict[str, tuple[list[Flagged], int]] = {}
    with tempfile.TemporaryDirectory(prefix="hinge-doubtful-") as tmp:
        readings = calibrate.read(calibrate.gold_cases(corpora, embedder, Path(tmp)))
        for corpus in corpora:
            store = Store(Path(tmp) / f"{corpus.name}.db")
            try:
                by_corpus[corpus.name] = flagged(corpus, store, embedder)
            finally:
                store.close()
    for name, (rows, _) in by_corpus.items():
        cal = calibrate.fit([r for r in readings if r.corpus != name], embedder.name)
        for r in rows:
            r.verdict = judge.decide(r.features, r.candidates, cal)[0]

    def pooled(names: list[str], t: float) -> tuple[float, float, float]:
        c = sum((counts(by_corpus[n][0], t) for n in names), Counter())
        return prf(c, sum(by_corpus[n][1] for n in names))

    names = sorted(by_corpus)
    print(f"{len(names)} corpora, {sum(len(r) for r, _ in by_corpus.values())} flagged "
          f"statements, {sum(g for _, g in by_corpus.values())} gold gaps")  # fmt: skip
    print("threshold  precision  recall  gap F1 (end to end, leave-one-out calibration)")
    for t in GRID:
        p, r, f = pooled(names, t)
        mark = "  <- shipped" if t == judge.SURE_PROMISE else ""
        print(f"{t:9.2f}  {p:9.4f}  {r:6.4f}  {f:6.4f}{mark}")
    picks: Counter = Counter()
    total: Counter = Counter()
    for name in names:
        others = [n for n in names if n != name]
        t = max(GRID, key=lambda t: pooled(others, t)[2])
        picks[t] += 1
        total += counts(by_corpus[name][0], t)
    gold = sum(g for _, g in by_corpus.values())
    print("chosen per fold on the other corpora:",
          ", ".join(f"{t} in {n}" for t, n in sorted(picks.items())),
          f"-> gap F1 {prf(total, gold)[2]:.4f}")  # fmt: skip


if __name__ == "__main__":
    main()
