"""Facts: the checkable values a statement states, normalized so two texts can be compared.

Embeddings see topic, not commitment: "returns within 14 days" and "30-day returns" are
near neighbours. The judge therefore compares what each side *states*: durations, money,
percentages, counts, times of day, days of the week, contact channels and polarity (grants,
refuses, charges...). This module finds those facts with precompiled regular expressions.

Why regexes and not spaCy: extraction runs on every statement of every document (thousands
a second on one core), and the facts are surface patterns ("30-day", "£4.99", "Mon-Fri").
One compiled rule set per language is built once (``functools.cache``) from
``data/facts/<lang>.json``; every word list lives there, the code holds only mechanics, so a
new language is a new data file. An unknown language falls back to English.

Value shapes (``Fact.value``; ``judge._key`` reads these keys):

- duration: ``{"hours": float, "business": bool, "bound": "within"|"at_least"|"before"|
  "after"|"exact"}``. Units are normalized to hours (day 24, week 168, month 720, year
  8760, minute 1/60), so "six months" equals "180 days". "Same day" is
  ``{"hours": 0, "same_day": true}``: it is stricter than "within 24 hours" and must not
  agree with "next day" (24 h).
- money: ``{"amount": float|None, "currency": str|None, "free": bool}``; "free", "no fee",
  "on us"... are ``{"amount": 0.0, "currency": None, "free": true}``.
- percent: ``{"amount": float}``.
- count: ``{"amount": int, "noun": str, "ordinal": bool}``: the noun is the lower-cased word
  after the number, reduced to a rough singular by the language's suffix rules.
- time: ``{"from": "HH:MM"|None, "to": "HH:MM"|None}``; a bare clock time ("at 11:00") is a
  point, ``from == to``.
- days: ``{"days": [...], "always": bool}``; days in week order (mon..sun); "24/7" and
  "day or night" are ``always`` with all seven days.
- channel: ``{"channel": "phone"|"chat"|"email"|"in_person"|"app"|"website"|"whatsapp"|
  "sms"|"post"|"video"}``, one fact per channel.
- polarity: ``{"polarity": "grants"|"free"|"can"|"refuses"|"charges"|"requires_approval"|
  "not_guaranteed"|"never"|"must"}``, one fact per polarity value; a refusal that
  confines rather than denies ("front-store only", "nur per E-Mail") also carries
  ``"restricts": true``.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .models import Fact

DATA_DIR = Path(__file__).parent / "data" / "facts"


def data_digest(folder: Path) -> str:
    """A fingerprint of the JSON data files in `folder`, for extract.EXTRACTOR_VERSION: stored
    statements are re-extracted when a cue or fact file changes."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.json")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


# Part of extract.EXTRACTOR_VERSION: bump the number for code changes; data is fingerprinted.
FACTS_VERSION = f"11.{data_digest(DATA_DIR)}"
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"
# Money amounts also take "." and spaces as thousands separators ("1.500 ₽", "1 500 ₽").
_AMOUNT = r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d{1,2})?(?!\d)"
# Patterns are matched against the lower-cased text (`_lower`) without re.IGNORECASE: three
# times faster in Python's re. Data files therefore write their regexes in lower case.
_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"\s+")
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f]")
_NUMBER_WORD_SEP = re.compile(r"[\s-]+")
_WORDS = re.compile(r"[\w'’]+")
_NEXT_WORDS = re.compile(r"\s*([\w'’]+)(?:\s+([\w'’]+))?")


# -- regex building ----------------------------------------------------------------------


def _trie(words: Iterable[str]) -> str:
    """A regex matching any of the literal `words`, as a character trie: Python's re tries
    alternatives one by one, so a trie keeps hundred-word lists fast."""
    root: dict[str, Any] = {}
    for word in {w.lower() for w in words if w}:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return emit(root) or "(?!)"


def _alt(patterns: Iterable[str]) -> str:
    """Alternation of regex patterns, longest first so the fuller phrase wins."""
    pats = sorted({p for p in patterns if p}, key=len, reverse=True)
    return "(?:" + "|".join(pats) + ")" if pats else "(?!)"


def _word(pattern: str) -> str:
    """`pattern` as whole words: not inside a longer word on either side."""
    return rf"(?<!\w)(?:{pattern})(?!\w)"


def _named(groups: Mapping[str, Iterable[str]], build: Callable[[Iterable[str]], str]) -> str:
    """One named group per entry, `build` making its regex from the entry's words or
    patterns: the group that matched (``Match.lastgroup``) names the value."""
    return "|".join(rf"(?P<{name}>{build(words)})" for name, words in groups.items())


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text.lower().replace("’", "'")).strip()


# -- the compiled rule set ---------------------------------------------------------------


