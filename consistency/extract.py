"""Extract: split a document into statements, score campaign statements as promises.

Statements come from rules on the raw text (lines, bullets, headings, sentence ends with
per-language abbreviation lists), so offsets are exact and layout is respected: marketing
copy and SOPs are lists and headlines as much as prose. Promise cues are matched with
spaCy (a blank pipeline: tokenizer + lower-cased lookup lemmas) over the whole document
at once and mapped to statements by character offset. Every cue lexicon lives in
``data/cues/<lang>.json``; adding a language is adding a file.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .facts import FACTS_VERSION, data_digest, extract_facts
from .models import Fact, Statement
from .words import lemma_table, lexical_terms, words

# Bump when segmentation or scoring code changes; cue files and facts have their own
# fingerprints in EXTRACTOR_VERSION, so stored statements are re-extracted on any change.
_CODE_VERSION = "9"

# A statement is a promise when the logistic of (bias + cue weights) reaches this: the
# cues outweigh the bias. 0.56 was tried: chosen on four held-out rounds of six corpora,
# where it lifted end-to-end gap F1 on each, it cost the next unseen round 0.02
# (0.538 -> 0.516), so the plain midpoint stays.
PROMISE_THRESHOLD = 0.5
# Cues that no other cue outweighs: a customer's words (a testimonial), a line telling
# an agent what not to say ("Never promise same-day delivery") and an email's subject or
# preheader line (it repeats an offer the body states, where it is judged) are never the
# business's promise, however many offers they repeat.
VETO = frozenset({"neg:testimonial", "neg:unsaid", "neg:email_header"})

# Languages the detector chooses between (a small set keeps lingua fast and accurate);
# any with a cue file gets promise scoring in its own words, the others use English cues.
SUPPORTED_LANGUAGES = ("en", "es", "pt", "ru", "de", "fr", "it", "nl")
CUE_DIR = Path(__file__).parent / "data" / "cues"
# Weights of every cue, shared by all languages (cue names are the same in every file):
# fitted by benchmarks/fit_promises.py. A language file may override any of them.
WEIGHTS_FILE = CUE_DIR / "weights.json"


def language_files() -> list[Path]:
    """The per-language cue files (``en.json``...), not the shared weights."""
    return sorted(p for p in CUE_DIR.glob("*.json") if p != WEIGHTS_FILE)


EXTRACTOR_VERSION = f"{_CODE_VERSION}+facts{FACTS_VERSION}+cues{data_digest(CUE_DIR)}"


# -- language ---------------------------------------------------------------------------


@cache
def _detector() -> Any:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in SUPPORTED_LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language; "en" when too short or unsure."""
    sample = text[:3000]  # a page of copy is plenty and keeps long documents cheap
    if sum(ch.isalpha() for ch in sample) < 12:
        return "en"
    found = _detector().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found else "en"


# -- cue data and the spaCy pipeline ----------------------------------------------------


@dataclass
class _Lexicon:
    lang: str
    nlp: Any
    lemmas: dict[int, int]  # lower-cased form id -> lemma id (lookup table, cached)
    table: dict[str, str]
    bias: float
    weights: dict[str, float]  # every cue by name: lexical, structure and "fact:..." cues
    at_start: set[str]
    # Words that, capitalised before a capitalised word inside a sentence, name a part of
    # an app or site ("My Account") rather than speak for a customer.
    section_words: set[str] = field(default_factory=set)
    never: set[str] = field(default_factory=set)  # abbreviations that never end a sentence
    before_number: set[str] = field(default_factory=set)
    may_end: set[str] = field(default_factory=set)
    matchers: list[Any] = field(default_factory=list)


def _lemmatize(doc: Any, lex: _Lexicon) -> Any:
    """Lower-cased lookup lemmas: spaCy's lookup table is case-sensitive, so "Free" at a
    sentence start would otherwise miss; curly apostrophes are folded for "we’ll", and
    Russian ё to е (most copy writes "вернем" for "вернём")."""
    strings = lex.nlp.vocab.strings
    for tok in doc:
        lemma = lex.lemmas.get(tok.lower)
        if lemma is None:
            low = tok.lower_.replace("’", "'")
            found = lex.table.get(low)
            if found is None and "е" in low:  # Russian written without ё: "вернем" = "вернём"
                i = low.rfind("е")
                found = lex.table.get(f"{low[:i]}ё{low[i + 1 :]}")
            # ё folded to е, so a cue matches whichever spelling the copy uses
            lemma = lex.lemmas[tok.lower] = strings.add((found or low).replace("ё", "е"))
        tok.lemma = lemma
    return doc


