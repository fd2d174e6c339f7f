"""Rank procedure statements for each promise.

Cosine similarity of sentence vectors, scored in slices so memory stays flat
whatever the corpus size (never an all-pairs matrix), blended with a lexical
signal: a rare word or a number shared by promise and procedure is evidence an
embedding smooths away.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

QUERY_CHUNK = 256
CORPUS_CHUNK = 32768
# Share of the lexical score in the ranking score, which also orders what the judge
# reads. Leave-one-out on 123 corpora (benchmarks/lexical_weight.py), 0.5 beat 0.3, 0.4
# and 0.6 on every verdict figure; evidence ranking was about level from 0.5 to 0.6 and
# well above 0.3. Shared stems make up for what MiniLM misses, in English and more so
# in the other languages, which it reads less well.
LEXICAL_WEIGHT = 0.5
# Added to the ranking score of a statement that states one of the promise's own values
# (a duration, price, percentage or time): "Age 0-5: ring CUB0 at $0.00" is the step for
# "Kids 5 and under ski free" though its words and vector are far from it. 0.1 lifted
# evidence recall@5 on the 39 bundled corpora from 0.895 to 0.913 (0.05: 0.908, 0.2: 0.906).
# It orders the evidence shown, not what the judge reads (see pipeline.build_cases).
FACT_WEIGHT = 0.1


def top_k(
    queries: np.ndarray,
    corpus: np.ndarray,
    k: int,
    *,
    query_chunk: int = QUERY_CHUNK,
    corpus_chunk: int = CORPUS_CHUNK,
) -> tuple[np.ndarray, np.ndarray]:
    """Indices and scores of the k best corpus rows per query row, best first.

    Rows are assumed unit length, so the dot product is the cosine.
    """
    n_q, n_c = len(queries), len(corpus)
    k = min(k, n_c)
    idx = np.zeros((n_q, k), dtype=np.int64)
    scores = np.zeros((n_q, k), dtype=np.float32)
    if k == 0 or n_q == 0:
        return idx, scores
    for q0 in range(0, n_q, query_chunk):
        q = queries[q0 : q0 + query_chunk]
        best_s = np.full((len(q), 0), -np.inf, dtype=np.float32)
        best_i = np.zeros((len(q), 0), dtype=np.int64)
        for c0 in range(0, n_c, corpus_chunk):
            sims = q @ corpus[c0 : c0 + corpus_chunk].T
            kk = min(k, sims.shape[1])
            part = np.argpartition(-sims, kk - 1, axis=1)[:, :kk]
            best_s = np.concatenate([best_s, np.take_along_axis(sims, part, axis=1)], axis=1)
            best_i = np.concatenate([best_i, part + c0], axis=1)
            if best_s.shape[1] > k:
                keep = np.argpartition(-best_s, k - 1, axis=1)[:, :k]
                best_s = np.take_along_axis(best_s, keep, axis=1)
                best_i = np.take_along_axis(best_i, keep, axis=1)
        order = np.argsort(-best_s, axis=1, kind="stable")
        scores[q0 : q0 + len(q)] = np.take_along_axis(best_s, order, axis=1)
        idx[q0 : q0 + len(q)] = np.take_along_axis(best_i, order, axis=1)
    return idx, scores


@dataclass
class LexicalIndex:
    """Inverse document frequencies of stemmed terms over procedure statements."""

    idf: dict[str, float]
    unseen_idf: float
    _totals: dict[frozenset[str], float] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def build(cls, term_sets: Sequence[frozenset[str]]) -> LexicalIndex:
        df: Counter[str] = Counter()
        for t in term_sets:
            df.update(t)
        n = max(len(term_sets), 1)
        idf = {w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in df.items()}
        return cls(idf, math.log(1 + (n + 0.5) / 0.5))

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.unseen_idf)

    def _total(self, query: frozenset[str]) -> float:
        """The query's term weight, summed once: a promise meets dozens of candidates."""
        total = self._totals.get(query)
        if total is None:
            # fsum: a set's order changes with the hash seed, and a plain sum with it.
            total = self._totals[query] = math.fsum(self.weight(w) for w in query)
        return total

    def recall(self, query: frozenset[str], candidate: frozenset[str]) -> float:
        """Share of the query's term weight that the candidate also has."""
        return self.recall_many(query, [candidate])[0]

    def recall_many(
        self, query: frozenset[str], candidates: Sequence[frozenset[str]]
    ) -> list[float]:
        """`recall` of one query against each candidate."""
        total = self._total(query)
        if not total:
            return [0.0] * len(candidates)
        weight = {w: self.weight(w) for w in query}.__getitem__
        return [math.fsum(map(weight, query & c)) / total for c in candidates]

    def unseen(self, query: frozenset[str]) -> float:
        """Share of the query's term weight found in no procedure statement at all: a
        promise whose key words staff never read about is rarely delivered."""
        total = self._total(query)
        missing = math.fsum(self.unseen_idf for w in query if w not in self.idf)
        return missing / total if total else 0.0


