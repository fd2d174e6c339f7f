"""Verdicts: does the ranked evidence deliver the promise, contradict it, or neither?

Embeddings see topic, not commitment: "returns within 14 days" and "returns
within 30 days" are near-identical vectors. So the judge reads the facts both
sides state (durations, money, times, days, channels, polarity) and how much of
the promise the evidence speaks to, clause by clause; the weights that turn those
signals into a verdict are learned by `hinge calibrate` and kept in
data/calibration.json with the model they belong to.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

CALIBRATION_FILE = "calibration.json"
EVIDENCE_SHOWN = 5
QUANTITY_KINDS = ("duration", "money", "percent", "count", "time", "days")
NEGATIVE_POLARITY = {"refuses", "charges", "requires_approval", "not_guaranteed", "never"}
FEATURES = ("cosine", "blend", "clause_min", "fact_support", "lexical", "second")


@dataclass
class Evidence:
    statement: dict[str, Any]  # a procedure statement row: id, text, facts, document_title...
    cosine: float
    lexical: float
    score: float


@dataclass
class Case:
    promise: dict[str, Any]  # a promise statement row: text, facts
    evidence: list[Evidence]  # best first
    clause_support: list[float] = field(default_factory=list)  # per clause: best cosine


@dataclass
class Verdict:
    verdict: str
    confidence: float
    evidence: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    features: dict[str, float]


@cache
def calibration() -> dict[str, Any]:
    return json.loads(resources.files("consistency.data").joinpath(CALIBRATION_FILE).read_text())


def check_model(model: str) -> None:
    if calibration()["model"] != model:
        warnings.warn(
            f"thresholds were calibrated for {calibration()['model']}, not {model}; "
            "run `hinge calibrate` on gold corpora to calibrate for this model",
            stacklevel=2,
        )


# -- facts ----------------------------------------------------------------------------


def _key(fact: dict[str, Any]) -> Any:
    """The part of a fact's value that must be equal for two statements to agree."""
    v = fact["value"]
    kind = fact["kind"]
    if kind == "duration":
        return (round(v.get("hours") or 0, 2), bool(v.get("business")))
    if kind == "money":
        return 0.0 if v.get("free") else round(v.get("amount") or 0, 2)
    if kind == "percent":
        return round(v.get("amount") or 0, 2)
    if kind == "count":
        return (v.get("amount"), v.get("noun"))
    if kind == "time":
        return (v.get("from"), v.get("to"))
    if kind == "days":
        return "always" if v.get("always") else tuple(v.get("days") or ())
    if kind == "channel":
        return v.get("channel")
    return v.get("polarity")