@cache
def _lexicon(lang: str) -> _Lexicon:
    import spacy
    from spacy.matcher import Matcher, PhraseMatcher

    path = CUE_DIR / f"{lang}.json"
    data = json.loads((path if path.exists() else CUE_DIR / "en.json").read_text("utf-8"))
    shared = json.loads(WEIGHTS_FILE.read_text("utf-8"))
    try:
        nlp = spacy.blank(lang)
    except ImportError:  # a language spaCy does not know: its tokenizer rules are close
        nlp = spacy.blank("xx")
    table = lemma_table(lang)
    cues = data["cues"]
    lex = _Lexicon(
        lang=lang, nlp=nlp, lemmas={}, table=table, bias=data.get("bias", shared["bias"]),
        weights=shared["weights"] | data.get("weights", {}),
        at_start={name for name, cue in cues.items() if cue.get("at_start")},
        never=set(data.get("abbreviations", [])),
        before_number=set(data.get("abbreviations_before_number", [])),
        may_end=set(data.get("abbreviations_may_end", [])),
        section_words=set(data.get("section_words", [])),
    )  # fmt: skip
    by_lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
    by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    patterns = Matcher(nlp.vocab)
    for name, cue in cues.items():
        if cue.get("lemmas"):
            by_lemma.add(name, [_lemmatize(nlp.make_doc(p), lex) for p in cue["lemmas"]])
        if cue.get("phrases"):
            by_lower.add(name, [nlp.make_doc(p) for p in cue["phrases"]])
        if cue.get("patterns"):
            patterns.add(name, cue["patterns"])
    lex.matchers = [by_lemma, by_lower, patterns]
    return lex


# -- segmentation -----------------------------------------------------------------------

# A list marker at the start of a line: "- ", "* ", "• ", "— " (Russian lists), "1. ", "1)",
# "a) ", "✓ ", and the numbered clauses of terms and regulations: "2.1 ", "2.1.3. ".
_BULLET = re.compile(
    r"[ \t]*(?:[-*+•·▪◦‣●○■□✓✔✅☑►▶→➤—–]|\(?\d{1,2}[.)]|\d{1,2}(?:\.\d{1,2})+\.?|\(?[a-zA-Z]\))"
    r"(?=\s|$)\s*"
)
_MD_HEADING = re.compile(r"[ \t]*#{1,6}[ \t]+")
# A sentence end: terminal punctuation, then closing quotes, brackets or footnote marks,
# then whitespace. "9.99" and "9.30" never match: no whitespace after the dot.
_END = re.compile(r"(?:[.!?…]+)[\"'”“’»)\]*†¹²³]*(?=\s)")
_TERMINAL = ".!?…"
_QUOTES = '“«„"‘'
# Marks that open a footnote line: "*Terms apply.", "**One per order.", "† Subject to..."
_FOOTNOTE = "*†‡¹²³⁴⁵"
_CLOSERS = "\"'”“’»)]" + _FOOTNOTE  # what may follow a sentence's last word or mark


@dataclass
class _Block:
    start: int
    end: int
    item: bool = False  # a list item
    heading: bool = False  # a line that titles what follows
    lines: int = 1
    depth: int = 0  # of a numbered item: "4." is 1, "4.1" is 2; 0 for anything else