@dataclass
class _Rules:
    """Everything compiled for one language; built once by `_rules`."""

    numbers: dict[str, float]
    ordinals: dict[str, int]
    joiners: set[str]
    units: dict[str, float]
    business: set[str]
    duration: re.Pattern[str]
    duration_bare: re.Pattern[str]
    article_is_one: bool
    numberish: re.Pattern[str]
    currency_any: re.Pattern[str]
    percent_any: re.Pattern[str]
    percent_phrases: dict[str, float]
    percent_phrase: re.Pattern[str]
    duration_phrases: dict[str, dict[str, Any]]
    duration_phrase: re.Pattern[str]
    bound_before: re.Pattern[str]
    bound_after: re.Pattern[str]
    not_duration_after: re.Pattern[str]
    not_duration_before: re.Pattern[str]  # "menores de 14 años": an age, not a duration
    age_range: re.Pattern[str]  # "возраст 18–70 лет", "aged 18 to 70": the end of an age range
    percent: re.Pattern[str]
    money: re.Pattern[str]
    currencies: dict[str, str]
    free: re.Pattern[str]
    free_word: re.Pattern[str]
    free_not_after: set[str]
    free_not_before: set[str]
    time_atom: re.Pattern[str]
    time_named: dict[str, str]
    time_pm: set[str]
    time_mer: dict[str, str]
    time_range: re.Pattern[str]
    time_bare: re.Pattern[str]
    time_from: re.Pattern[str]
    time_to: re.Pattern[str]
    # Spanish and Portuguese write durations as "2 h" too: a spaced hour mark is a clock
    # time only in a range or after a word for one ("de 9 a 18 h", "a las 14 h").
    weak_hour_mark: bool
    time_clock_word: re.Pattern[str]
    h_duration_before: re.Pattern[str]
    early_days: re.Pattern[str]
    early_days_map: dict[str, Any]
    always_guard: re.Pattern[str]
    always_after_guard: re.Pattern[str]
    day_atom: re.Pattern[str]
    day_map: dict[str, tuple[tuple[str, ...], bool]]
    day_range: re.Pattern[str]
    day_list: re.Pattern[str]
    closed_before: re.Pattern[str]
    closed_after: re.Pattern[str]
    count: re.Pattern[str]
    count_stop: set[str]
    multiple: re.Pattern[str]  # "10 vezes", "3 fois": instalments and times, like "10x"
    noun_suffixes: list[tuple[str, str]]
    noun_aliases: dict[str, str]  # "pts": "point", as staff abbreviate
    fold_accents: bool
    nouns_capitalised: bool  # German: a capital letter does not make a noun a name
    channel: re.Pattern[str]
    channel_negation: re.Pattern[str]
    polarity: re.Pattern[str]
    restrictive: re.Pattern[str]  # "only", "nur": a refusal that confines to what follows


def _load(lang: str) -> dict[str, Any]:
    path = DATA_DIR / f"{lang}.json"
    if not path.exists():
        path = DATA_DIR / "en.json"
    return json.loads(path.read_text("utf-8"))