def _comparable(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["kind"] != b["kind"]:
        return False
    if a["kind"] == "count":  # two nights and three bags are not rival values
        return a["value"].get("noun") == b["value"].get("noun")
    return True


def compare_facts(
    promise: list[dict[str, Any]], evidence: list[dict[str, Any]]
) -> tuple[list[tuple[dict, dict]], list[tuple[dict, dict]]]:
    """(agreements, conflicts) as pairs of (promise fact, evidence fact)."""
    agree: list[tuple[dict, dict]] = []
    conflict: list[tuple[dict, dict]] = []
    for p in promise:
        if p["kind"] == "polarity":
            continue
        rivals = [e for e in evidence if _comparable(p, e)]
        same = [e for e in rivals if _key(e) == _key(p)]
        if same:
            agree.append((p, same[0]))
        elif rivals and p["kind"] != "channel":
            conflict.append((p, rivals[0]))
        elif rivals and not any(_key(e) == _key(p) for e in rivals):
            conflict.append((p, rivals[0]))
    p_neg = _polarity(promise) & NEGATIVE_POLARITY
    e_neg = _polarity(evidence) & NEGATIVE_POLARITY
    grants_free = any(f["kind"] == "money" and f["value"].get("free") for f in promise)
    if e_neg and not p_neg:
        e = next(f for f in evidence if f["kind"] == "polarity" and f["value"]["polarity"] in e_neg)
        if grants_free or "charges" not in e_neg:
            conflict.append(({"kind": "polarity", "text": "", "value": {"polarity": "grants"}}, e))
    return agree, conflict


def _polarity(facts: list[dict[str, Any]]) -> set[str]:
    return {f["value"]["polarity"] for f in facts if f["kind"] == "polarity"}


# -- verdict ----------------------------------------------------------------------------


def features(case: Case) -> dict[str, float]:
    ev = case.evidence
    top = ev[0] if ev else None
    p_facts = [f for f in case.promise["facts"] if f["kind"] in QUANTITY_KINDS + ("channel",)]
    supported = 0
    for f in p_facts:
        if any(compare_facts([f], e.statement["facts"])[0] for e in ev[:3]):
            supported += 1
    return {
        "cosine": top.cosine if top else 0.0,
        "blend": top.score if top else 0.0,
        "clause_min": min(case.clause_support) if case.clause_support else (top.cosine if top else 0),
        "fact_support": supported / len(p_facts) if p_facts else 1.0,
        "lexical": top.lexical if top else 0.0,
        "second": ev[1].cosine if len(ev) > 1 else 0.0,
    }


def _logistic(weights: dict[str, float], feats: dict[str, float]) -> float:
    z = weights.get("bias", 0.0) + sum(weights.get(k, 0.0) * v for k, v in feats.items())
    return 1 / (1 + math.exp(-z))


def judge(case: Case, cal: dict[str, Any] | None = None) -> Verdict:
    cal = cal or calibration()
    feats = features(case)
    p_cover = _logistic(cal["cover"], feats)
    conflicts = []
    contra_at = None
    for rank, e in enumerate(case.evidence[: cal["contradiction_depth"]]):
        if e.score < cal["contradiction_topic"]:
            continue
        agree, conflict = compare_facts(case.promise["facts"], e.statement["facts"])
        if conflict and not agree:
            conflicts = [_conflict(p, f, e) for p, f in conflict]
            contra_at = rank
            break
    shown = case.evidence[:EVIDENCE_SHOWN]
    if contra_at is not None:
        verdict = "contradicted"
        # The disagreeing statement is the evidence a reader needs first.
        shown = [case.evidence[contra_at]] + [e for e in shown if e is not case.evidence[contra_at]]
        confidence = min(0.99, 0.5 + case.evidence[contra_at].score / 2)
    elif p_cover >= cal["cover_threshold"]:
        verdict, confidence = "covered", p_cover
    else:
        verdict, confidence = "uncovered", 1 - p_cover
    return Verdict(
        verdict,
        round(confidence, 3),
        [_evidence_row(case.promise, e) for e in shown[:EVIDENCE_SHOWN]],
        conflicts,
        feats,
    )


def _conflict(p: dict, e_fact: dict, e: Evidence) -> dict[str, Any]:
    return {
        "kind": p["kind"] if p["kind"] != "polarity" else "polarity",
        "promise": p.get("text", ""),
        "promise_value": p["value"],
        "evidence": e_fact.get("text", ""),
        "evidence_value": e_fact["value"],
        "statement_id": e.statement["id"],
    }


def _evidence_row(promise: dict[str, Any], e: Evidence) -> dict[str, Any]:
    agree, conflict = compare_facts(promise["facts"], e.statement["facts"])
    s = e.statement
    return {
        "statement_id": s["id"],
        "document_id": s["document_id"],
        "document": s.get("document_title"),
        "team": s.get("team"),
        "text": s["text"],
        "text_hash": s["text_hash"],
        "start": s["start"],
        "end": s["end"],
        "heading": s.get("heading"),
        "score": round(e.score, 4),
        "cosine": round(e.cosine, 4),
        "agrees": [f for _, f in agree],
        "conflicts": [f for _, f in conflict],
    }