@dataclass
class _Context:
    """Where a statement sits, for the structure cues: the block it came from and its place
    in it."""

    block: int  # index of its block in the document
    title: bool  # its block is a headline or section title (not a "...:" intro)
    footnote: bool  # its block opens with a footnote mark


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line without its break; any Unicode line break counts."""
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        spans.append((pos, pos + len(line.splitlines()[0])))
        pos += len(line)
    return spans


def _soft_wrap(text: str, prev: _Block, start: int) -> bool:
    """A line continues the previous one when it starts in lower case or the previous
    one stopped on a comma: hard-wrapped emails and PDFs, not headlines."""
    if prev.heading or text[prev.end - 1] in _TERMINAL + ":":
        return False
    return text[start].islower() or text[prev.end - 1] in ",;&+"


def _number_depth(marker: str) -> int:
    return len(re.findall(r"\d+", marker))


def _numbered_title(text: str, blocks: list[_Block], i: int) -> bool:
    """A short numbered line that opens a section of prose ("3. Birthdays", then a
    paragraph, then "4. Member prices") titles it; in a list it would sit among items of
    its own depth. Its last item before prose stays an item: the one before it is a
    sibling."""
    b = blocks[i]
    if not b.depth or b.lines > 1 or i + 1 == len(blocks):
        return False
    line = text[b.start : b.end]
    if line.count(" ") >= 6 or line.rstrip(_CLOSERS)[-1:] in _TERMINAL + ":,;":
        return False
    prev, nxt = blocks[i - 1] if i else None, blocks[i + 1]
    return (prev is None or prev.depth != b.depth) and nxt.depth != b.depth


def _blocks(text: str) -> list[_Block]:
    """Lines grouped into blocks: a blank line, a list item, a markdown heading or a line
    without final punctuation ends one."""
    blocks: list[_Block] = []
    prev: _Block | None = None
    for ls, le in _lines(text):
        line = text[ls:le]
        if not line.strip():
            prev = None
            continue
        marker = _MD_HEADING.match(line) or _BULLET.match(line)
        start = ls + (marker.end() if marker else len(line) - len(line.lstrip()))
        end = ls + len(line.rstrip())
        if start >= end:  # a bare marker: "-" or "1." on a line of its own
            continue
        if marker is None and prev is not None and _soft_wrap(text, prev, start):
            prev.end, prev.lines = end, prev.lines + 1
            continue
        heading = bool(marker and marker.re is _MD_HEADING)
        depth = _number_depth(marker.group()) if marker and not heading else 0
        prev = _Block(start, end, item=bool(marker) and not heading, heading=heading, depth=depth)
        blocks.append(prev)
    for i, b in enumerate(blocks):
        if _numbered_title(text, blocks, i):
            b.item, b.heading = False, True
    for i, b in enumerate(blocks):  # short title lines followed by content are headings
        line = text[b.start : b.end]
        last, words = (line.rstrip(_CLOSERS) or line)[-1], line.count(" ") + 1
        followed = i + 1 < len(blocks)
        short = followed and not b.item and b.lines == 1 and words <= 10
        if last == ":" or (short and last not in _TERMINAL and text[b.start].isalnum()):
            b.heading = b.heading or followed
        elif short and last == "?" and blocks[i + 1].item:
            b.heading = True  # "Why choose us?" over a list introduces it, as ":" does
    return blocks


def _is_boundary(text: str, m: re.Match[str], lex: _Lexicon, limit: int) -> bool:
    nxt = m.end()
    while nxt < limit and text[nxt].isspace():
        nxt += 1
    if nxt >= limit:
        return True
    after = text[nxt]
    if text[m.start()] in "!?":
        return True
    word_start = max(text.rfind(" ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
    word = text[word_start : m.start() + 1].lower().lstrip("(\"'“«")
    if word in lex.never or (word in lex.before_number and after.isdigit()):
        return False
    if len(word) == 2 and word[0].isalpha() and text[word_start].isupper():
        return False  # an initial: "J. Smith"
    if word in lex.may_end or text[m.start()] == "…" or word.endswith(".."):
        # "until 9 p.m. Members get..." ends; "etc. and" and "8 p.m. CET" do not
        rest = text[nxt:limit]
        title_case = after.isupper() and not rest[1:2].isupper()  # "CET", "GMT" are not
        return title_case and (" " in rest or rest[-1] in _TERMINAL)
    return not after.islower()  # unknown abbreviations ("approx. 5") rarely precede lower case


def _sentences(text: str, block: _Block, lex: _Lexicon) -> list[tuple[int, int]]:
    spans, start = [], block.start
    for m in _END.finditer(text, block.start, block.end):
        if _is_boundary(text, m, lex, block.end):
            spans.append((start, m.end()))
            start = m.end()
    spans.append((start, block.end))
    out = []
    for s, e in spans:
        piece = text[s:e]
        s, e = s + len(piece) - len(piece.lstrip()), s + len(piece.rstrip())
        if any(ch.isalnum() for ch in text[s:e]):
            out.append((s, e))
    return out


def _heading_text(text: str) -> str:
    return text.strip().rstrip(":").strip()


def _segment(text: str, lex: _Lexicon) -> list[tuple[Statement, _Context]]:
    out: list[tuple[Statement, _Context]] = []
    section: str | None = None  # from a title line or markdown heading
    intro: str | None = None  # from a "...:" line, for the list under it
    for n, block in enumerate(_blocks(text)):
        title = block.heading and not block.item and text[block.end - 1] != ":"
        where = _Context(n, title=title, footnote=text[block.start] in _FOOTNOTE)
        if not block.item and not block.heading:
            intro = None  # prose after a list closes the list
        heading = intro or section
        for s, e in _sentences(text, block, lex):
            out.append((Statement(start=s, end=e, text=text[s:e], heading=heading), where))
        if block.heading:
            name = _heading_text(text[block.start : block.end])
            if text[block.end - 1] in ":?":
                intro = name
            else:
                section, intro = name, None
    return out


def segment(text: str, lang: str) -> list[Statement]:
    """Statements with exact offsets (text[s.start:s.end] == s.text) and their heading."""
    return [st for st, _ in _segment(text, _lexicon(_norm(lang)))]


# -- promise scoring --------------------------------------------------------------------


def _norm(lang: str | None) -> str:
    lang = (lang or "en").lower()[:2]
    return lang if lang.isalpha() else "en"


def _open_quote(before: str) -> bool:
    """Whether a quotation opened in `before` (the line up to a statement) is unclosed:
    the later sentences of a multi-sentence quote."""
    if before.count('"') % 2:
        return True
    # German quotes open with „ and close with “, which opens an English quote.
    german = "„" in before
    opened = sum(before.count(q) for q in ("«„" if german else "“«„"))
    return opened > sum(before.count(q) for q in ("”»“" if german else "”»"))


def _quoted(text: str) -> bool:
    """The statement opens with a quote mark (after any stars or dashes)."""
    return text.lstrip("*-–—★☆⭐ ")[:1] in _QUOTES


_STARS = "★☆⭐"
# "— Maria, Lisbon", "- Tom R.", "– Tide Club member since 2020": who said the quote.
_ATTRIBUTION = re.compile(r"[—–~-]\s*[A-ZÀ-ÖØ-ÞА-ЯЁ][\w.&'’]*(?:[ ,]|$)")
# A closing quote followed by its attribution on the same line.
_QUOTE_THEN_NAME = re.compile(r"[\"”»“]\s*[—–~-]\s*[A-ZÀ-ÖØ-ÞА-ЯЁ]")


@dataclass
class _Layout:
    """What surrounds a statement on the page (all optional: a lone statement has none)."""

    prefix: str = ""  # its line before it
    line: str = ""  # its whole line
    next_line: str = ""  # the next line with text after it
    context: _Context | None = None
    after_question: bool = False  # the statement before it asks a question
    small_print: bool = False  # an earlier sentence of its block is small print
    heading_positive: bool = False  # its heading offers something and lends it


def _voice(text: str, lay: _Layout) -> str | None:
    """ "neg:testimonial" for a customer's words (a quote with its attribution or star
    rating, or the attribution itself); "ctx:quoted" for other quoted speech, such as the
    lines a sales script gives its agents; None for the business's own voice."""
    line = lay.line or text
    if any(star in line for star in _STARS) or _ATTRIBUTION.match(text.lstrip(_STARS + " ")):
        return "neg:testimonial"
    if not (_open_quote(lay.prefix) or _quoted(text)):
        return None
    if _QUOTE_THEN_NAME.search(line) or _ATTRIBUTION.match(lay.next_line.strip()):
        return "neg:testimonial"
    return "ctx:quoted"