@cache
def _rules(lang: str) -> _Rules:
    d = _load(lang)
    numbers = {_norm(k): float(v) for k, v in d["numbers"].items()}
    ordinals = {_norm(k): int(v) for k, v in d.get("ordinals", {}).items()}
    joiners = {_norm(j) for j in d.get("number_joiners", [])}
    word = _trie(numbers)
    join = rf"(?:[\s-]+(?:{_trie(joiners)})[\s-]+|[\s-]+)" if joiners else r"[\s-]+"
    words = rf"(?<!\w)(?:{word})(?:{join}(?:{word}))*(?!\w)"
    num = rf"(?:(?<![\w.,])(?:{_DIGITS})(?![.,]?\d)|{words})"

    dur = d["duration"]
    units = {_norm(form): float(h) for h, forms in dur["units"].items() for form in forms}
    business = {_norm(w) for w in dur.get("business", [])}
    mods = _trie(business | {_norm(w) for w in dur.get("modifiers", [])})
    arts = d.get("articles", [])
    art = rf"(?P<art>{_trie(arts)})\s+" if arts else "(?P<art>(?!))"
    tail = (
        rf"(?:(?P<mod1>{mods})[\s-]+)?(?P<unit>{_trie(units)})(?!\w)(?:\s+(?P<mod2>{mods})(?!\w))?"
    )
    # "2 or more days", "3 o más noches": the approximation sits between number and unit.
    more, less = d.get("or_more", []), d.get("or_less", [])
    approx = (
        rf"(?:[\s\u00a0]+(?:(?P<more>{_trie(more) if more else '(?!)'})"
        rf"|(?P<less>{_trie(less) if less else '(?!)'}))(?!\w))?"
    )
    duration = re.compile(rf"(?P<num>{num}){approx}(?:\s*-\s*|[\s\u00a0]+|(?<=\d)){tail}")
    # Without a number: "an hour", Russian "в течение часа"; kept only after a bound word.
    lead = rf"(?<!\w){art}" if arts else r"(?<!\w)"
    duration_bare = re.compile(rf"{lead}{tail}" if arts or d.get("bare_units") else "(?!)")
    phrases = {_norm(k): v for k, v in dur.get("phrases", {}).items()}
    fillers = _trie(d.get("bound_fillers", []))
    before_groups = _named(dur.get("bounds_before", {}), _trie)
    after_groups = _named(dur.get("bounds_after", {}), _trie)
    bound_before = re.compile(rf"(?<!\w)(?:{before_groups})\s+(?:(?:{fillers})\s+)?$")
    bound_after = re.compile(rf"\s*(?:{after_groups})(?!\w)")
    not_after = dur.get("not_after", [])
    not_duration_after = re.compile(rf"[\s\-‐]+{_trie(not_after)}(?!\w)" if not_after else "(?!)")
    not_before = dur.get("not_before", [])
    not_duration_before = re.compile(
        rf"(?<!\w){_trie(not_before)}\s+(?:(?:{fillers})\s+)?$" if not_before else "(?!)"
    )

    ages = dur.get("age_words", [])
    # An age word, up to two words ("von", "between"), the range's first number and its
    # joiner ("–", "to", "bis", "a", "до"): what is left of "aged 18 to 70 years".
    age_range = re.compile(
        rf"(?<!\w){_trie(ages)}\s+(?:[^\W\d]+\s+){{0,2}}\d+\s*(?:[-–—]|[^\W\d]{{1,3}})\s*$"
        if ages else "(?!)"
    )  # fmt: skip

    pct = d["percent"]
    pct_pat = "|".join(re.escape(p) + (r"(?!\w)" if p[-1].isalnum() else "") for p in pct)
    percent = re.compile(rf"(?P<num>{num})\s?(?:{pct_pat})")
    pct_phrases = {_norm(k): float(v) for k, v in d.get("percent_phrases", {}).items()}

    m = d["money"]
    before_syms = m["symbols_before"]
    after_syms = m["symbols_after"]

    def sym_alt(syms: Iterable[str]) -> str:
        parts = []
        for s in sorted(syms, key=len, reverse=True):
            p = re.escape(s.lower())
            if s[0].isalnum():
                p = r"(?<![^\W\d])" + p
            if s[-1].isalnum():
                p += r"(?![^\W\d])"
            parts.append(p)
        return "|".join(parts)

    pence = m.get("pence_suffix")
    pence_pat = rf"|(?<![\w.,])(?P<pamt>\d{{1,3}}){re.escape(pence)}(?!\w)" if pence else ""
    money = re.compile(
        rf"(?P<sym>{sym_alt(before_syms)})\s?(?P<amt>{_AMOUNT})"
        # "one £5.00 reward": a symbol followed by an amount is that amount's.
        rf"|(?<![\w.,])(?P<amt2>{_AMOUNT}|{words})\s?(?P<sym2>{sym_alt(after_syms)})(?!\s?\d)"
        + pence_pat,
    )
    currencies = {_norm(k): v for k, v in {**after_syms, **before_syms}.items()}
    if pence:
        currencies["__pence__"] = m["pence_currency"]
    free = re.compile(_word(_alt(m.get("free_regex", []))))
    free_word = re.compile(rf"(?<![\w-]){_trie(m.get('free_words', []))}(?![\w-])")

    t = d["time"]
    am = {_norm(x) for x in t["ampm"].get("am", [])}
    pm = {_norm(x) for x in t["ampm"].get("pm", [])}
    ampm = "|".join(re.escape(x) for x in sorted(am | pm, key=len, reverse=True))
    mer = {_norm(k): v for k, v in t.get("meridian_after", {}).items()}
    mer_pat = rf"(?:\s+(?P<mer>{_trie(mer)})(?!\w))?" if mer else "(?P<mer>(?!))?"
    named = {_norm(k): v for k, v in t.get("named", {}).items()}
    suffix = t.get("clock_suffix", [])
    clock_suffix = rf"(?:\s?(?:{_trie(suffix)})(?!\w))?" if suffix else ""
    bare = t.get("bare_after", [])
    marks = t.get("hour_mark", [])
    alts = [
        rf"(?P<h1>\d{{1,2}})(?:[:.](?P<m1>\d{{2}}))?\s?(?P<ap>{ampm})(?![^\W\d])" if ampm else "",
        rf"(?P<h2>\d{{1,2}})[:](?P<m2>[0-5]\d)(?!\d){clock_suffix}",
        r"(?P<h3>\d{1,2})h(?P<m3>[0-5]\d)?(?!\w)" if t.get("suffix_h") else "",
        # A word that marks an hour, spaced or not: "14 Uhr", "14.30 Uhr", "14 h 30".
        rf"(?P<h5>\d{{1,2}})(?:[.:](?P<m5>[0-5]\d))?\s?(?:{_trie(marks)})(?:\s?(?P<m6>[0-5]\d))?(?!\w)"
        if marks
        else "",
        rf"(?<!\w)(?:{_trie(bare)})\s+(?P<h4>\d{{1,2}})(?:[:h](?P<m4>[0-5]\d)|h)?(?![\d.,:%])"
        if bare
        else "",
        rf"(?<!\w)(?P<named>{_trie(named)})(?!\w)" if named else "",
    ]
    time_atom = re.compile(rf"(?<![\d:.,])(?:{'|'.join(a for a in alts if a)}){mer_pat}")
    time_range = re.compile(rf"\s*(?:{_trie(t.get('range_sep', []))})\s*")
    # Not after "/": "04/11 a las 20 h" is a date, then a time, not 11:00-20:00.
    time_bare = re.compile(rf"(?<![\d:.,/])(\d{{1,2}})(?:[.:h](\d{{2}}))?{time_range.pattern}$")
    time_from = re.compile(rf"(?<!\w)(?:{_trie(t.get('from', []))})\s*$")
    time_to = re.compile(rf"(?<!\w)(?:{_trie(t.get('to', []))})\s*$")
    time_clock_word = re.compile(rf"(?<!\w)(?:{_trie(bare)})\s*$" if bare else "(?!)")
    hdur = t.get("h_duration_before", [])
    h_duration_before = re.compile(rf"(?<!\w)(?:{_trie(hdur)})\s*$" if hdur else "(?!)")

    days = d["days"]
    early_map: dict[str, Any] = {_norm(p): "always" for p in days.get("always", [])}
    early_map.update({_norm(p): "all" for p in days.get("every", [])})
    early_days = re.compile(_word(_trie(early_map)))
    guard = days.get("always_guard", "")
    always_guard = re.compile(rf"(?<!\w)(?:{guard})\s+$" if guard else "(?!)")
    after_guard = _trie(dur.get("bounds_after", {}).get("before", []))
    always_after_guard = re.compile(rf"\s*(?:{after_guard})(?!\w)")
    day_map: dict[str, tuple[tuple[str, ...], bool]] = {}
    for key, forms in days["names"].items():
        for f in forms:
            day_map[_norm(f)] = ((key,), False)
    for key, forms in days.get("abbrev", {}).items():
        for f in forms:
            day_map.setdefault(_norm(f), ((key,), True))
    for phrase in days.get("not_days", []):
        day_map[_norm(phrase)] = ((), False)
    for phrase, which in days.get("groups", {}).items():
        day_map[_norm(phrase)] = (WEEK if which == "all" else tuple(which), False)
    day_atom = re.compile(_word(_trie(day_map)))
    day_range = re.compile(rf"\s*(?:{_trie(days.get('range_sep', []))})\s*")
    day_list = re.compile(rf"\s*(?:{_trie(days.get('list_sep', []))})\s*")
    # "closed on Sundays", "fermés le dimanche"; "los sábados ... están cerradas", within
    # the clause: no punctuation or number between, which would start another statement
    # of hours ("Saturday 9-1, closed Sundays").
    closed_before = re.compile(rf"{_word(_trie(days.get('closed_before', [])) or '(?!)')}\s+$")
    closed_after = re.compile(
        rf"[^.;:!?,\n\d]{{0,40}}?{_word(_trie(days.get('closed_after', [])) or '(?!)')}"
    )

    c = d["count"]
    ord_suffix = d.get("digit_ordinal_regex")
    ord_pat = rf"|(?<![\w.,])(?P<dord>\d{{1,3}}){ord_suffix}(?!\w)" if ord_suffix else ""
    skip = c.get("skip", [])
    skip_pat = rf"(?:(?:{_trie(skip)})[\s\u00a0]+)?" if skip else ""
    count = re.compile(
        rf"(?:(?P<num>{num}){approx}|(?<!\w)(?P<ord>{_trie(ordinals)})(?!\w){ord_pat})[\s\u00a0]+"
        rf"{skip_pat}(?P<noun>[^\W\d_][\w'’]*)(?![\w-])",
    )

    # "999p" has no currency symbol, but the pence suffix names a currency all the same.
    any_money = [sym_alt(list(before_syms) + list(after_syms)), pence_pat.lstrip("|")]
    currency_any = re.compile("|".join(p for p in any_money if p) or "(?!)")
    chans = _named(d["channels"], _alt)
    pols = _named({name: pats for name, pats in d["polarity"].items() if pats}, _alt)
    restrictive = re.compile(_word(_trie(d["restrictive"])) if d.get("restrictive") else "(?!)")
    return _Rules(
        numbers=numbers, ordinals=ordinals, joiners=joiners, units=units, business=business,
        duration=duration, duration_bare=duration_bare,
        article_is_one=bool(dur.get("article_is_one")),
        numberish=re.compile(_word(_trie(list(numbers) + list(ordinals)))),
        currency_any=currency_any,
        percent_any=re.compile(pct_pat), duration_phrases=phrases,
        percent_phrases=pct_phrases,
        percent_phrase=re.compile(_word(_trie(pct_phrases)) if pct_phrases else "(?!)"),
        duration_phrase=re.compile(_word(_trie(phrases))),
        bound_before=bound_before, bound_after=bound_after,
        not_duration_after=not_duration_after, not_duration_before=not_duration_before,
        age_range=age_range,
        percent=percent, money=money,
        currencies=currencies, free=free, free_word=free_word,
        free_not_after={_norm(w) for w in m.get("free_not_after", [])},
        free_not_before={_norm(w) for w in m.get("free_not_before", [])},
        time_atom=time_atom, time_named=named, time_pm=pm, time_mer=mer,
        time_range=time_range, time_bare=time_bare, time_from=time_from, time_to=time_to,
        weak_hour_mark=bool(t.get("hour_mark_needs_context")), time_clock_word=time_clock_word,
        h_duration_before=h_duration_before, early_days=early_days, early_days_map=early_map,
        always_guard=always_guard, always_after_guard=always_after_guard, day_atom=day_atom,
        day_map=day_map, day_range=day_range,
        day_list=day_list, closed_before=closed_before, closed_after=closed_after,
        count=count, count_stop={_norm(w) for w in c.get("stop", [])},
        multiple=re.compile(
            rf"(?<![\w.,])(\d{{1,2}})[\s\u00a0]+(?:{_trie(c['multiples'])})(?!\w)"
            if c.get("multiples") else "(?!)"
        ),
        noun_suffixes=[(a, b) for a, b in c.get("noun_suffixes", [])],
        noun_aliases={_norm(k): v for k, v in c.get("noun_aliases", {}).items()},
        fold_accents=bool(c.get("fold_accents")),
        nouns_capitalised=bool(c.get("nouns_capitalised")),
        channel=re.compile(_word(chans)),
        channel_negation=re.compile(rf"(?<!\w)(?:{_trie(d.get('channel_negation', []))})\s+$"),
        polarity=re.compile(_word(pols)), restrictive=restrictive,
    )  # fmt: skip


