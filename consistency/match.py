"""Rank procedure statements for each promise.

Cosine similarity of sentence vectors, scored in slices so memory stays flat
whatever the corpus size (never an all-pairs matrix), blended with a lexical
signal: a rare word or a number shared by promise and procedure is evidence an
embedding smooths away.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

QUERY_CHUNK = 256
CORPUS_CHUNK = 32768
LEXICAL_WEIGHT = 0.15  # share of the lexical score in the blended ranking score

_WORD = re.compile(r"\w+", re.UNICODE)


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


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if len(w) > 2 or w.isdigit()]


@dataclass
class LexicalIndex:
    """Inverse document frequencies over procedure statements, for a BM25-like
    overlap score normalised to [0, 1] by the promise's own weight."""

    idf: dict[str, float]

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        df: Counter[str] = Counter()
        for t in texts:
            df.update(set(words(t)))
        n = max(len(texts), 1)
        return cls({w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in df.items()})

    def weight(self, word: str) -> float:
        return self.idf.get(word, max(self.idf.values(), default=1.0))

    def overlap(self, query: str, candidate: str) -> float:
        q = set(words(query))
        if not q:
            return 0.0
        c = set(words(candidate))
        total = sum(self.weight(w) for w in q)
        return sum(self.weight(w) for w in q & c) / total if total else 0.0


@dataclass
class Candidate:
    index: int  # position in the procedure statement list handed to rank()
    cosine: float
    lexical: float

    @property
    def score(self) -> float:
        return (1 - LEXICAL_WEIGHT) * self.cosine + LEXICAL_WEIGHT * self.lexical


def rank(
    promise_texts: Sequence[str],
    promise_vecs: np.ndarray,
    procedure_texts: Sequence[str],
    procedure_vecs: np.ndarray,
    *,
    k: int = 10,
    shortlist: int = 40,
    eligible: Sequence[np.ndarray | None] | None = None,
    lexicon: LexicalIndex | None = None,
) -> list[list[Candidate]]:
    """For each promise, up to k candidates by blended score, best first.

    A semantic shortlist is re-ranked with the lexical signal. `eligible[i]`, when
    given, holds the procedure indices promise i may match (validity windows).
    """
    lexicon = lexicon or LexicalIndex.build(procedure_texts)
    groups: dict[tuple[int, ...] | None, list[int]] = {}
    for i in range(len(promise_texts)):
        allowed = None if eligible is None or eligible[i] is None else tuple(eligible[i])
        groups.setdefault(allowed, []).append(i)
    ranked: list[list[Candidate]] = [[] for _ in promise_texts]
    for allowed, members in groups.items():
        cols = np.arange(len(procedure_texts)) if allowed is None else np.array(allowed, int)
        if len(cols) == 0:
            continue
        idx, sims = top_k(promise_vecs[members], procedure_vecs[cols], shortlist)
        for row, i in enumerate(members):
            cands = [
                Candidate(
                    int(cols[j]),
                    float(s),
                    lexicon.overlap(promise_texts[i], procedure_texts[cols[j]]),
                )
                for j, s in zip(idx[row], sims[row], strict=True)
            ]
            cands.sort(key=lambda c: c.score, reverse=True)
            ranked[i] = cands[:k]
    return ranked
