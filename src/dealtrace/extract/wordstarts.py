"""Run a word-anchored pattern only where its first word is written, with `finditer`'s results.

A pattern that opens with ``\\b`` and one of a few words ("last", "next", a number ...) is tried
by `re` at every character of a text, and a case-insensitive one gets none of `re`'s fast skips.
A text's words are listed once (`WordStarts`); `finditer_at` then tries the pattern only at the
starts of words it can begin with. Since such a pattern can match nowhere else, the matches are
`pattern.finditer(text)`'s: the leftmost match from each point on, never overlapping, and
`pattern.match(text, pos)` sees the characters before `pos` for ``\\b`` and look-behinds.
"""

from __future__ import annotations

import bisect
import re
from typing import Iterable, Iterator

__all__ = ["WordStarts", "finditer_at"]

_WORD = re.compile(r"\w+")


class WordStarts:
    """Where each word of a text starts, by its lower-case form, for the words asked about.

    `wanted` are lower-case words; words that do not start with a letter (numbers) are always kept.
    """

    def __init__(self, text: str, wanted: frozenset[str]) -> None:
        self.by_word: dict[str, list[int]] = {}
        self.numbers: list[int] = []
        for match in _WORD.finditer(text):
            word = match.group()
            if not word[0].isalpha():
                self.numbers.append(match.start())
                continue
            key = word.lower()
            if key in wanted:
                self.by_word.setdefault(key, []).append(match.start())

    def starts(self, words: Iterable[str], numbers: bool) -> list[int]:
        """Sorted starts of the given words (and of every number, when `numbers`)."""
        found = [start for word in words for start in self.by_word.get(word, ())]
        if numbers:
            found.extend(self.numbers)
        found.sort()
        return found


def finditer_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern that can only match at `starts` and never matches empty text."""
    end = 0
    i = 0
    while i < len(starts):
        match = pattern.match(text, starts[i])
        if match is None:
            i += 1
            continue
        yield match
        end = match.end()
        i = bisect.bisect_left(starts, end, i + 1)
