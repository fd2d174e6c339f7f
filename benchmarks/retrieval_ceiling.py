"""How much would perfect evidence ranking buy the verdicts? Judges every gold promise in
oracle mode twice, with its candidates as Hinge ranks them and with the statements that
hold its gold evidence moved to the top (same candidates, same features otherwise):

    .venv/bin/python benchmarks/retrieval_ceiling.py corpora/*.json [--workdir DIR]

Each corpus is judged with a calibration fitted on the others (leave-one-out, as
`hinge eval --leave-one-out`), refitted for the reordered cases too. `--workdir` keeps
the per-corpus stores, so a second run encodes nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consistency import calibrate, judge  # noqa: E402
from consistency.embed import SentenceEmbedder  # noqa: E402
from consistency.gold import load_golds  # noqa: E402

VERDICTS = ("covered", "uncovered", "contradicted")


def gold_first(case: judge.Case, evidence: list[str]) -> judge.Case:
    def holds(e: judge.Evidence) -> bool:
        text = e.statement["text"]
        return any(g in text or text in g for g in evidence)

    hits = [e for e in case.evidence if holds(e)]
    rest = [e for e in case.evidence if not holds(e)]
    return judge.Case(case.promise, hits + rest, case.lexical_top3, case.unseen, case.specificity)


def loo(readings: list[calibrate.Reading]) -> list[tuple[str, str]]:
    pairs = []
    for name in sorted({r.corpus for r in readings}):
        cal = calibrate.fit([r for r in readings if r.corpus != name], "loo")
        pairs += [(r.gold, judge.decide(r.features, r.candidates, cal)[0])
                  for r in readings if r.corpus == name]  # fmt: skip
    return pairs


def report(label: str, pairs: list[tuple[str, str]]) -> None:
    f1 = calibrate.verdict_f1(pairs)
    counts = Counter(pairs)
    rows = "; ".join(f"{g} {[counts[(g, p)] for p in VERDICTS]}" for g in VERDICTS)
    print(f"{label:<22} gaps {f1['gaps']:.4f}  contradictions {f1['contradictions']:.4f}  ({rows})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--workdir", type=Path)
    args = ap.parse_args()
    corpora = load_golds(args.paths)
    with tempfile.TemporaryDirectory(prefix="hinge-ceiling-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        cases = calibrate.gold_cases(corpora, SentenceEmbedder(), workdir)
    gold = [g for c in corpora for g in c.promises]
    moved = [(name, gold_first(case, g.evidence), verdict)
             for (name, case, verdict), g in zip(cases, gold, strict=True)]  # fmt: skip
    found = sum(1 for (_, c, _), (_, m, _) in zip(cases, moved, strict=True)
                if c.evidence and m.evidence[0] is not c.evidence[0])  # fmt: skip
    print(f"{len(cases)} promises in {len(corpora)} corpora; gold evidence moved up for {found}")
    report("as ranked", loo(calibrate.read(cases)))
    report("gold evidence first", loo(calibrate.read(moved)))


if __name__ == "__main__":
    main()
