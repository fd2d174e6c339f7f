"""Fit the judge's weights and thresholds on gold corpora.

The coverage model is a small L2-regularised logistic regression over the judge's
features; the contradiction gate and the coverage threshold are chosen by grid
search for gap F1. Leave-one-corpus-out figures are printed so the calibration is
never reported on the data it was fitted to.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import judge, pipeline
from .embed import Embedder
from .extract import annotate
from .gold import GoldCorpus, load_golds
from .models import HingeError, Statement
from .store import Store

COVER_THRESHOLDS = [round(0.2 + 0.05 * i, 2) for i in range(13)]
L2 = 1.0


def oracle_promises(corpus: GoldCorpus) -> list[dict[str, Any]]:
    """The gold promise texts as promise rows, as if extraction had found exactly them
    (the "oracle" mode of gold-format.md)."""
    docs = {d.meta["gold_id"]: d for d in corpus.documents}
    rows = []
    for g in corpus.promises:
        d = docs[g.document]
        start = d.text.find(g.text)  # gold-format: an exact substring, first occurrence
        language = d.language or "en"
        st = annotate(Statement(start, start + len(g.text), g.text), "campaign", language)
        # No promise score: a gold promise is always reported (judge.reported).
        rows.append(pipeline.unsaved_row(st, d, language))
    return rows


def gold_cases(
    corpora: list[GoldCorpus], embedder: Embedder, workdir: Path | None = None
) -> list[tuple[str, judge.Case, str]]:
    """(corpus name, case, gold verdict) for every gold promise, in oracle mode. Each
    corpus gets the store `workdir/<name>.db`, which a caller may reuse afterwards
    (its vectors are cached there); without a workdir the stores are temporary."""
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="hinge-calibrate-") as tmp:
            return gold_cases(corpora, embedder, Path(tmp))
    out = []
    for corpus in corpora:
        store = Store(workdir / f"{corpus.name}.db")
        try:
            for doc in corpus.documents:
                pipeline.save(store, doc)
            procedures = store.statements(kind="procedure")
            cases = pipeline.build_cases(store, embedder, oracle_promises(corpus), procedures)
        finally:
            store.close()
        out += [(corpus.name, c, g.verdict) for c, g in zip(cases, corpus.promises, strict=True)]
    return out


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    """Weights (bias last) by Newton's method; features are in [0, 1] so no scaling."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    reg = np.eye(xb.shape[1]) * l2
    reg[-1, -1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-xb @ w))
        grad = xb.T @ (p - y) + reg @ w
        hess = xb.T @ (xb * (p * (1 - p))[:, None]) + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


CONTRADICTION_THRESHOLDS = [round(0.2 + 0.05 * i, 2) for i in range(14)]


@dataclass
class Reading:
    """What the judge reads of one gold case, which no weight or threshold changes: read
    once, then weighed by every calibration tried (judging every case afresh for each
    threshold made `hinge calibrate` on the bundled corpora take 160 s instead of 21)."""

    corpus: str
    gold: str  # the gold verdict
    features: dict[str, float]  # judge.features
    candidates: list[judge.Conflict]  # judge.conflict_candidates


def read(cases: list[tuple[str, judge.Case, str]]) -> list[Reading]:
    return [
        Reading(name, gold, judge.features(case), judge.conflict_candidates(case))
        for name, case, gold in cases
    ]


def scores(readings: list[Reading], cal: dict[str, Any]) -> dict[str, float]:
    """Gap F1 and contradiction F1 of one calibration over oracle cases."""
    return verdict_f1((r.gold, judge.decide(r.features, r.candidates, cal)[0]) for r in readings)


