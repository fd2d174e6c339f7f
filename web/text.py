"""Cutting text into segments for templates, so highlighting never needs `|safe`.

Templates render each (text, css class) pair as an escaped `<mark>` or plain text.
"""

from __future__ import annotations

from typing import Any

Segment = tuple[str, str | None]


def segments(text: str, spans: list[tuple[int, int, str]]) -> list[Segment]:
    """Text cut at the spans (start, end, class); overlapping spans keep the first."""
    out: list[Segment] = []
    pos = 0
    for start, end, cls in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if end <= start:
            continue
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], cls))
        pos = end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def paragraph(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(before, promise, after) within the blank-line paragraph holding [start, end)."""
    p_start = text.rfind("\n\n", 0, start)
    p_start = 0 if p_start < 0 else p_start + 2
    p_end = text.find("\n\n", end)
    p_end = len(text) if p_end < 0 else p_end
    return text[p_start:start], text[start:end], text[end:p_end]


def fact_spans(
    text: str, facts: list[dict[str, Any]], agree: list[dict], conflict: list[dict]
) -> list[tuple[int, int, str]]:
    """Spans of the facts a statement states, classed agree/conflict/fact."""

    def key(f: dict[str, Any]) -> tuple:
        return (f.get("kind"), f.get("start"), f.get("end"), f.get("text"))

    agree_keys = {key(f) for f in agree}
    conflict_keys = {key(f) for f in conflict}
    spans = []
    for f in facts:
        start, end = f.get("start"), f.get("end")
        if start is None or end is None or text[start:end] != f.get("text", text[start:end]):
            continue  # offsets from another version of the text: show it plain
        cls = "conflict" if key(f) in conflict_keys else "agree" if key(f) in agree_keys else "fact"
        spans.append((start, end, cls))
    return spans
