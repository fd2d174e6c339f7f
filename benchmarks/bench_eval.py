"""Eval figures per bundled corpus, each judged with a calibration fitted on the other
corpora: `hinge eval corpora/*.json --leave-one-out` (d)."""

from __future__ import annotations

from pathlib import Path

from consistency.embed import SentenceEmbedder
from consistency.evaluate import evaluate, render

CORPORA = sorted((Path(__file__).parent.parent / "corpora").glob("*.json"))

if __name__ == "__main__":
    print(render(evaluate(CORPORA, SentenceEmbedder(), leave_one_out=True)))
