"""Fit the promise-cue weights (consistency/data/cues/weights.json) on gold corpora and
check that they generalize: leave-one-corpus-out, fitting on all corpora but one and
scoring the one left out, as hidden evaluation corpora will be.

    .venv/bin/python benchmarks/fit_promises.py [corpora/*.json] [--write] [--show]

Each campaign statement is one example (but those a veto cue such as a testimonial rules
out, which no weight can change): its cues (lexical, structure, facts) are binary
features and its label is whether it aligns with a gold promise (overlap of at least half
the shorter span, as `hinge eval` counts). The model is the extractor's own: logistic of
bias + the sum of the weights of the cues present. The fit is an L2-regularized logistic
regression pulled toward the hand-set "prior" weights (so a cue that never fires in the corpora
keeps its hand-set prior, e.g. for a language without a corpus), with signs kept: a
``neg:`` cue never helps, an ``offer:``/``commit:``/``level:``/``benefit:``/``condition:``
cue never hurts. Scores are promise-detection precision/recall/F1 as `hinge eval`
computes them (a gold promise is found when any flagged statement aligns with it).

After the fit, the bias is shifted to maximize F1 on the training corpora (--no-tune
keeps the log-loss bias). --write stores the weights fitted on all corpora; --show lists
the errors of the leave-one-out runs (each corpus scored by weights fitted without it).

The stored weights are written with ``--fixed --no-tune --write``: the bias stays at the
prior's -1.5, so a single strong cue still makes a promise (as the hand-made cases in
tests/test_extract.py expect of copy unlike the corpora); the tuned bias scores about the
same leave-one-out but needs two cues for most promises.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consistency import extract  # noqa: E402
from consistency.evaluate import aligned  # noqa: E402
from consistency.gold import load_gold  # noqa: E402

# The logit at which a statement is a promise (extract.PROMISE_THRESHOLD).
MARGIN = math.log(extract.PROMISE_THRESHOLD / (1 - extract.PROMISE_THRESHOLD))

POSITIVE = ("offer:", "commit:", "level:", "benefit:", "condition:")


@dataclass
class Example:
    corpus: str
    text: str
    cues: list[str]
    golds: list[int]  # indices (global) of the gold promises it aligns with


def examples(paths: list[Path]) -> tuple[list[Example], dict[str, int]]:
    """Campaign statements with cues and aligned gold promises; gold counts per corpus."""
    out, gold_counts, gid = [], {}, 0
    for path in paths:
        corpus = load_gold(path)
        gold_counts[corpus.name] = len(corpus.promises)
        for doc in corpus.documents:
            if doc.kind != "campaign":
                continue
            spans = []
            for g in corpus.promises:
                if g.document == doc.meta["gold_id"]:
                    i = doc.text.find(g.text)
                    spans.append((gid, (i, i + len(g.text))))
                    gid += 1
            _, statements = extract.extract(doc.text, doc.kind, doc.language)
            for st in statements:
                if extract.VETO.intersection(st.cues):
                    continue  # never a promise, whatever the weights: nothing to learn
                hits = [k for k, span in spans if aligned((st.start, st.end), span)]
                out.append(Example(corpus.name, st.text, st.cues, hits))
    return out, gold_counts


def design(
    exs: list[Example], weights0: dict[str, float]
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Cue names, the binary cue matrix, the labels and the prior weights."""
    names = sorted(set(weights0) | {c for e in exs for c in e.cues})
    index = {n: i for i, n in enumerate(names)}
    xs = np.zeros((len(exs), len(names)))
    for row, e in enumerate(exs):
        for c in e.cues:
            xs[row, index[c]] = 1.0
    ys = np.array([1.0 if e.golds else 0.0 for e in exs])
    return names, xs, ys, np.array([weights0.get(n, 0.0) for n in names])


def loo_scores(paths: list[Path], l2: float = 2.0) -> dict[tuple[str, str], float]:
    """Promise score of every campaign statement (by corpus and text) under cue weights
    fitted without its corpus, as the stored weights are fitted (``--fixed --no-tune``).
    Statements a veto cue rules out are left out: their score is 0."""
    exs, gold_counts = examples(paths)
    bias0, weights0 = load_prior()
    names, xs, ys, prior = design(exs, weights0)
    out = {}
    for name in gold_counts:
        rows = np.array([e.corpus == name for e in exs])
        b, w = fit(xs[~rows], ys[~rows], names, prior, bias0, l2, fixed_bias=True)
        for e, x in zip([e for e in exs if e.corpus == name], xs[rows], strict=True):
            out[(name, e.text)] = 1.0 / (1.0 + math.exp(-(float(x @ w) + b)))
    return out


def load_prior() -> tuple[float, dict[str, float]]:
    """The hand-set weights the fit is pulled toward (kept as they are for unseen cues)."""
    data = json.loads(extract.WEIGHTS_FILE.read_text("utf-8"))
    return data["prior"]["bias"], data["prior"]["weights"]


