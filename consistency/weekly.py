"""What the weekly gap report says: a week's state against the week before.

A week's state is its last run, read with the human decisions made before the week
ended. Two states are compared by promise content hash; a re-worded promise (same
campaign source, overlapping position, new hash) is "changed", not "new" plus
"resolved" (see changes.py). Weeks are ISO weeks in the zone named by HINGE_TZ
(default UTC; see isoweek.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from .changes import compare
from .isoweek import Week, parse_time, parse_week, timezone
from .snapshot import Snapshot, figures, load, states
from .store import Store, now_iso

__all__ = ["Week", "build", "overview", "parse_week", "timezone"]
TREND_WEEKS = 12
OLDEST = 10


def _runs(store: Store) -> list[dict[str, Any]]:
    runs = [dict(r, at=parse_time(r["started_at"])) for r in store.runs()]
    return sorted(runs, key=lambda r: (r["at"], r["id"]))


def _decisions(store: Store) -> list[dict[str, Any]]:
    return [dict(d, at=parse_time(d["created_at"])) for d in store.decisions()]


def _last_before(runs: list[dict[str, Any]], moment: datetime) -> dict[str, Any] | None:
    return next((r for r in reversed(runs) if r["at"] < moment), None)


def build(store: Store, week: Week | None = None, tz: ZoneInfo | None = None) -> dict[str, Any]:
    """The report of one week (default: the week of the latest run) as plain data."""
    tz = week.tz if week else (tz or timezone())
    runs = _runs(store)
    if week is None:
        week = Week.of(runs[-1]["at"] if runs else datetime.now(UTC), tz)
    report: dict[str, Any] = {
        "week": week.label,
        "timezone": tz.key,
        "from": week.monday.isoformat(),
        "to": week.sunday.isoformat(),
        "generated_at": now_iso(),
        "notice": None,
        "run": None,
        "baseline": None,
        "headline": {},
        **{k: [] for k in ("new", "changed", "resolved", "still_open", "oldest")},
        "by_team": [],
        "by_campaign": [],
        "by_channel": [],
        "campaigns": _calendar(store, week),
        "trend": [],
    }
    current_run = _last_before(runs, week.end)
    if not runs:
        report["notice"] = "No checks yet: run `hinge check` first, then report again."
        return report
    if current_run is None:
        first = runs[0]["at"]
        report["notice"] = (
            f"No check ran in or before {week.label}: the first check ran on"
            f" {first.astimezone(tz).date()} ({Week.of(first, tz).label})."
        )
        return report
    decisions = _decisions(store)
    cur = load(store, current_run, week.end, decisions)
    base_run = _last_before(runs, week.start)
    base = load(store, base_run, week.start, decisions) if base_run else None
    if Week.of(current_run["at"], tz) != week:
        report["notice"] = (
            f"No check ran in {week.label}; this is the state of the latest earlier check,"
            f" run #{current_run['id']} on {current_run['at'].astimezone(tz).date()}."
        )
    report["run"] = _run_info(current_run, tz)
    report["baseline"] = _run_info(base_run, tz) if base_run else None
    report["headline"] = _headline(cur, base)
    rows = compare(store, cur, base, tz, {r["id"]: r["at"] for r in runs})
    # Contradictions first (most urgent), then the oldest, then by campaign.
    urgency = {"contradicted": 0, "uncovered": 1}
    rows.sort(
        key=lambda r: (
            urgency.get(r["verdict"] if r["status"] != "resolved" else r["previous_verdict"], 2),
            -r["age_days"], r["campaign"] or "", r["promise"],
        )
    )  # fmt: skip
    for row in rows:
        report[row["status"]].append(row)
    open_rows = [r for r in rows if r["status"] != "resolved"]
    report["oldest"] = sorted(open_rows, key=lambda r: (-r["age_days"], r["promise"]))[:OLDEST]
    for key in ("team", "campaign", "channel"):
        report[f"by_{key}"] = _groups(open_rows, base, key)
    report["trend"] = _trend(store, runs, week, decisions)
    return report


def _run_info(run: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": run["id"],
        "started_at": run["started_at"],
        "date": run["at"].astimezone(tz).date().isoformat(),
        "week": Week.of(run["at"], tz).label,
    }


def _headline(cur: Snapshot, base: Snapshot | None) -> dict[str, Any]:
    now = figures(cur.verdicts, cur.states)
    before = figures(base.verdicts, base.states) if base else None
    out = {}
    for key, value in now.items():
        previous = before[key] if before else None
        change = None if value is None or previous is None else value - previous
        out[key] = {"value": value, "previous": previous, "change": change}
    return out


def _groups(open_rows: list[dict], base: Snapshot | None, key: str) -> list[dict[str, Any]]:
    def name(value: str | None) -> str:
        return value or "(none)"

    now: dict[str, int] = {}
    for r in open_rows:
        now[name(r[key])] = now.get(name(r[key]), 0) + 1
    before: dict[str, int] = {}
    for h in base.open() if base else ():
        f = base.findings[h]
        value = ((f["evidence"] or [{}])[0].get("team")) if key == "team" else f[key]
        before[name(value)] = before.get(name(value), 0) + 1
    names = sorted(set(now) | set(before), key=lambda n: (-now.get(n, 0), n))
    return [
        {"name": n, "open": now.get(n, 0), "change": now.get(n, 0) - before.get(n, 0)}
        for n in names
    ]


def _calendar(store: Store, week: Week) -> dict[str, list[dict[str, Any]]]:
    """Campaigns whose last day falls in this week, and those starting next week."""
    first, last = week.monday.isoformat(), week.sunday.isoformat()
    following = week.shift(1)
    n_first, n_last = following.monday.isoformat(), following.sunday.isoformat()
    out: dict[str, list[dict[str, Any]]] = {"ending": [], "starting": []}
    for d in store.documents(kind="campaign"):
        item = {k: d[k] for k in ("title", "channel", "valid_from", "valid_until", "promises")}
        if d["valid_until"] and first <= d["valid_until"] <= last:
            out["ending"].append(item)
        if d["valid_from"] and n_first <= d["valid_from"] <= n_last:
            out["starting"].append(item)
    return out


def _point(
    store: Store, run: dict[str, Any], until: datetime, decisions: list[dict[str, Any]]
) -> dict[str, Any]:
    verdicts = store.run_verdicts(run["id"])
    return figures(verdicts, states(decisions, until, verdicts))


def _trend(
    store: Store, runs: list[dict[str, Any]], week: Week, decisions: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Coverage and open gaps at the end of each of the last 12 weeks; None without a check."""
    out = []
    for back in range(TREND_WEEKS - 1, -1, -1):
        w = week.shift(-back)
        run = _last_before(runs, w.end)
        point: dict[str, Any] = {"week": w.label, "coverage": None, "open_gaps": None}
        if run is not None and run["at"] >= w.start:
            fig = _point(store, run, w.end, decisions)
            point.update(coverage=fig["coverage"], open_gaps=fig["open_gaps"])
        out.append(point)
    return out


def overview(store: Store, tz: ZoneInfo | None = None) -> list[dict[str, Any]]:
    """Each week that had a check, newest first, with its headline figures."""
    tz = tz or timezone()
    runs = _runs(store)
    decisions = _decisions(store)
    out = []
    for week in sorted({Week.of(r["at"], tz) for r in runs}, key=lambda w: w.monday)[::-1]:
        run = _last_before(runs, week.end)
        out.append(
            {
                "week": week.label,
                "from": week.monday.isoformat(),
                "to": week.sunday.isoformat(),
                "run": _run_info(run, tz),
                **_point(store, run, week.end, decisions),
            }
        )
    return out