# -- numbers -----------------------------------------------------------------------------


def _digits(s: str) -> float:
    """A number written with digits, whatever the separator convention: the last of "." and
    "," is the decimal mark when both occur; a lone one before exactly three digits is a
    thousands separator ("1.500", "1,000"), otherwise a decimal mark ("49,90", "39.9")."""
    s = _NUMBER_SPACES.sub("", s)
    if "." in s and "," in s:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        s = s.replace("," if dec == "." else ".", "").replace(dec, ".")
    elif "." in s or "," in s:
        sep = "." if "." in s else ","
        parts = s.split(sep)
        if len(parts) > 2 or len(parts[-1]) == 3:
            s = "".join(parts)
        else:
            s = s.replace(",", ".")
    return float(s)


def _number(s: str, r: _Rules) -> float | None:
    """Value of a matched number: digits, or number words ("twenty-four", "treinta y
    uno", "a dozen") added up with hundreds and thousands as multipliers."""
    s = s.strip()
    if s[:1].isdigit():
        try:
            return _digits(s)
        except ValueError:
            return None
    tokens = [t for t in _NUMBER_WORD_SEP.split(_norm(s)) if t]
    total = current = 0.0
    i, found = 0, False
    while i < len(tokens):
        for j in range(len(tokens), i, -1):
            key = " ".join(tokens[i:j])
            if key in r.numbers:
                v = r.numbers[key]
                if v in (100, 1000) and key == tokens[j - 1]:
                    if v == 100:
                        current = (current or 1) * 100
                    else:
                        total += (current or 1) * 1000
                        current = 0
                else:
                    current += v
                i, found = j, True
                break
        else:
            if tokens[i] not in r.joiners:
                return None
            i += 1
    return total + current if found else None


