"""Plain data passed between the stages. No behaviour beyond hashing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

KINDS = ("campaign", "procedure")
VERDICTS = ("covered", "uncovered", "contradicted")
GAP_VERDICTS = ("contradicted", "uncovered")  # a gap: what staff cannot deliver
# A text promised twice in one run (two campaigns, one offer) stands for its worse verdict:
# a reader is owed the gap, and a contradiction says more than a silence.
SEVERITY = {"covered": 0, "uncovered": 1, "contradicted": 2}


def text_hash(text: str) -> str:
    """Content key for a text: embeddings, decisions and versions hang off it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass
class Document:
    kind: str  # "campaign" | "procedure"
    title: str
    text: str
    source: str  # path, "-" for stdin, or "<gold file>#<doc id>"
    channel: str | None = None
    team: str | None = None
    language: str | None = None  # ISO 639-1; detected by extract when None
    valid_from: str | None = None  # ISO date
    valid_until: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    # What reading the file had to guess (an encoding, a skipped page): shown to whoever
    # added it, never stored.
    warnings: list[str] = field(default_factory=list)
    # Campaigns are matched only against procedures of the same organisation.
    organisation: str = "default"

    @property
    def content_hash(self) -> str:
        return text_hash(self.text)


@dataclass
class Fact:
    """One fact a statement states; offsets are relative to the statement text."""

    kind: str  # duration | money | percent | count | time | days | channel | polarity
    start: int
    end: int
    text: str
    value: Any  # normalized, JSON-serialisable; see consistency/facts.py
    unit: str | None = None


@dataclass
class Statement:
    """A sentence-sized unit with character offsets into its document's text."""

    start: int
    end: int
    text: str
    heading: str | None = None  # list/section heading it sits under
    is_promise: bool = False
    promise_score: float = 0.0
    cues: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    # Content-word stems (consistency.words), computed once here so that checks need no
    # lemma tables: `terms` what ranking compares, `words` each stem with its offsets.
    terms: str = ""
    words: str = ""

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)


class HingeError(Exception):
    """An error a user can act on; the CLI and web show str(err) as is."""


class IngestError(HingeError):
    def __init__(self, source: str, problem: str, hint: str = ""):
        self.source, self.problem, self.hint = source, problem, hint
        msg = f"{source}: {problem}"
        super().__init__(f"{msg}. {hint}" if hint else msg)
