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

from consistency import calibrate, evaluate, judge  # noqa: E402
from consistency.embed import SentenceEmbedder  # noqa: E402
from consistency.gold import GoldCorpus, load_golds  # noqa: E402
from consistency.store import Store  # noqa: E402

VERDICTS = ("covered", "uncovered", "contradicted")


def gold_first(case: judge.Case, spans: list) -> judge.Case:
    """The case with the statements aligned to its gold evidence (`evaluate.holds`, the
    rule `hinge eval` scores evidence by) moved to the top."""
    hits = [e for e in case.evidence if evaluate.holds(e.statement, spans)]
    rest = [e for e in case.evidence if e not in hits]
    return judge.Case(case.promise, hits + rest, case.lexical_top3, case.unseen, case.specificity)


def gold_spans(corpus: GoldCorpus, workdir: Path) -> list[list]:
    """Each gold promise's evidence spans in the corpus's store under `workdir`."""
    store = Store(workdir / f"{corpus.name}.db")
    try:
        ids, _, _ = evaluate.stored(store, corpus)  # saved already: only their ids
    finally:
        store.close()
    docs = {ids[d.meta["gold_id"]]: d.text for d in corpus.documents if d.kind == "procedure"}
    return [evaluate.evidence_spans(g.evidence, docs) for g in corpus.promises]


def report(label: str, cases: list) -> None:
    pairs = [(r.gold, verdict) for r, verdict in calibrate.held_out(calibrate.read(cases), "loo")]
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
        spans = [s for c in corpora for s in gold_spans(c, workdir)]
    moved = [(name, gold_first(case, sp), verdict)
             for (name, case, verdict), sp in zip(cases, spans, strict=True)]  # fmt: skip
    found = sum(1 for (_, c, _), (_, m, _) in zip(cases, moved, strict=True)
                if c.evidence and m.evidence[0] is not c.evidence[0])  # fmt: skip
    print(f"{len(cases)} promises in {len(corpora)} corpora; gold evidence moved up for {found}")
    report("as ranked", cases)
    report("gold evidence first", moved)


if __name__ == "__main__":
    main()