# -- the extractors ----------------------------------------------------------------------


class _Spans:
    """Character ranges already used by a numeric fact, so "30 days" is not also a count
    and "24 hours a day" is not also a duration."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def free(self, s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in self.spans)

    def take(self, s: int, e: int) -> None:
        self.spans.append((s, e))


def _fact(
    kind: str, text: str, s: int, e: int, value: dict[str, Any], unit: str | None = None
) -> Fact:
    return Fact(kind=kind, start=s, end=e, text=text[s:e], value=value, unit=unit)


def _early_days(text: str, r: _Rules, taken: _Spans, out: list[Fact]) -> None:
    """ "24/7", "day or night", "7 days a week": before durations, which would read "7 days"."""
    for m in r.early_days.finditer(text):
        which = r.early_days_map.get(_norm(m.group()))
        if which is None or r.always_guard.search(text, max(0, m.start() - 20), m.start()):
            continue  # "within 24 hours" is a duration, not round-the-clock service
        if r.always_after_guard.match(text, m.end()):
            continue  # "24 horas antes"
        taken.take(m.start(), m.end())
        value = {"days": list(WEEK), "always": which == "always"}
        out.append(_fact("days", text, m.start(), m.end(), value))


def _hhmm(h: int, mnt: int) -> str | None:
    if h > 24 or mnt > 59 or (h == 24 and mnt):
        return None
    return f"{h % 24:02d}:{mnt:02d}"


def _time_value(m: re.Match[str], text: str, r: _Rules) -> str | None:
    g = m.groupdict()
    if g.get("named"):
        return r.time_named.get(_norm(g["named"]))
    mer = r.time_mer.get(_norm(g.get("mer") or ""))
    if g.get("h1"):
        h, mnt = int(g["h1"]), int(g["m1"] or 0)
        if not 1 <= h <= 12:
            return None
        pm = _norm(g["ap"]) in r.time_pm
        return _hhmm(h % 12 + (12 if pm else 0), mnt)
    if g.get("h2"):
        h, mnt = int(g["h2"]), int(g["m2"])
    elif g.get("h3") or g.get("h5"):
        h = int(g.get("h3") or g["h5"])
        mnt = int(g.get("m3") or g.get("m5") or g.get("m6") or 0)
        if h >= 24 or r.h_duration_before.search(text, max(0, m.start() - 20), m.start()):
            return None  # "24h", "em 2h": a duration, not a clock time
    else:
        h, mnt = int(g["h4"]), int(g.get("m4") or 0)
    if mer == "pm" and h < 12:
        h += 12
    elif mer == "am" and h == 12:
        h = 0
    return _hhmm(h, mnt)


def _times(text: str, r: _Rules, taken: _Spans, out: list[Fact]) -> None:
    """Clock times, joined into ranges ("9am-5pm", "de 9 a 14h") and given a direction by the
    word before them ("until 2 pm" is a `to`, "from 7 a.m." a `from`, "at 11:00" a point)."""
    atoms: list[tuple[int, int, str, bool, bool]] = []  # start, end, "HH:MM", am/pm, weak
    for m in r.time_atom.finditer(text):
        value = _time_value(m, text, r)
        if value is None:
            continue
        g = m.groupdict()
        start = m.start("h4") if g.get("h4") else m.start()
        weak = r.weak_hour_mark and bool(g.get("h5")) and not (g.get("m5") or g.get("m6"))
        atoms.append((start, m.end(), value, bool(g.get("ap") or m.group("mer")), weak))
    i = 0
    while i < len(atoms):
        s, e, value, meridiem, weak = atoms[i]
        pre = text[max(0, s - 25) : s]
        if i + 1 < len(atoms) and r.time_range.fullmatch(text, e, atoms[i + 1][0]):
            e2, to = atoms[i + 1][1], atoms[i + 1][2]
            if taken.free(s, e2):
                taken.take(s, e2)
                out.append(_fact("time", text, s, e2, {"from": value, "to": to}))
            i += 2
            continue
        # a bare number before a clock time: "9-5pm", "9–17h", "de 9 a 14h"
        bare = r.time_bare.search(text, max(0, s - 12), s)
        if bare and taken.free(bare.start(1), e):
            h, hb = int(bare.group(1)), int(value[:2])
            if 0 < hb <= 12 + 12 and h <= 24:
                if meridiem and h < 12 and hb >= 12 and h + 12 < hb:
                    # "1-5pm" is 13:00-17:00; "9-5pm" stays 09:00-17:00; on a 24-hour
                    # clock "7-20 Uhr" is 07:00-20:00.
                    h += 12
                first = _hhmm(h, int(bare.group(2) or 0))
                if first:
                    taken.take(bare.start(1), e)
                    out.append(_fact("time", text, bare.start(1), e, {"from": first, "to": value}))
                    i += 1
                    continue
        if weak and not (r.time_to.search(pre) or r.time_clock_word.search(pre)):
            i += 1  # "una sesión de 2 h": left for the durations
            continue
        if taken.free(s, e):
            taken.take(s, e)
            if r.time_to.search(pre):
                val = {"from": None, "to": value}
            elif r.time_from.search(pre):
                val = {"from": value, "to": None}
            else:
                val = {"from": value, "to": value}
            out.append(_fact("time", text, s, e, val))
        i += 1


def _money(
    text: str, r: _Rules, taken: _Spans, out: list[Fact], amounts: bool
) -> list[tuple[int, int]]:
    """Amounts with a currency, and "free" in its many phrasings; returns the free spans so
    polarity does not read "no charge" as a charge."""
    for m in r.money.finditer(text) if amounts else ():
        if not taken.free(m.start(), m.end()):
            continue
        if m.groupdict().get("pamt"):
            amount, cur = float(m.group("pamt")) / 100, r.currencies.get("__pence__")
        else:
            raw = m.group("amt") or m.group("amt2")
            amount = _number(raw, r)
            cur = r.currencies.get(_norm(m.group("sym") or m.group("sym2") or ""))
        if amount is None:
            continue
        taken.take(m.start(), m.end())
        value = {"amount": amount, "currency": cur, "free": amount == 0}
        out.append(_fact("money", text, m.start(), m.end(), value, cur))
    free_spans = [m.span() for m in r.free.finditer(text)]
    for m in r.free_word.finditer(text):
        before = _WORDS.findall(text[max(0, m.start() - 20) : m.start()])
        after = _NEXT_WORDS.match(text[m.end() : m.end() + 30])
        if any(_norm(w) in r.free_not_after for w in before[-2:]):
            continue  # "feel free", "is not free", "no es gratis"
        if after and _norm(after.group(1)) in r.free_not_before:
            continue
        if any(s <= m.start() < e for s, e in free_spans):
            continue
        free_spans.append((m.start(), m.end()))
    for s, e in sorted(free_spans):
        value = {"amount": 0.0, "currency": None, "free": True}
        out.append(_fact("money", text, s, e, value))
    return free_spans


def _percent_phrases(text: str, r: _Rules, taken: _Spans, out: list[Fact]) -> None:
    """ "half price" is 50% off however it is written: staff read "50%", customers "half"."""
    for m in r.percent_phrase.finditer(text):
        if taken.free(m.start(), m.end()):
            taken.take(m.start(), m.end())
            amount = r.percent_phrases[_norm(m.group())]
            out.append(_fact("percent", text, m.start(), m.end(), {"amount": amount}, "%"))


def _percents(text: str, r: _Rules, taken: _Spans, out: list[Fact]) -> None:
    for m in r.percent.finditer(text):
        amount = _number(m.group("num"), r)
        if amount is None or not taken.free(m.start(), m.end()):
            continue
        taken.take(m.start(), m.end())
        out.append(_fact("percent", text, m.start(), m.end(), {"amount": amount}, "%"))


def _bound(text: str, s: int, e: int, r: _Rules) -> str:
    """The bound word after or before a duration ("48 hours before", "within 14 days")."""
    found = r.bound_after.match(text, e) or r.bound_before.search(text, max(0, s - 30), s)
    return (found and found.lastgroup) or "exact"


def _durations(text: str, r: _Rules, taken: _Spans, out: list[Fact], numbers: bool) -> None:
    """ "30-day", "2 business days", "within 24h", "an hour" (after a bound word only), and
    fixed phrases ("same day", "next working day") from the data file."""
    for m in r.duration_phrase.finditer(text):
        if not taken.free(m.start(), m.end()):
            continue
        spec = dict(r.duration_phrases[_norm(m.group())])
        value = {"hours": float(spec.pop("hours")), "business": bool(spec.pop("business", 0))}
        value["bound"] = spec.pop("bound", None) or _bound(text, m.start(), m.end(), r)
        value.update(spec)
        taken.take(m.start(), m.end())
        out.append(_fact("duration", text, m.start(), m.end(), value, "h"))
    matches = list(r.duration.finditer(text)) if numbers else []
    for m in matches + list(r.duration_bare.finditer(text)):
        s, e = m.start(), m.end()
        if (
            not taken.free(s, e)
            or r.not_duration_after.match(text, e)
            or r.not_duration_before.search(text, max(0, s - 30), s)
            or r.age_range.search(text, max(0, s - 40), s)
        ):
            continue
        if m.re is r.duration:
            amount = _number(m.group("num"), r)
        elif r.bound_before.search(text, max(0, s - 30), s) or (
            r.article_is_one and m.group("art")
        ):
            # "an hour", Russian "в течение часа": only after a bound word ("within"),
            # otherwise "a day" in "twice a day" or "per day" would be a duration. Where
            # a rate is said without the article ("par mois", "pro Monat"), "un mois" and
            # "einen Monat" are always one month.
            amount = 1.0
        else:
            continue
        if amount is None:
            continue
        unit = _norm(m.group("unit"))
        mods = {_norm(m.group("mod1") or ""), _norm(m.group("mod2") or "")}
        hours = round(amount * r.units[unit], 4)
        value = {
            "hours": hours,
            # "2 business days", and units that say it themselves: "5 Werktage".
            "business": bool(mods & r.business) or unit in r.business,
            "bound": _bound(text, s, e, r),
        }
        approx = m.re is r.duration and (m.group("more") or m.group("less"))
        if value["bound"] == "exact" and approx:
            value["bound"] = "at_least" if m.group("more") else "within"
        taken.take(s, e)
        out.append(_fact("duration", text, s, e, value, "h"))


def _days(text: str, r: _Rules, taken: _Spans, out: list[Fact]) -> None:
    """Day names and groups, joined into ranges ("Monday to Saturday", "de lunes a viernes")
    and lists ("Tuesdays and Thursdays"); an abbreviation ("Sat") counts only in a range or
    list, where it cannot be a verb or another word."""
    atoms = []
    for m in r.day_atom.finditer(text):
        if taken.free(m.start(), m.end()):
            days, abbr = r.day_map[_norm(m.group())]
            if days:  # "Black Friday" names a sale, not a weekday: listed with no days
                atoms.append((m.start(), m.end(), days, abbr))
    i = 0
    while i < len(atoms):
        s, e, days, abbr = atoms[i]
        chosen = set(days)
        n = 1
        while i + n < len(atoms):
            ns, ne, ndays, _ = atoms[i + n]
            gap = (atoms[i + n - 1][1], ns)
            if atoms[i + n - 1][3] and text.startswith(".", gap[0]):
                gap = (gap[0] + 1, ns)  # "de seg. a sáb.": the abbreviation's full stop
            if len(days) == 1 and len(ndays) == 1 and r.day_range.fullmatch(text, *gap):
                a, b = WEEK.index(atoms[i + n - 1][2][0]), WEEK.index(ndays[0])
                chosen.update(WEEK[(a + k) % 7] for k in range((b - a) % 7 + 1))
            elif r.day_list.fullmatch(text, *gap):
                chosen.update(ndays)
            else:
                break
            e, n = ne, n + 1
        if n > 1 or not abbr:
            taken.take(s, e)
            value = {"days": [d for d in WEEK if d in chosen], "always": False}
            if _closed(text, s, e, r):
                value["closed"] = True
            out.append(_fact("days", text, s, e, value))
        i += n


def _closed(text: str, s: int, e: int, r: _Rules) -> bool:
    """Whether the days at text[s:e] are days of closing ("closed on Sundays", "Sábados y
    domingos las clínicas están cerradas"), not of opening."""
    if r.closed_before.search(text, max(0, s - 40), s):
        return True
    after = r.closed_after.match(text, e)
    if after is None or r.day_atom.search(text, e, after.end()):
        return False
    return not r.day_atom.search(text, after.end(), after.end() + 15)  # "closed on Sundays"


def _noun(word: str, r: _Rules) -> str:
    w = _norm(word).strip("'")
    if w in r.noun_aliases:
        return r.noun_aliases[w]
    if r.fold_accents:
        w = "".join(ch for ch in unicodedata.normalize("NFD", w) if not unicodedata.combining(ch))
    for suffix, repl in r.noun_suffixes:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: len(w) - len(suffix)] + repl
    return w


