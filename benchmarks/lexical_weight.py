"""How much of the ranking score should the lexical signal be? (`match.LEXICAL_WEIGHT`)

    .venv/bin/python benchmarks/lexical_weight.py corpora/*.json [--weights 0.3 0.5]

The weight orders the candidates the judge reads, so for each weight this runs
`hinge eval --leave-one-out` (every corpus judged with a calibration fitted on the
others, with that weight) and prints the pooled evidence ranking and verdict figures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consistency import match  # noqa: E402
from consistency.embed import SentenceEmbedder  # noqa: E402
from consistency.evaluate import evaluate  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="+", type=Path)
    ap.add_argument("--weights", nargs="+", type=float, default=[0.3, 0.4, 0.5, 0.6])
    args = ap.parse_args()
    embedder = SentenceEmbedder()
    shipped = match.LEXICAL_WEIGHT
    print(f"{len(args.corpora)} corpora, leave-one-out")
    print("weight   R@1    R@5    MRR    gaps e2e  gaps oracle  contradictions")
    try:
        for w in args.weights:
            match.LEXICAL_WEIGHT = w
            r = evaluate(args.corpora, embedder, leave_one_out=True)
            ev, gaps = r["evidence"], r["gaps"]
            mark = "  <- shipped" if w == shipped else ""
            print(f"{w:6.2f}  {ev['recall_at_1']:.3f}  {ev['recall_at_5']:.3f}  {ev['mrr']:.3f}"
                  f"  {gaps['end_to_end']['f1']:8.3f}  {gaps['oracle']['f1']:11.3f}"
                  f"  {r['contradictions']['f1']:14.3f}{mark}")  # fmt: skip
    finally:
        match.LEXICAL_WEIGHT = shipped


if __name__ == "__main__":
    main()
