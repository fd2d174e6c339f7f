"""How sure must the promise detector be before Hinge reports a statement that no
procedure delivers as an uncovered promise? (`judge.SURE_PROMISE`)

    .venv/bin/python benchmarks/doubtful_promises.py corpora/*.json

Every corpus is judged end to end (the statements its detector flags) with a
calibration fitted on the other corpora, twice: flagged and scored by the shipped
promise-cue weights (fitted on every bundled corpus, as `hinge eval` does), and by
weights fitted without the corpus (`fit_promises.loo_scores`), as on copy Hinge has not
seen. For each threshold, the pooled end-to-end gap precision, recall and F1 are printed
as `hinge eval` counts them; then the threshold each fold chooses on the other corpora,
with the unseen-copy detector, and the pooled F1 of those choices.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from fit_promises import loo_scores  # noqa: E402

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


def flagged(
    corpus: GoldCorpus,
    store: Store,
    embedder: SentenceEmbedder,
    score: Callable[[str, dict], float],
) -> tuple[list, int]:
    """The statements of one corpus that `score` flags, and its number of gold gaps."""
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
    promises = [dict(st, promise_score=score(corpus.name, st)) for i in campaigns
                for st in store.statements(document_id=ids[i])]  # fmt: skip
    promises = [st for st in promises if st["promise_score"] >= extract.PROMISE_THRESHOLD]
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
    unseen = loo_scores(args.corpora)
    detectors: dict[str, Callable[[str, dict], float]] = {
        "shipped": lambda _, st: st["promise_score"],
        "unseen": lambda corpus, st: unseen.get((corpus, st["text"]), 0.0),
    }
    embedder = SentenceEmbedder()
    runs: dict[str, dict[str, tuple[list[Flagged], int]]] = {d: {} for d in detectors}
    with tempfile.TemporaryDirectory(prefix="hinge-doubtful-") as tmp:
        readings = calibrate.read(calibrate.gold_cases(corpora, embedder, Path(tmp)))
        for corpus in corpora:
            store = Store(Path(tmp) / f"{corpus.name}.db")
            try:
                for d, score in detectors.items():
                    runs[d][corpus.name] = flagged(corpus, store, embedder, score)
            finally:
                store.close()
    for name in runs["shipped"]:
        cal = calibrate.fit([r for r in readings if r.corpus != name], embedder.name)
        for by_corpus in runs.values():
            for r in by_corpus[name][0]:
                r.verdict = judge.decide(r.features, r.candidates, cal)[0]

    def pooled(by_corpus: dict, names: list[str], t: float) -> tuple[float, float, float]:
        c = sum((counts(by_corpus[n][0], t) for n in names), Counter())
        return prf(c, sum(by_corpus[n][1] for n in names))

    names = sorted(runs["shipped"])
    gold = sum(g for _, g in runs["shipped"].values())
    print(f"{len(names)} corpora, {gold} gold gaps; flagged statements: "
          + ", ".join(f"{sum(len(r) for r, _ in runs[d].values())} by the {d} detector"
                      for d in detectors))  # fmt: skip
    print("end-to-end gaps, leave-one-out calibration; precision / recall / F1 per detector")
    print(f"{'threshold':>9}  {'shipped detector':>22}  {'unseen-copy detector':>22}")
    for t in GRID:
        cells = ["{:.4f} / {:.4f} / {:.4f}".format(*pooled(runs[d], names, t)) for d in detectors]
        mark = "  <- shipped" if t == judge.SURE_PROMISE else ""
        print(f"{t:9.2f}  {cells[0]:>22}  {cells[1]:>22}{mark}")
    picks: Counter = Counter()
    total: Counter = Counter()
    for name in names:
        others = [n for n in names if n != name]
        t = max(GRID, key=lambda t: pooled(runs["unseen"], others, t)[2])
        picks[t] += 1
        total += counts(runs["unseen"][name][0], t)
    print("chosen per fold on the other corpora (unseen-copy detector):",
          ", ".join(f"{t} in {n}" for t, n in sorted(picks.items())),
          f"-> gap F1 {prf(total, gold)[2]:.4f}")  # fmt: skip


if __name__ == "__main__":
    main()