# A capitalised word (not the first of the text) right before a number names a thing;
# searched in the 40 characters before the number (the look-behind still sees past them).
_LABEL = re.compile(r"(?<=\S\s)[A-Z][\w-]*\s+$")


def _counts(text: str, original: str, r: _Rules, taken: _Spans, out: list[Fact]) -> None:
    """A number or ordinal and the noun after it ("84 branches", "first bag"); numbers that
    are already money, times or durations, decimals, years and dates are not counts."""
    for m in r.count.finditer(text):
        grp = "num" if m.group("num") else ("ord" if m.group("ord") else "dord")
        ns, ne = m.span(grp)
        if not taken.free(ns, ne) or _norm(m.group("noun")) in r.count_stop:
            continue
        if grp == "num":
            raw = m.group("num")
            if raw[:1].isdigit() and not raw.isdigit():
                continue  # "4.1 Branch hours": a section number or a decimal
            amount = _number(raw, r)
        elif grp == "ord":
            amount = r.ordinals.get(_norm(m.group("ord")))
        else:
            amount = float(m.group("dord"))
        if amount is None or amount != int(amount) or amount == 0 or 1900 <= amount <= 2100:
            continue
        noun = original[m.start("noun") : m.end("noun")]
        if grp != "ord" and (
            m.group(grp)[:1] == "0"
            or (noun[:1].isupper() and not noun.isupper() and not r.nouns_capitalised)
        ):
            continue  # "0345 numbers", "214 Lakeshore Rd": phone prefixes and addresses
        label = grp == "num" and _LABEL.search(original, max(0, ns - 40), ns)
        if label and not r.nouns_capitalised:
            continue  # "Zone 3 countries", "Fibre 900 customers": a name, not a count
        taken.take(ns, ne)
        value = {"amount": int(amount), "noun": _noun(m.group("noun"), r), "ordinal": grp != "num"}
        out.append(_fact("count", text, m.start(), m.end(), value))