def fit(
    xs: np.ndarray, ys: np.ndarray, names: list[str], prior: np.ndarray, bias0: float,
    l2: float, steps: int = 3000, rate: float = 0.5, fixed_bias: bool = False,
) -> tuple[float, np.ndarray]:  # fmt: skip
    """Projected gradient descent on mean log-loss + l2 * |w - prior|^2 / n."""
    lo = np.array([-np.inf if not n.startswith(POSITIVE) else 0.0 for n in names])
    hi = np.array([0.0 if n.startswith("neg:") else np.inf for n in names])
    w, b, n = prior.copy(), bias0, len(ys)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xs @ w + b)))
        err = p - ys
        w = np.clip(w - rate * (xs.T @ err / n + 2 * l2 * (w - prior) / n), lo, hi)
        if not fixed_bias:
            b -= rate * err.mean()
    return float(b), w


def tune_bias(
    exs: list[Example], xs: np.ndarray, b: float, w: np.ndarray, gold_total: int
) -> float:
    """Shift the bias to the middle of the range that maximizes F1 on these examples: the
    log-loss optimum is not the F1 optimum when promises are a minority."""
    margins = xs @ w
    best, chosen = -1.0, [0.0]
    for delta in np.arange(-1.5, 1.51, 0.05):
        f1 = prf(*score(exs, margins + b + delta >= MARGIN, gold_total))[2]
        if f1 > best + 1e-9:
            best, chosen = f1, [delta]
        elif abs(f1 - best) <= 1e-9:
            chosen.append(delta)
    return float(b + np.median(chosen))


def score(exs: list[Example], flags: np.ndarray, gold_total: int) -> tuple[int, int, int, int]:
    """(tp, fp, found, gold) as hinge eval counts them."""
    tp = sum(1 for e, f in zip(exs, flags, strict=True) if f and e.golds)
    fp = sum(1 for e, f in zip(exs, flags, strict=True) if f and not e.golds)
    found = len({g for e, f in zip(exs, flags, strict=True) if f for g in e.golds})
    return tp, fp, found, gold_total


def prf(tp: int, fp: int, found: int, gold: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = found / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", type=Path)
    parser.add_argument("--l2", type=float, default=2.0)
    parser.add_argument(
        "--no-tune",
        dest="tune",
        action="store_false",
        help="keep the log-loss bias instead of the F1-maximizing one",
    )
    parser.add_argument(
        "--bias", type=float, default=None, help="start from this bias instead of the prior's"
    )
    parser.add_argument("--fixed", action="store_true", help="keep the bias, fit the weights")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    paths = args.corpora or sorted((ROOT / "corpora").glob("*.json"))
    exs, gold_counts = examples(paths)
    bias0, weights0 = load_prior()
    if args.bias is None:
        args.bias = bias0
    current = json.loads(extract.WEIGHTS_FILE.read_text("utf-8"))
    names, xs, ys, prior = design(exs, weights0)
    now = np.array([current["weights"].get(n, 0.0) for n in names])
    corpora = list(gold_counts)

    def flags(b: float, w: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return (xs[rows] @ w + b) >= MARGIN

    print(f"{len(exs)} campaign statements, {int(ys.sum())} aligned with gold promises")
    print(f"{'corpus':24s} {'current':>8s} {'in-sample':>10s} {'LOO':>8s}")
    totals = {k: np.zeros(4, dtype=int) for k in ("current", "in", "loo")}

    def fitted(rows: np.ndarray) -> tuple[float, np.ndarray]:
        b, w = fit(xs[rows], ys[rows], names, prior, args.bias, args.l2,
                   fixed_bias=args.bias != bias0 or args.fixed)  # fmt: skip
        sub = [e for e, r in zip(exs, rows, strict=True) if r]
        gold = sum(gold_counts[c] for c in {e.corpus for e in sub})
        return (tune_bias(sub, xs[rows], b, w, gold) if args.tune else b), w

    b_all, w_all = fitted(np.ones(len(exs), dtype=bool))
    for name in corpora:
        rows = np.array([e.corpus == name for e in exs])
        sub = [e for e in exs if e.corpus == name]
        b_loo, w_loo = fitted(~rows)
        line = []
        if args.show:
            for e, f in zip(sub, flags(b_loo, w_loo, rows), strict=True):
                if bool(f) != bool(e.golds):
                    print(f"  {'FP' if f else 'FN'} [{name}] {e.text[:110]!r} {e.cues}")
        for key, (b, w) in (("current", (current["bias"], now)), ("in", (b_all, w_all)),
                            ("loo", (b_loo, w_loo))):  # fmt: skip
            counts = score(sub, flags(b, w, rows), gold_counts[name])
            totals[key] += counts
            line.append(prf(*counts)[2])
        print(f"{name:24s} {line[0]:8.3f} {line[1]:10.3f} {line[2]:8.3f}")
    pooled = [prf(*totals[k])[2] for k in ("current", "in", "loo")]
    print(f"{'POOLED F1':24s} {pooled[0]:8.3f} {pooled[1]:10.3f} {pooled[2]:8.3f}")
    for key in ("current", "in", "loo"):
        p, r, f = prf(*totals[key])
        print(f"  {key:8s} P={p:.3f} R={r:.3f} F1={f:.3f}")
    if args.write:
        data = json.loads(extract.WEIGHTS_FILE.read_text("utf-8"))
        data["bias"] = round(b_all, 2)
        data["weights"] = {n: round(float(v), 2) for n, v in zip(names, w_all, strict=True)}
        extract.WEIGHTS_FILE.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        print(f"wrote {extract.WEIGHTS_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