def _structure_cues(st: Statement, lay: _Layout) -> list[str]:
    """Cues from layout and punctuation."""
    text = st.text.rstrip().rstrip(_CLOSERS)  # 'Got five minutes?"' still asks
    cues = []
    if any(mark in lay.prefix for mark in "✓✔✅☑"):
        cues.append("ctx:checkmark")  # a tick list is a list of benefits
    if text.endswith("?"):
        cues.append("neg:question")
    elif lay.after_question:
        cues.append("ctx:after_question")  # an FAQ answer, or the offer a question sets up
    voice = _voice(text, lay)
    if voice:
        cues.append(voice)
    if text.endswith(":"):
        cues.append("neg:intro_colon")
    elif lay.context and lay.context.title:
        cues.append("neg:title")  # a headline or section title names a topic
    if lay.heading_positive and st.heading:
        cues.append("ctx:heading")
    if text.startswith("[") or lay.prefix.count("[") > lay.prefix.count("]"):
        cues.append("neg:note")  # a stage direction: "[Check the address first.]"
    if lay.context and lay.context.footnote:
        cues.append("neg:footnote")
    elif lay.small_print:
        cues.append("neg:small_print")
    return cues


def _fact_cues(facts: list[Fact]) -> list[str]:
    cues = set()
    for f in facts:
        if f.kind == "polarity" and isinstance(f.value, dict):
            cues.add(f"fact:polarity:{f.value.get('polarity')}")
        else:
            cues.add(f"fact:{f.kind}")
    return sorted(cues)


