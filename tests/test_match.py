import numpy as np
import pytest

from consistency.match import LexicalIndex, rank, specificity, top_k
from consistency.words import terms


def _unit(rows):
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize("chunks", [(7, 13), (256, 32768), (1, 1)])
def test_top_k_equals_brute_force(chunks):
    rng = np.random.default_rng(7)
    q = _unit(rng.normal(size=(50, 16)).astype(np.float32))
    c = _unit(rng.normal(size=(300, 16)).astype(np.float32))
    idx, scores = top_k(q, c, 5, query_chunk=chunks[0], corpus_chunk=chunks[1])
    brute = q @ c.T
    expected = np.argsort(-brute, axis=1)[:, :5]
    assert np.array_equal(idx, expected)
    assert np.allclose(scores, np.take_along_axis(brute, expected, axis=1))


def test_top_k_with_fewer_rows_than_k():
    q = _unit(np.eye(3, dtype=np.float32))
    idx, scores = top_k(q, q[:2], 10)
    assert idx.shape == (3, 2)
    assert idx[0, 0] == 0 and idx[1, 0] == 1


def test_lexical_overlap_weights_rare_words():
    texts = ["check the guest in", "check the room", "late checkout at 2 pm"]
    lex = LexicalIndex.build([terms(t) for t in texts])
    assert lex.recall(terms("late checkout"), terms("late checkout at 2 pm")) == 1.0
    assert lex.recall(terms("late checkout"), terms("check the room")) == 0.0
    # "checkout" shares its stem with no statement but the third; "parking" with none.
    assert lex.unseen(terms("free parking")) == 1.0
    assert 0 < lex.unseen(terms("parking at checkout")) < 1


def test_terms_fold_accents_stems_and_stop_words():
    assert terms("Refunded within the días") == terms("refund within dias")
    assert "the" not in terms("the refund")
    assert "14" in terms("within 14 days")


def test_rank_respects_eligibility():
    vecs = _unit(np.array([[1, 0], [0.9, 0.1], [0, 1]], dtype=np.float32))
    sets = [terms(t) for t in ("x", "y", "z")]
    ranked = rank([terms("a")], vecs[:1], sets, vecs, k=3, eligible=[np.array([2])])
    assert [c.index for c in ranked[0]] == [2]


@pytest.mark.parametrize("chunk", [1, 7, 2048])
def test_specificity_equals_brute_force(chunk):
    rng = np.random.default_rng(3)
    promises = _unit(rng.normal(size=(9, 16)).astype(np.float32))
    cands = _unit(rng.normal(size=(20, 16)).astype(np.float32))
    owners = rng.integers(0, 9, size=20)
    keys = [f"k{i}" for i in range(9)]
    keys[4] = keys[3]  # the same promise text twice: neither is the other's rival
    got = specificity(cands, owners, promises, keys, chunk=chunk)
    for row, own in enumerate(owners):
        rivals = [j for j in range(9) if keys[j] != keys[own]]
        expected = cands[row] @ promises[own] - max(cands[row] @ promises[j] for j in rivals)
        assert got[row] == pytest.approx(expected, abs=1e-5)


def test_specificity_without_rivals_is_zero():
    vecs = _unit(np.eye(2, dtype=np.float32))
    assert specificity(vecs, np.array([0, 0]), vecs[:1], ["only"]).tolist() == [0.0, 0.0]


def test_rank_lifts_a_statement_stating_the_promised_value():
    vecs = _unit(np.array([[1, 0], [0.9, 0.3], [0.85, 0.5]], dtype=np.float32))
    sets = [terms(t) for t in ("x", "y", "z")]
    plain = rank([terms("a")], vecs[:1], sets[1:], vecs[1:], k=2)
    lifted = rank([terms("a")], vecs[:1], sets[1:], vecs[1:], k=2, states_value=lambda i, j: j == 1)
    assert [c.index for c in plain[0]] == [0, 1]
    assert [c.index for c in lifted[0]] == [1, 0]
    assert lifted[0][0].states_value and not lifted[0][1].states_value


def test_stored_words_give_the_terms_and_what_sits_near_an_offset():
    from consistency.words import lexical_terms, stems_near, words

    text = "Late check-out: guests are refunded within 14 days."
    packed = words(text, "en")
    assert set(lexical_terms(packed, None, "en").split()) == terms(text)
    at = text.index("14")
    assert stems_near(packed, at, at + 2) == {"14"}
    assert "refund" in stems_near(packed, at - 12, at)  # "refunded" overlaps the window
    with_heading = lexical_terms(packed, "Front desk billing", "en").split()
    assert set(with_heading) == terms(text) | terms("Front desk billing")
