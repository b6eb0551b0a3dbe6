"""Cue-less direct quotes that go on from someone's reported speech: the speaker carries over."""

from __future__ import annotations

from typing import Callable

from ..model import Quote
from .marks import is_title

__all__ = ["voice_unvoiced"]


def voice_unvoiced(statements: list[Quote], paragraph_of: Callable[[int], int]) -> None:
    """A direct quote with no cue and no speaker after someone's reported speech, in its paragraph
    or the one before ("Carter said that … ¶ “That's because …”"), is that speaker's."""
    ordered = sorted(statements, key=lambda q: q.start)
    for k, quote in enumerate(ordered):
        if quote.kind != "direct" or quote.cue is not None or quote.speaker.start is not None or quote.continues \
                or is_title(quote.text):
            continue
        paragraph = paragraph_of(quote.start)
        before = [p for p in ordered[:k] if p.end <= quote.start and p.speaker.start is not None
                  and paragraph - 1 <= paragraph_of(p.start) <= paragraph]
        if before:
            quote.speaker = max(before, key=lambda p: (p.end, -p.start)).speaker  # the outer report