def specificity(
    candidate_vecs: np.ndarray,
    owners: np.ndarray,
    promise_vecs: np.ndarray,
    keys: Sequence[str],
    *,
    chunk: int = 2048,
) -> np.ndarray:
    """For each candidate row: its cosine with the promise that owns it minus its best
    cosine with any other promise (promises with the owner's key, i.e. the same text,
    are not rivals). Below zero, the statement is closer to another promise: it most
    likely delivers that one, and shares only a topic with its owner. Zero when there
    is no rival. Scored in slices, like `top_k`."""
    out = np.zeros(len(candidate_vecs), dtype=np.float32)
    key_ids = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    key_of = np.array([key_ids[k] for k in keys])
    for r0 in range(0, len(candidate_vecs), chunk):
        rows = slice(r0, r0 + chunk)
        sims = candidate_vecs[rows] @ promise_vecs.T
        own = owners[rows]
        mine = sims[np.arange(len(own)), own]
        rivals = np.where(key_of[None, :] == key_of[own][:, None], -np.inf, sims)
        best = rivals.max(axis=1) if rivals.shape[1] else np.full(len(own), -np.inf)
        out[rows] = np.where(np.isfinite(best), mine - best, 0.0)
    return out


@dataclass
class Candidate:
    index: int  # position in the procedure statement list handed to rank()
    cosine: float
    lexical: float
    states_value: bool = False  # the statement states one of the promise's values

    @property
    def similarity(self) -> float:
        return (1 - LEXICAL_WEIGHT) * self.cosine + LEXICAL_WEIGHT * self.lexical

    @property
    def score(self) -> float:
        return self.similarity + FACT_WEIGHT * self.states_value


def rank(
    promise_terms: Sequence[frozenset[str]],
    promise_vecs: np.ndarray,
    procedure_terms: Sequence[frozenset[str]],
    procedure_vecs: np.ndarray,
    *,
    k: int = 10,
    shortlist: int = 40,
    eligible: Sequence[np.ndarray | None] | None = None,
    lexicon: LexicalIndex | None = None,
    states_value: Callable[[int, int], bool] | None = None,
) -> list[list[Candidate]]:
    """For each promise, up to k candidates by blended score, best first.

    A semantic shortlist is re-ranked with the lexical signal and, when
    `states_value(i, j)` is given, with whether procedure j states one of promise i's
    values. `eligible[i]`, when given, holds the procedure indices promise i may match
    (validity windows). Term sets are `words.terms()` of each statement, which extraction
    stores.
    """
    if lexicon is None:
        lexicon = LexicalIndex({}, 1.0)
    # Promises with the same eligible procedures are scored together. Callers share one
    # array per distinct set (pipeline._eligible), so grouping by the array's identity is
    # exact there and merely less batched for equal arrays passed separately.
    groups: dict[int | None, list[int]] = {}
    arrays: dict[int, np.ndarray] = {}
    for i in range(len(promise_terms)):
        allowed = None if eligible is None else eligible[i]
        key = None if allowed is None else id(allowed)
        if allowed is not None:
            arrays[key] = allowed
        groups.setdefault(key, []).append(i)
    ranked: list[list[Candidate]] = [[] for _ in promise_terms]
    for key, members in groups.items():
        cols = np.arange(len(procedure_terms)) if key is None else np.asarray(arrays[key], int)
        if len(cols) == 0:
            continue
        idx, sims = top_k(promise_vecs[members], procedure_vecs[cols], shortlist)
        # Plain lists: indexing NumPy arrays one element at a time cost more than the rest.
        col_of, idx_rows, sim_rows = cols.tolist(), idx.tolist(), sims.tolist()
        for i, row_idx, row_sims in zip(members, idx_rows, sim_rows, strict=True):
            found = [col_of[j] for j in row_idx]
            lexical = lexicon.recall_many(promise_terms[i], [procedure_terms[j] for j in found])
            cands = [
                Candidate(j, s, lex) for j, s, lex in zip(found, row_sims, lexical, strict=True)
            ]
            if states_value and cands:
                # Only a statement within FACT_WEIGHT of the k-th best can reach the top k.
                floor = sorted(c.similarity for c in cands)[-min(k, len(cands))] - FACT_WEIGHT
                for c in cands:
                    if c.similarity >= floor:
                        c.states_value = states_value(i, c.index)
            cands.sort(key=lambda c: c.score, reverse=True)
            ranked[i] = cands[:k]
    return ranked
