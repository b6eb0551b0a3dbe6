"""Quotation marks: the stretches of a text inside double quotes, curly or straight, over paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Marked", "quote_marks", "quote_text", "trim", "is_title"]

_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"
_MAX_QUOTE_CHARS = 4000  # longer spans are unbalanced marks, not quotes


@dataclass
class Marked:
    """A quoted stretch of the body: content offsets (marks excluded) and where its marks sit."""

    start: int
    end: int
    open_at: int
    close_at: int  # offset just past the closing mark (== end for a quote closed by its paragraph)
    paragraphs: int = 1


def _opens_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/:") and not after.isspace()


def quote_marks(text: str) -> list[Marked]:
    """Stretches of `text` inside double quotation marks, curly or straight.

    A paragraph that ends inside a quote continues it when the next paragraph opens with a mark
    (the newspaper convention for quotes over several paragraphs); otherwise the quote ends with
    its paragraph. Single marks inside a double quote are nested quotes and stay part of it.
    """
    found: list[Marked] = []
    open_at: int | None = None
    paragraphs = 1
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "'" and text.startswith("''", i):  # typewriter double quote: ''like this''
            if open_at is None and _opens_straight(text, i) and i + 2 < n and not text[i + 2].isspace():
                open_at, paragraphs = i + 1, 1  # content starts after both apostrophes
                i += 2
                continue
            if open_at is not None:
                found.append(Marked(open_at + 1, i, open_at, i + 2, paragraphs))
                open_at = None
                i += 2
                continue
        if ch == "\n":
            if open_at is not None:
                j = i
                while j < n and text[j].isspace():
                    j += 1
                if j < n and (text[j] in _OPEN_DOUBLE or text[j] == '"' or text.startswith("''", j)):
                    paragraphs += 1
                    i = j + (2 if text.startswith("''", j) else 1)
                    continue
                found.append(Marked(open_at + 1, i, open_at, i, paragraphs))
                open_at = None
            i += 1
            continue
        if open_at is None:
            if ch in _OPEN_DOUBLE or (ch == '"' and _opens_straight(text, i)):
                open_at, paragraphs = i, 1
        elif ch in _CLOSE_DOUBLE or ch == '"':
            found.append(Marked(open_at + 1, i, open_at, i + 1, paragraphs))
            open_at = None
        elif ch in _OPEN_DOUBLE:  # an unclosed mark before this one: start again here
            open_at, paragraphs = i, 1
        i += 1
    if open_at is not None:
        found.append(Marked(open_at + 1, n, open_at, n, paragraphs))
    return [m for m in found if m.end - m.start >= 1 and (m.end - m.start <= _MAX_QUOTE_CHARS or m.paragraphs > 1)
            and text[m.start:m.end].strip(" ,.;:—–-")]


def quote_text(raw: str) -> str:
    """The words of a quote: re-opening marks of continued paragraphs dropped, trailing comma cut."""
    text = re.sub(r"\s*\n\s*(?:''|[“\"„«])?", " ", raw).strip()
    return re.sub(r"[\s,;:—–-]+$", "", text)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Character offsets without surrounding white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_TITLE_SMALL_WORDS = frozenset("a an the of for and or nor but to in on at by with from as vs".split())


def is_title(text: str) -> bool:
    """Every word capitalised ("Sin Miedo", "Latin History for Dummies", "MAKE AMERICA GREAT AGAIN"): a title or a
    slogan, not a sentence anyone said (PolNeAR train: none of 23 such cue-less quotes after reported speech matched)."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    return bool(words) and all(w[0].isupper() or w.lower() in _TITLE_SMALL_WORDS for w in words)
