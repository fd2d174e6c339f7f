"""How many candidates should the judge search for a disagreement? Leave-one-corpus-out
figures for each fixed depth, and for choosing the depth per fit by its score on the
training corpora (what `hinge calibrate` did before the depth was fixed):

    .venv/bin/python benchmarks/conflict_depth.py corpora/*.json [--draws 1000]

Every corpus is judged in oracle mode with a calibration fitted on the others; the
pooled gap and contradiction F1 are printed per variant, then how often, redrawing the
corpora with replacement, one variant beats another (confusions are summed per corpus
before F1 is taken, as `hinge eval` pools them).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consistency import calibrate, judge  # noqa: E402
from consistency.embed import SentenceEmbedder  # noqa: E402
from consistency.gold import load_gold  # noqa: E402

DEPTHS = (2, 3, 4, 5)
DEFAULT = judge.CONFLICT_DEPTH


def readings_at(cases: list, depth: int) -> list[calibrate.Reading]:
    judge.CONFLICT_DEPTH = depth
    try:
        return calibrate.read(cases)
    finally:
        judge.CONFLICT_DEPTH = DEFAULT


def loo(by_depth: dict[int, list[calibrate.Reading]]) -> tuple[dict[str, Counter], Counter]:
    """Per corpus, the confusion of its verdicts under a calibration fitted without it,
    at the depth (of those given) whose fit scores best on the training corpora; and how
    many folds chose each (depth, contradiction threshold, coverage threshold)."""
    names = sorted({r.corpus for r in next(iter(by_depth.values()))})
    out: dict[str, Counter] = {}
    chosen: Counter = Counter()
    for name in names:
        fits = []
        for depth, rd in by_depth.items():
            train = [r for r in rd if r.corpus != name]
            cal = calibrate.fit(train, "m")
            fits.append((calibrate._objective(train, cal), depth, cal))
        _, depth, cal = max(fits, key=lambda f: f[0])
        chosen[(depth, cal["contradiction_threshold"], cal["cover_threshold"])] += 1
        out[name] = Counter(
            (r.gold, judge.decide(r.features, r.candidates, cal)[0])
            for r in by_depth[depth] if r.corpus == name
        )  # fmt: skip
    return out, chosen


def f1s(conf: Counter) -> tuple[float, float]:
    f1 = calibrate.verdict_f1(conf.elements())
    return f1["gaps"], f1["contradictions"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="+", type=Path)
    ap.add_argument("--draws", type=int, default=1000)
    args = ap.parse_args()
    # Specificity is computed when cases are built, for as many candidates as the
    # deepest search reads.
    judge.CONFLICT_DEPTH = max(DEPTHS)
    cases = calibrate.gold_cases([load_gold(p) for p in args.corpora], SentenceEmbedder())
    judge.CONFLICT_DEPTH = DEFAULT
    by_depth = {d: readings_at(cases, d) for d in DEPTHS}
    results = {f"depth {d}": loo({d: by_depth[d]}) for d in DEPTHS}
    results["chosen per fit"] = loo(by_depth)
    runs = {name: per for name, (per, _) in results.items()}
    for name, (per, chosen) in results.items():
        gaps, contra = f1s(sum(per.values(), Counter()))
        folds = ", ".join(f"{n} x {c}" for c, n in chosen.most_common())
        print(f"{name:16} gaps oracle F1 {gaps:.4f}  contradictions F1 {contra:.4f}")
        print(f"{'':16} folds (depth, contradiction, coverage threshold): {folds}")
    rng = random.Random(0)
    names = sorted(next(iter(runs.values())))
    draws = [[rng.choice(names) for _ in names] for _ in range(args.draws)]
    keys = list(runs)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            wins = [0, 0]
            for sample in draws:
                fa = f1s(sum((runs[a][n] for n in sample), Counter()))
                fb = f1s(sum((runs[b][n] for n in sample), Counter()))
                wins[0] += fa[0] > fb[0]
                wins[1] += fa[1] > fb[1]
            print(f"{a} beats {b} in {wins[0] / args.draws:.0%} of draws on gaps, "
                  f"{wins[1] / args.draws:.0%} on contradictions")  # fmt: skip


if __name__ == "__main__":
    main()
