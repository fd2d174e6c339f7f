"""Gap lists and reports built from stored runs."""

from __future__ import annotations

from typing import Any

from .store import Store


def _describe(conflict: dict[str, Any]) -> str:
    return f"{conflict['kind']}: promise says {conflict['promise'] or conflict['promise_value']!s}, procedure says {conflict['evidence'] or conflict['evidence_value']!s}"


def gap_rows(
    store: Store,
    run_id: int,
    *,
    verdict: str | None = None,
    campaign: str | None = None,
    team: str | None = None,
) -> list[dict[str, Any]]:
    """Uncovered and contradicted promises of a run, contradictions first."""
    verdicts = [verdict] if verdict else ["contradicted", "uncovered"]
    rows = []
    for f in store.findings(run_id, verdicts):
        best = f["evidence"][0] if f["evidence"] else None
        row = {
            "finding_id": f["id"],
            "verdict": f["verdict"],
            "confidence": f["confidence"],
            "campaign": f["campaign"],
            "channel": f["channel"],
            "organisation": f["organisation"],
            "promise": f["promise_text"],
            "promise_hash": f["promise_hash"],
            "evidence": best["text"] if best else "",
            "team": best.get("team") if best else None,
            "conflicts": [_describe(c) for c in f["conflicts"]],
        }
        if campaign and campaign.lower() not in (row["campaign"] or "").lower():
            continue
        if team and team.lower() not in (row["team"] or "").lower():
            continue
        rows.append(row)
    order = {"contradicted": 0, "uncovered": 1, "covered": 2}
    rows.sort(key=lambda r: (order[r["verdict"]], -r["confidence"]))
    return rows
