"""Content words as lemma stems: what the lexical signals compare across languages.

Computed once per statement at extraction and stored (`terms` for ranking, `words` with
their offsets for the judge's look around a disagreement), so a re-check reads them
instead of loading the lemma tables: those take 0.6 s to load for six languages.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import marshal
import os
import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

_WORD = re.compile(r"\w+", re.UNICODE)
STEM = 6  # characters kept of a lemma: a crude stemmer that works across languages

LEMMA_CACHE_FORMAT = 2  # bump when lemma_table's output changes, so old caches are not read


@cache
def lemma_table(lang: str) -> dict[str, str]:
    """spacy-lookups-data's lemma table as a plain lower-cased dict: four times faster to
    load than spaCy's own Table (0.7 s instead of 2.6 s for Portuguese). Empty when there
    is none. Lower-cased because text is looked up lower-cased; German nouns are stored
    capitalised ("Lieferungen" -> "Lieferung"), and a lower-case key wins a collision.

    Every `hinge check` reads the tables of the languages it sees, so the parsed table is
    kept in the user's cache as marshal data, which loads about three times faster than
    the gzipped JSON it comes from."""
    try:
        import spacy_lookups_data

        path = Path(getattr(spacy_lookups_data, lang)["lemma_lookup"])
        version = getattr(spacy_lookups_data, "__version__", "0")
    except (ImportError, AttributeError, KeyError, TypeError):
        return {}
    cached = _cache_dir() / f"lemmas-{lang}-{version}-{LEMMA_CACHE_FORMAT}.marshal"
    try:
        return marshal.loads(cached.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    gz = path.with_name(path.name + ".gz")
    raw = gzip.decompress(gz.read_bytes()) if gz.exists() else path.read_bytes()
    table: dict[str, str] = {}
    capitalised: dict[str, str] = {}
    for k, v in json.loads(raw).items():
        # French keeps each lemma in a one-element list: {"remboursons": ["rembourser"]}.
        v = v[0] if isinstance(v, list) else v
        if not v:
            continue
        low = k.lower()
        if k == low:
            table[k] = v.lower()
        elif k == low.capitalize():
            capitalised[low] = v.lower()
    table = capitalised | table
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(table))
        tmp.replace(cached)  # atomic: a concurrent reader sees the old file or the new one
    except OSError:
        pass  # a read-only home only costs the faster start
    return table


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "hinge"


@cache
def _stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop list for the language, accents folded: English for a language spaCy
    does not know, none for one it knows without a list. Read from spaCy's data module by
    path rather than through `spacy.util.get_lang_class`: importing spaCy costs two
    seconds that a check, which needs no tokenizer, would otherwise pay on every run."""
    spacy_dir = importlib.util.find_spec("spacy").submodule_search_locations[0]  # no import
    folder = Path(spacy_dir) / "lang" / lang
    if not lang.isalpha() or not folder.is_dir():
        folder = folder.parent / "en"
    path = folder / "stop_words.py"
    if not path.exists():
        return frozenset()
    spec = importlib.util.spec_from_file_location(f"_hinge_stop_words_{lang}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(_fold(w) for w in module.STOP_WORDS)


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _stems(text: str, lang: str) -> Iterator[tuple[str, int, int]]:
    """Each content word's stem with its character span in text."""
    stops, lemmas = _stop_words(lang), lemma_table(lang)
    for m in _WORD.finditer(text):
        word = m.group().lower()
        if not word.isdigit():
            word = _fold(lemmas.get(word, word))
            if len(word) <= 2 or word in stops:
                continue
            word = word[:STEM]
        yield word, m.start(), m.end()


@lru_cache(maxsize=1 << 12)  # a heading is read again for every step under it
def terms(text: str, lang: str = "en") -> frozenset[str]:
    """Content words as lemma stems, so "refunded" meets "refund" and "días" meets
    "dias": cheap, language-agnostic, and good enough to ask whether a promise's
    specific words (cashback, valuation, parking) appear in a procedure at all."""
    return frozenset(stem for stem, _, _ in _stems(text, lang))


def words(text: str, lang: str = "en") -> str:
    """`terms` with their character spans in text, packed for storage as
    "stem:start:end" separated by spaces (see `stems_near`)."""
    return " ".join(f"{stem}:{start}:{end}" for stem, start, end in _stems(text, lang))


def unpacked(packed: str) -> Iterator[tuple[str, int, int]]:
    for item in packed.split():
        stem, start, end = item.rsplit(":", 2)
        yield stem, int(start), int(end)


def stems_near(packed: str, start: int, end: int) -> frozenset[str]:
    """Stems of the packed `words` that overlap text[start:end]."""
    return frozenset(stem for stem, lo, hi in unpacked(packed) if lo < end and hi > start)


def lexical_terms(packed: str, heading: str | None, lang: str) -> str:
    """The stems the ranking compares, sorted and space-separated for storage: the
    statement's own words (`words`) and, when given, its heading's. A step under "Late
    check-out:" means little without its heading; prefixed to the embedded text instead,
    the heading blurred the ranking (recall@5 0.78 against 0.84 on the bundled corpora)
    and would double what is encoded."""
    own = {stem for stem, _, _ in unpacked(packed)}
    return " ".join(sorted(own | (terms(heading, lang) if heading else frozenset())))


def stored_terms(statement: dict[str, Any]) -> frozenset[str]:
    """The `lexical_terms` extraction stored with a statement row."""
    return frozenset((statement.get("terms") or "").split())