def verdict_f1(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """Gap F1 and contradiction F1 of (gold, predicted) verdict pairs."""
    tp = fp = fn = ctp = cfp = cfn = 0
    for gold, pred in pairs:
        is_gap, said_gap = gold != "covered", pred != "covered"
        tp += is_gap and said_gap
        fp += said_gap and not is_gap
        fn += is_gap and not said_gap
        ctp += gold == pred == "contradicted"
        cfp += pred == "contradicted" and gold != pred
        cfn += gold == "contradicted" and pred != gold
    return {"gaps": _f1(tp, fp, fn), "contradictions": _f1(ctp, cfp, cfn)}


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _objective(readings: list[Reading], cal: dict[str, Any]) -> float:
    # Gap F1 is the headline; contradictions are the most urgent gaps, so they count too.
    s = scores(readings, cal)
    return s["gaps"] + 0.5 * s["contradictions"]


def fit(readings: list[Reading], model: str) -> dict[str, Any]:
    """The contradiction model first (it decides which promises are contradicted), then
    the coverage model on the rest, then each threshold by the objective."""
    # Every conflicting candidate is a training row, labelled by whether its promise is
    # really contradicted: the model learns which disagreements are about the promise.
    rows = [(c.features, r.gold == "contradicted") for r in readings for c in r.candidates]
    cal: dict[str, Any] = {
        "model": model,
        "contradiction": _weights(judge.CONFLICT_FEATURES, rows),
        "cover": {"bias": 0.0},
        "cover_threshold": 1.1,
    }
    cal["contradiction_threshold"] = _plateau(
        CONTRADICTION_THRESHOLDS,
        lambda t: _objective(readings, cal | {"contradiction_threshold": t}),
    )
    rest = [(r.features, r.gold == "covered") for r in readings
            if judge.strongest_conflict(r.candidates, cal) is None]  # fmt: skip
    cal["cover"] = _weights(judge.FEATURES, rest)
    cal["cover_threshold"] = _plateau(
        COVER_THRESHOLDS, lambda t: _objective(readings, cal | {"cover_threshold": t})
    )
    return cal


def _plateau(grid: list[float], score: Any) -> float:
    """The threshold in the middle of the best three neighbours: a lone peak on a
    couple of hundred promises is noise, a plateau is not."""
    values = [score(t) for t in grid]
    smooth = [sum(values[max(0, i - 1) : i + 2]) / len(values[max(0, i - 1) : i + 2])
              for i in range(len(values))]  # fmt: skip
    return grid[max(range(len(grid)), key=smooth.__getitem__)]


def _weights(names: tuple[str, ...], rows: list[tuple[dict[str, float], bool]]) -> dict:
    if len({y for _, y in rows}) < 2:
        return {"bias": 0.0}
    x = np.array([[f[n] for n in names] for f, _ in rows])
    y = np.array([1.0 if label else 0.0 for _, label in rows])
    w = fit_logistic(x, y)
    return {n: round(float(v), 4) for n, v in zip(names, w, strict=False)} | {
        "bias": round(float(w[-1]), 4)
    }


def held_out(readings: list[Reading], model: str) -> Iterator[tuple[Reading, str]]:
    """Each reading with its verdict under a calibration fitted on the other corpora."""
    for name in sorted({r.corpus for r in readings}):
        train = [r for r in readings if r.corpus != name]
        if train:
            cal = fit(train, model)
            for r in readings:
                if r.corpus == name:
                    yield r, judge.decide(r.features, r.candidates, cal)[0]


def leave_one_out(readings: list[Reading], model: str) -> dict[str, dict[str, float]]:
    """Gap and contradiction F1 on each corpus, calibrated on all the others."""
    pairs: dict[str, list[tuple[str, str]]] = {}
    for r, verdict in held_out(readings, model):
        pairs.setdefault(r.corpus, []).append((r.gold, verdict))
    return {name: {k: round(v, 4) for k, v in verdict_f1(p).items()} for name, p in pairs.items()}


def calibrate(paths: list[Path], embedder: Embedder, output: Path | None = None) -> Path:
    readings = read(gold_cases(load_golds(paths), embedder))
    if len({r.gold for r in readings}) < 2:
        raise HingeError("calibration needs gold promises with both covered and gap verdicts")
    cal = fit(readings, embedder.name)
    cal["calibrated_on"] = sorted({r.corpus for r in readings})
    cal["leave_one_out"] = leave_one_out(readings, embedder.name)
    cal["note"] = f"fitted by `hinge calibrate` on {len(readings)} gold promises"
    target = output or Path(__file__).parent / "data" / judge.CALIBRATION_FILE
    target.write_text(json.dumps(cal, indent=2) + "\n")
    judge.calibration.cache_clear()
    return target