# "10x sem juros", "3x points": a multiple glued to its number, in any language; "10 x 20"
# is a size, not a multiple.
_MULTIPLE = re.compile(r"(?<![\w.,])(\d{1,2})\s?[x×](?![\w\d]|\s?\d)")


def _multiples(text: str, r: _Rules, taken: _Spans, out: list[Fact]) -> None:
    for m in [*_MULTIPLE.finditer(text), *r.multiple.finditer(text)]:
        if taken.free(m.start(), m.end()) and int(m.group(1)) > 0:
            taken.take(m.start(), m.end())
            value = {"amount": int(m.group(1)), "noun": "x", "ordinal": False}
            out.append(_fact("count", text, m.start(), m.end(), value))


def _channels(text: str, r: _Rules, out: list[Fact]) -> None:
    """One fact per channel named; a channel right after a negation ("no branch visit
    needed", "sin llamadas") is what the statement does without, so it is left out."""
    seen: set[str] = set()
    negated_end = -2
    for m in r.channel.finditer(text):
        name = m.lastgroup
        # "no phone calls": "calls" is negated with the "phone" just before it.
        if r.channel_negation.search(text, max(0, m.start() - 25), m.start()) or (
            m.start() <= negated_end + 1
        ):
            negated_end = m.end()
            continue
        if name and name not in seen:
            seen.add(name)
            out.append(_fact("channel", text, m.start(), m.end(), {"channel": name}))


