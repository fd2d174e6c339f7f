"""How sure must the promise detector be before Hinge reports a statement that no
procedure delivers as an uncovered promise? (`judge.SURE_PROMISE`)

    .venv/bin/python benchmarks/doubtful_promises.py corpora/*.json

Every corpus is judged end to end (the statements its detector flags) with a
calibration fitted on the other corpora, twice: flagged and scored by the shipped
promise-cue weights (fitted on every bundled corpus, as `hinge eval` does), and by
weights fitted without the corpus (`fit_promises.loo_scores`), as on copy Hinge has not
seen. For each threshold, the pooled end-to-end gap precision, recall and F1 are printed,
counted by `hinge eval`'s own code; then the threshold each fold chooses on the other
corpora, with the unseen-copy detector, and the pooled F1 of those choices.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from fit_promises import loo_scores  # noqa: E402

from consistency import calibrate, evaluate, extract, judge  # noqa: E402
from consistency.embed import SentenceEmbedder  # noqa: E402
from consistency.gold import load_gold  # noqa: E402
from consistency.store import Store  # noqa: E402

GRID = [round(extract.PROMISE_THRESHOLD + 0.05 * i, 2) for i in range(9)]
Detector = Callable[[str, dict], float]  # (corpus name, statement row) -> promise score


def rescored(by_doc: dict[str, list], corpus: str, score: Detector) -> dict[str, list]:
    """The statements as `score` would flag them."""
    out = {}
    for doc, rows in by_doc.items():
        out[doc] = []
        for st in rows:
            s = score(corpus, st)
            out[doc].append(dict(st, promise_score=s, is_promise=s >= extract.PROMISE_THRESHOLD))
    return out


def gaps(c: Counter) -> tuple[float, float, float]:
    e2e = evaluate.figures(c)["gaps"]["end_to_end"]
    return e2e["precision"], e2e["recall"], e2e["f1"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="+", type=Path)
    args = ap.parse_args()
    corpora = [load_gold(p) for p in args.corpora]
    unseen = loo_scores(args.corpora)
    detectors: dict[str, Detector] = {
        "shipped": lambda _, st: st["promise_score"],
        "unseen": lambda corpus, st: unseen.get((corpus, st["text"]), 0.0),
    }
    embedder = SentenceEmbedder()
    # counts[detector][threshold][corpus]: hinge eval's end-to-end counts
    counts = {d: {t: {} for t in GRID} for d in detectors}
    shipped = judge.SURE_PROMISE
    with tempfile.TemporaryDirectory(prefix="hinge-doubtful-") as tmp:
        readings = calibrate.read(calibrate.gold_cases(corpora, embedder, Path(tmp)))
        for corpus in corpora:
            cal = calibrate.fit([r for r in readings if r.corpus != corpus.name], embedder.name)
            store = Store(Path(tmp) / f"{corpus.name}.db")
            try:
                _, by_doc, gold = evaluate.stored(store, corpus)
                procedures = store.statements(kind="procedure")
                for d, score in detectors.items():
                    rows = rescored(by_doc, corpus.name, score)
                    for t in GRID:
                        judge.SURE_PROMISE = t
                        c = counts[d][t][corpus.name] = Counter()
                        evaluate.end_to_end(c, store, embedder, corpus, rows, gold, procedures, cal)
            finally:
                judge.SURE_PROMISE = shipped
                store.close()

    def pooled(d: str, t: float, names: list[str]) -> tuple[float, float, float]:
        return gaps(sum((counts[d][t][n] for n in names), Counter()))

    names = [c.name for c in corpora]
    print(f"{len(names)} corpora, {sum(counts['shipped'][GRID[0]][n]['e2e_gold'] for n in names)}"
          " gold gaps")  # fmt: skip
    print("end-to-end gaps, leave-one-out calibration; precision / recall / F1 per detector")
    print(f"{'threshold':>9}  {'shipped detector':>22}  {'unseen-copy detector':>22}")
    for t in GRID:
        cells = ["{:.4f} / {:.4f} / {:.4f}".format(*pooled(d, t, names)) for d in detectors]
        mark = "  <- shipped" if t == shipped else ""
        print(f"{t:9.2f}  {cells[0]:>22}  {cells[1]:>22}{mark}")
    picks: Counter = Counter()
    total: Counter = Counter()
    for name in names:
        others = [n for n in names if n != name]
        t = max(GRID, key=lambda t: pooled("unseen", t, others)[2])
        picks[t] += 1
        total += counts["unseen"][t][name]
    print("chosen per fold on the other corpora (unseen-copy detector):",
          ", ".join(f"{t} in {n}" for t, n in sorted(picks.items())),
          f"-> gap F1 {gaps(total)[2]:.4f}")  # fmt: skip


if __name__ == "__main__":
    main()