def _combine(lex: _Lexicon, cues: list[str], with_bias: bool = True) -> float:
    if VETO.intersection(cues):
        return 0.0
    raw = lex.bias if with_bias else 0.0
    for cue in cues:
        raw += lex.weights.get(cue, 0.0)
    return 1.0 / (1.0 + math.exp(-raw))


def _lexical_cues(doc: Any, lex: _Lexicon, spans: list[tuple[int, int]]) -> list[set[str]]:
    """Run every matcher over one doc and give each span the cue names inside it."""
    starts = [s for s, _ in spans]
    first_word = {}  # span index -> char offset of its first word token
    for tok in doc:
        i = bisect.bisect_right(starts, tok.idx) - 1
        if i >= 0 and i not in first_word and (tok.is_alpha or tok.like_num):
            first_word[i] = tok.idx
    found: list[set[str]] = [set() for _ in spans]
    strings = lex.nlp.vocab.strings
    for matcher in lex.matchers:
        for match_id, a, b in matcher(doc):
            s, e = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
            i = bisect.bisect_right(starts, s) - 1
            if i < 0 or e > spans[i][1]:
                continue
            name = strings[match_id]
            if name in lex.at_start and first_word.get(i) != s:
                continue
            if name == "neg:first_person" and first_word.get(i) != s and _section_name(doc, a, lex):
                continue
            found[i].add(name)
    return found


def _section_name(doc: Any, i: int, lex: _Lexicon) -> bool:
    """ "My Account", "My List" inside a sentence: an app's section, not a customer's voice."""
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    return doc[i].text in lex.section_words and nxt is not None and nxt.text[:1].isupper()


def _cues_in(text: str, lex: _Lexicon) -> set[str]:
    doc = _lemmatize(lex.nlp.tokenizer(text), lex)
    return _lexical_cues(doc, lex, [(0, len(text))])[0]


# A second clause after a call to action: "Sign up today and your first month is free",
# "Включите уведомления — пришлём push", "Apúntate y te avisaremos".
_CLAUSE = re.compile(r"\s(?:and|then|y|e|et|puis|und|dann|и|а|—|–|-)\s|[:;]\s", re.IGNORECASE)
_PROMISING = ("offer:", "commit:", "level:", "benefit:")


def _consequence(text: str, lex: _Lexicon) -> bool:
    """Whether a clause after the first one promises something and is not another call to
    action ("Call us and ask about..." is two requests, not an offer)."""
    for m in _CLAUSE.finditer(text):
        tail = _cues_in(text[m.end() :], lex)
        if "neg:cta" not in tail and any(c.startswith(_PROMISING) for c in tail):
            return True
    return False


def _rules(text: str, found: set[str], structure: list[str], lex: _Lexicon) -> set[str]:
    """Cues that depend on other cues.

    - A call to action followed by a clause that promises something is a conditional
      promise ("do this and we do that"): its CTA weighs as ``ctx:cta_clause`` instead.
    - First person is a customer's voice, except in quoted lines a script gives its agents:
      there "I'll set that up" (``commit:agent``) is the business speaking."""
    found = set(found)
    if "commit:agent" in found:
        if "ctx:quoted" in structure:
            found.discard("neg:first_person")
        else:
            found.discard("commit:agent")
    if "neg:cta" in found and _consequence(text, lex):
        # The same words must not count twice against it ("Sign up today and ...").
        found -= {"neg:cta", "neg:cta_anywhere"}
        found.add("ctx:cta_clause")
    return found