def _polarities(text: str, r: _Rules, free_spans: list[tuple[int, int]], out: list[Fact]) -> None:
    """Grants, refuses, charges...: the first phrase of each polarity. A negative phrase
    inside a "free" money phrase ("there is no charge") is not a refusal or a charge.

    A free price is a money fact, not also a "free" polarity: promise scoring counts each
    fact kind as a cue, and both at once would outweigh a testimonial's quote marks. The
    "free" polarity is for freedom from conditions ("no obligation", "sin compromiso")."""
    seen: set[str] = set()
    money = sorted((f.start, f.value["free"] or not f.value["amount"]) for f in out
                   if f.kind == "money")  # fmt: skip
    for m in r.polarity.finditer(text):
        name = m.lastgroup
        if not name or name in seen:
            continue
        if any(m.start() < fe and fs < m.end() for fs, fe in free_spans):
            continue
        if name == "charges" and _nothing_charged(m.end(), money):
            continue
        seen.add(name)
        value: dict[str, Any] = {"polarity": name}
        if name == "refuses" and r.restrictive.search(m.group()):
            value["restricts"] = True
        out.append(_fact("polarity", text, m.start(), m.end(), value))


# How far after a charge word its amount may sit: "tarifés 0 €", "the fee is waived".
CHARGE_REACH = 20


def _nothing_charged(end: int, money: list[tuple[int, bool]]) -> bool:
    """Whether the first amount just after a charge word is nothing: "are charged at 0 €"
    and "the management fee is waived" charge nothing."""
    first = next(((start, free) for start, free in money if start >= end), None)
    return first is not None and first[1] and first[0] - end <= CHARGE_REACH


def extract_facts(text: str, lang: str) -> list[Fact]:
    """Every fact `text` states, in text order; offsets are relative to `text`.

    Numeric kinds claim their characters in a fixed order (whole-week phrases, times,
    money, percentages, durations, days, counts) so each number yields one fact."""
    r = _rules((lang or "en").lower()[:2])
    original, text = text, _lower(text)
    out: list[Fact] = []
    taken = _Spans()
    # Cheap gates first: most statements hold no number, and skipping a pass is the
    # cheapest way to keep the whole extraction stage above 5,000 statements/s.
    digit = _DIGIT.search(text) is not None
    numbers = digit or r.numberish.search(text) is not None
    _early_days(text, r, taken, out)
    if digit or r.time_named:
        _times(text, r, taken, out)
    free_spans = _money(text, r, taken, out, numbers and bool(r.currency_any.search(text)))
    _percent_phrases(text, r, taken, out)
    if numbers and r.percent_any.search(text):
        _percents(text, r, taken, out)
    _durations(text, r, taken, out, numbers)
    _days(text, r, taken, out)
    if digit:
        _multiples(text, r, taken, out)
    if numbers:
        _counts(text, original, r, taken, out)
    _channels(text, r, out)
    _polarities(text, r, free_spans, out)
    for f in out:
        f.text = original[f.start : f.end]
    out.sort(key=lambda f: (f.start, f.end))
    return out


def _lower(text: str) -> str:
    """Lower case with the same length, so offsets into it are offsets into `text`
    (a few characters, like "İ", lower-case to two)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


# -- display -----------------------------------------------------------------------------


def _hours_text(hours: float) -> str:
    for size, name in ((8760, "y"), (24, "d"), (1, "h")):
        if hours >= size and (hours / size) == int(hours / size):
            return f"{int(hours / size)}{name}"
    return f"{round(hours * 60)}min"


def _describe(kind: str, v: Mapping[str, Any]) -> str:
    if kind == "duration":
        if v.get("same_day"):
            text = "same day"
        elif v.get("unlimited"):
            text = "no time limit"
        else:
            text = _hours_text(float(v.get("hours") or 0))
            text += " working" if v.get("business") else ""
        bound = v.get("bound")
        return f"{bound} {text}" if bound and bound != "exact" else text
    if kind == "money":
        if v.get("free"):
            return "free"
        amount = v.get("amount")
        return f"{v.get('currency') or ''} {amount:g}".strip() if amount is not None else "money"
    if kind == "percent":
        return f"{v.get('amount'):g}%"
    if kind == "count":
        return f"{'#' if v.get('ordinal') else ''}{v.get('amount')} {v.get('noun')}"
    if kind == "time":
        start, end = v.get("from"), v.get("to")
        if start and start == end:
            return f"at {start}"
        return f"{start or ''}–{end or ''}"
    if kind == "days":
        days = v.get("days") or []
        if v.get("always"):
            return "24/7"
        text = "every day" if len(days) == 7 else ",".join(d.capitalize() for d in days)
        return f"closed {text}" if v.get("closed") else text
    if kind == "channel":
        return f"via {v.get('channel')}"
    if kind == "polarity":
        return str(v.get("polarity"))
    return str(v)


def fact_summary(facts: Iterable[Mapping[str, Any] | Fact]) -> str:
    """One line for `hinge statements`: "duration: within 14d · money: free · ...". Takes
    facts as dicts (dataclasses.asdict form, as stored) or as Fact objects."""
    parts = []
    for f in facts:
        d = asdict(f) if is_dataclass(f) and not isinstance(f, type) else f
        assert isinstance(d, Mapping)
        value = d.get("value")
        desc = _describe(d.get("kind", ""), value) if isinstance(value, Mapping) else str(value)
        parts.append(f"{d.get('kind')}: {desc}")
    return " · ".join(parts)
