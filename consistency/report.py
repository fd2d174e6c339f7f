"""Gap lists and reports built from stored runs: `hinge gaps` and the weekly report's
formats (its content comes from weekly.build)."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from .models import GAP_VERDICTS, SEVERITY
from .snapshot import describe_conflict
from .store import Store


def gap_rows(
    store: Store,
    run_id: int,
    *,
    verdict: str | None = None,
    campaign: str | None = None,
    team: str | None = None,
) -> list[dict[str, Any]]:
    """Uncovered and contradicted promises of a run, contradictions first."""
    verdicts = [verdict] if verdict else GAP_VERDICTS
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
            "conflicts": [describe_conflict(c) for c in f["conflicts"]],
        }
        if campaign and campaign.lower() not in (row["campaign"] or "").lower():
            continue
        if team and team.lower() not in (row["team"] or "").lower():
            continue
        rows.append(row)
    rows.sort(key=lambda r: (-SEVERITY[r["verdict"]], -r["confidence"]))
    return rows


# -- the weekly report in each format ------------------------------------------------------

FORMATS = ("html", "md", "csv", "json")
CHART_CID = "coverage-trend"
DATE_RE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
SECTIONS = ("new", "changed", "still_open", "resolved")
CSV_COLUMNS = [
    "week", "status", "how", "verdict", "previous_verdict", "promise", "campaign", "channel",
    "team", "assignee", "age_days", "first_gap", "evidence", "previous_promise", "promise_hash",
]  # fmt: skip


def render(report: dict[str, Any], fmt: str, *, chart: str = "inline") -> str:
    """The report as html, md, csv or json text.

    chart="inline" embeds the trend PNG as a data URI (a file, the web page);
    chart="cid" points at the image attached to an email as CID_CHART.
    """
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for section in SECTIONS:
            writer.writerows(dict(r, week=report["week"]) for r in report[section])
        return buf.getvalue()
    if fmt == "md":
        return _env().get_template("weekly.md").render(r=report)
    if fmt == "html":
        src = None
        if chart == "cid":
            src = f"cid:{CHART_CID}" if _has_trend(report) else None
        else:
            png = chart_png(report)
            src = f"data:image/png;base64,{base64.b64encode(png).decode()}" if png else None
        return _env().get_template("weekly.html").render(r=report, chart_src=src)
    raise ValueError(f"unknown report format {fmt!r}")


def subject(report: dict[str, Any]) -> str:
    h = report["headline"]
    if not h:
        return f"Hinge weekly gap report {report['week']}: no checks"
    gaps, cov = h["open_gaps"], h["coverage"]
    return (
        f"Hinge weekly gap report {report['week']}: {gaps['value']} open gaps"
        f"{_paren(count_change(gaps['change']))}, coverage {pct(cov['value'])}"
        f"{_paren(pts_change(cov['change']))}"
    )


def _paren(text: str) -> str:
    return f" ({text})" if text else ""


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def pts_change(change: float | None) -> str:
    if change is None:
        return ""
    pts = round(change * 100)
    return "no change" if pts == 0 else f"{pts:+d} pts".replace("-", "\u2212")


def count_change(change: int | None) -> str:
    if change is None:
        return ""
    return "no change" if change == 0 else f"{change:+d}".replace("-", "\u2212")


def tone(change: float | None, good_when_up: bool) -> str:
    """A colour for a change: green when better, red when worse, grey otherwise."""
    if not change or abs(change) < 0.005:
        return "#6b7280"
    return "#15803d" if (change > 0) == good_when_up else "#b91c1c"


def md_cell(text: Any) -> str:
    s = "" if text is None else str(text)
    s = s.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
    return " ".join(s.split())


def nowrap_dates(text: Any):
    """Escape, then keep ISO dates on one line (a browser breaks them at the hyphens)."""
    from markupsafe import Markup, escape

    return Markup(DATE_RE.sub(r'<span style="white-space:nowrap">\g<0></span>', str(escape(text))))


@cache  # one Environment, so each template is compiled once per process
def _env():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        pct=pct, pts=pts_change, count=count_change, cell=md_cell, nowrap_dates=nowrap_dates
    )
    env.globals.update(tone=tone)
    return env


def _has_trend(report: dict[str, Any]) -> bool:
    return any(p["coverage"] is not None for p in report["trend"])


def chart_png(report: dict[str, Any]) -> bytes | None:
    """Coverage over the last 12 weeks as a PNG (matplotlib, Agg, no global state)."""
    if not _has_trend(report):
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    points = report["trend"]
    xs = range(len(points))
    ys = [float("nan") if p["coverage"] is None else p["coverage"] * 100 for p in points]
    fig = Figure(figsize=(6.4, 2.2), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot(xs, ys, color="#2563eb", marker="o", markersize=4, linewidth=2, clip_on=False, zorder=3)
    ax.fill_between(xs, ys, color="#2563eb", alpha=0.08)
    last = max(i for i, y in enumerate(ys) if y == y)
    ax.annotate(f"{ys[last]:.0f}%", (last, ys[last]), textcoords="offset points", xytext=(0, 7),
                ha="center", fontsize=9, color="#1e3a8a", fontweight="bold")  # fmt: skip
    ax.set_ylim(0, 108)
    ax.set_yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"], fontsize=8)
    ax.set_xticks(list(xs), [p["week"].split("-")[1] for p in points], fontsize=8)
    ax.set_xlim(-0.5, len(points) - 0.5)
    ax.set_title("Coverage of promises, last 12 weeks", fontsize=10, loc="left", color="#111827")
    ax.grid(axis="y", color="#e5e7eb", linewidth=0.8)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0, colors="#4b5563")
    fig.tight_layout(pad=0.6)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
