"""Small helpers every extractor shares: offsets, sentences, side lookup."""

from __future__ import annotations

import functools
import re
import weakref

from spacy.tokens import Doc, Span

from ..model import Profile, Report, Side

# Entries kept by each per-phrase cache. Reports name the same few entities again and again, so
# a few thousand cover them; a bound this small is reached within the first few thousand reports, so
# a long ingest holds as much at 100k reports as at 10k (at 16,384 these caches were still
# filling at 30k reports: about 5 MB each when full).
PHRASE_CACHE = 4096

HONORIFICS = re.compile(r"^(mr|mrs|ms|miss|dr|prof|sir|dame|sheikh|gen|col|lt|maj|capt|adm|sen|rep|gov)\.?\s+", re.I)


def raw_span(report: Report, start: int, end: int) -> tuple[int | None, int | None]:
    return report.raw_span(start, end)


def sentence_at(doc: Doc, char: int) -> Span | None:
    """The sentence holding character `char` of the body."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.sent if span is not None and len(span) else None


_TEXTS: "weakref.WeakKeyDictionary[Doc, str]" = weakref.WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """The Doc's text, built once per Doc: `Doc.text` joins every token again on each access."""
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text


def span_text(span: Span) -> str:
    """`span.text`, cut from the Doc's text: `Span.text` joins its tokens again on each access."""
    return doc_text(span.doc)[span.start_char:span.end_char]


# Token offsets, not Spans: a Span refers to its Doc, and a weak key its own value refers to is never freed.
_CHUNKS: "weakref.WeakKeyDictionary[Doc, list[tuple[int, int, int]]]" = weakref.WeakKeyDictionary()


def noun_chunks(doc: Doc) -> list[Span]:
    """The Doc's noun chunks, found once per Doc: `Doc.noun_chunks` walks the parse again on each use."""
    return [Span(doc, start, end, label=label) for start, end, label in noun_chunk_bounds(doc)]


def noun_chunk_bounds(doc: Doc) -> list[tuple[int, int, int]]:
    """(start, end, label) of the Doc's noun chunks, for a caller that needs only some of them as Spans."""
    bounds = _CHUNKS.get(doc)
    if bounds is None:
        iterator = doc.noun_chunks_iterator
        if iterator is None:  # the language has none: Doc.noun_chunks raises the error that says so
            bounds = [(chunk.start, chunk.end, chunk.label) for chunk in doc.noun_chunks]
        else:  # what Doc.noun_chunks makes its Spans from
            bounds = [(start, end, label) for start, end, label in iterator(doc)]
        _CHUNKS[doc] = bounds
    return bounds


# The only non-ASCII characters re.IGNORECASE matches to ASCII letters: İ and ı (i), ſ (s), the Kelvin sign (k).
_ASCII_LOOKALIKES = re.compile("[\u0130\u0131\u017f\u212a]")


def lowered_for_gates(text: str) -> str | None:
    """`text.lower()`, in which every ASCII word a case-insensitive pattern finds in `text` appears.

    So `word in lowered` is a cheap test to skip a pattern that needs the word. None when the text
    holds one of the few characters for which that does not hold.
    """
    return None if _ASCII_LOOKALIKES.search(text) else text.lower()


def strip_honorific(name: str) -> str:
    return HONORIFICS.sub("", name.strip())


_DASHES = re.compile(r"[\u2010-\u2015]")
_SPACES = re.compile(r"\s+")
_PLAIN_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


@functools.lru_cache(maxsize=PHRASE_CACHE)
def fold(text: str) -> str:
    """Comparison form: case-folded, curly quotes and dashes made plain, single spaces.

    Kept for the last few thousand texts: the same names are folded over and over.
    """
    text = _DASHES.sub("-", text.translate(_PLAIN_QUOTES))
    return _SPACES.sub(" ", text).strip().casefold()


class _SideTable:
    """A profile's folded aliases with their sides, and the patterns that find them inside a phrase."""

    def __init__(self, profile: Profile) -> None:
        self.index = _build_side_index(profile)
        self.parts = [(alias, side, re.compile(rf"(?<![\w.]){re.escape(alias)}(?![\w])"))
                      for alias, side in self.index.items() if len(alias) >= 2]
        # One alternation tells whether any alias is in a phrase at all (most phrases name none).
        self.any = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(a) for a, _, _ in self.parts) + r")(?![\w])") \
            if self.parts else None
        self.looked_up: dict[str, Side | None] = {}  # phrase -> its side: reports name the same phrases often


_SIDE_TABLES: dict[int, tuple[tuple, _SideTable]] = {}


def _side_table(profile: Profile) -> _SideTable:
    """Built once per profile (extractors ask for every mention); rebuilt when the profile's sides change."""
    signature = tuple((side.name, tuple(side.aliases)) for side in profile.sides)
    cached = _SIDE_TABLES.get(id(profile))
    if cached is not None and cached[0] == signature:
        return cached[1]
    table = _SideTable(profile)
    if len(_SIDE_TABLES) > 64:
        _SIDE_TABLES.clear()
    _SIDE_TABLES[id(profile)] = (signature, table)
    return table


def side_index(profile: Profile) -> dict[str, Side]:
    """Lookup from every folded name/alias (and simple variants) to its side."""
    return _side_table(profile).index


def _build_side_index(profile: Profile) -> dict[str, Side]:
    index: dict[str, Side] = {}
    for side in profile.sides:
        for name in [side.name, *side.aliases]:
            key = fold(name)
            index.setdefault(key, side)
            if key.startswith("the "):
                index.setdefault(key[4:], side)
            index.setdefault(key.replace(".", ""), side)
    return index


_ARTICLE = re.compile(r"^(the|a|an)\s+")
_POSSESSIVE_END = re.compile(r"['’]s?$")


def lookup_side(profile: Profile, text: str) -> Side | None:
    """The side a phrase names: exact alias, or an alias that is a whole-word part of it."""
    table = _side_table(profile)
    if text in table.looked_up:
        return table.looked_up[text]
    if len(table.looked_up) > PHRASE_CACHE:
        table.looked_up.clear()
    side = table.looked_up[text] = _lookup_side(table, text)
    return side


def _lookup_side(table: _SideTable, text: str) -> Side | None:
    index = table.index
    key = _POSSESSIVE_END.sub("", _ARTICLE.sub("", fold(text)))
    if key in index:
        return index[key]
    if key.replace(".", "") in index:
        return index[key.replace(".", "")]
    if table.any is None or not table.any.search(key):
        return None
    best = None
    for alias, side, pattern in table.parts:
        if pattern.search(key) and (best is None or len(alias) > len(best[0])):
            best = (alias, side)
    return best[1] if best else None