def _score(st: Statement, found: set[str], lex: _Lexicon, lay: _Layout) -> None:
    structure = _structure_cues(st, lay)
    st.cues = sorted(_rules(st.text, found, structure, lex)) + structure + _fact_cues(st.facts)
    st.promise_score = round(_combine(lex, st.cues), 4)
    st.is_promise = st.promise_score >= PROMISE_THRESHOLD


def _offers(found: set[str], facts: list[Fact], lex: _Lexicon) -> bool:
    """Whether a heading offers something that it lends to the list under it ("What's
    included:", "Members enjoy", "Why choose us"): a positive word cue, and its words and
    facts together (without the bias, which is for whole statements) weigh for a promise."""
    if "neg:excluded" in found:
        return False  # "What isn't covered?" names what it does not offer
    if "benefit:why_us" in found:
        found = found - {"neg:question"}  # "Why choose us?" asks only to answer with the list
    cues = sorted(found) + _fact_cues(facts)
    positive = any(not cue.startswith(("neg:", "ctx:")) for cue in found)
    return positive and _combine(lex, cues, with_bias=False) > 0.5


_SPACE = re.compile(r"\s*")  # a run of whitespace, line breaks included


def _line_at(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _score_all(text: str, placed: list[tuple[Statement, _Context]], lex: _Lexicon) -> None:
    if not placed:
        return
    doc = _lemmatize(lex.nlp.tokenizer(text), lex)
    lexical = _lexical_cues(doc, lex, [(st.start, st.end) for st, _ in placed])
    # Headings that offer something themselves -> whether they end in ":" (introduce a list).
    offering: dict[str, bool] = {}
    small_print: set[int] = set()  # blocks where terms and conditions have begun
    previous: Statement | None = None
    for (st, where), found in zip(placed, lexical, strict=True):
        ls, le = _line_at(text, st.start)
        nxt = _SPACE.match(text, le).end()  # the next line with text
        prefix, next_line = text[ls : st.start], text[nxt : _line_at(text, nxt)[1]]
        intro = offering.get(st.heading or "")
        lay = _Layout(
            prefix=prefix, line=text[ls:le], next_line=next_line, context=where,
            after_question=previous is not None and previous.text.endswith("?"),
            small_print=where.block in small_print,
            # A heading lends its offer to the list under it, not to prose that follows it.
            heading_positive=intro is not None and (intro or _BULLET.fullmatch(prefix) is not None),
        )  # fmt: skip
        _score(st, found, lex, lay)
        if "neg:terms" in found:
            small_print.add(where.block)
        if _offers(found, st.facts, lex):
            offering[_heading_text(st.text)] = st.text.endswith(":")
        previous = st


def score_promise(statement: Statement, lang: str) -> tuple[float, list[str]]:
    """(score in 0..1, cue names) for one statement; a promise when the score reaches
    PROMISE_THRESHOLD. Uses statement.facts when filled, else extracts them."""
    lex = _lexicon(_norm(lang))
    text, heading = statement.text, statement.heading
    facts = statement.facts or extract_facts(text, lex.lang)
    probe = Statement(0, len(text), text, heading=heading, facts=facts)
    heading_positive = False
    if heading:
        heading_positive = _offers(_cues_in(heading, lex), extract_facts(heading, lex.lang), lex)
    lay = _Layout(heading_positive=heading_positive)
    _score(probe, _cues_in(text, lex), lex, lay)
    return probe.promise_score, probe.cues


def annotate(statement: Statement, kind: str, lang: str) -> Statement:
    """Fill in what the later stages read of a statement: its facts and word stems."""
    statement.facts = extract_facts(statement.text, lang)
    statement.words = words(statement.text, lang)
    # A procedure step is compared with its heading's words, a promise with its own.
    heading = statement.heading if kind == "procedure" else None
    statement.terms = lexical_terms(statement.words, heading, lang)
    return statement


def extract(text: str, kind: str, lang: str | None = None) -> tuple[str, list[Statement]]:
    """(language used, statements): offsets and facts for every statement; promise score,
    flag and cues for campaign statements only."""
    lang = _norm(lang) if lang else detect_language(text)
    lex = _lexicon(lang)
    placed = _segment(text, lex)
    statements = [st for st, _ in placed]
    for st in statements:
        annotate(st, kind, lang)
    if kind == "campaign":
        _score_all(text, placed, lex)
    return lang, statements
