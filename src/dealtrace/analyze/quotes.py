"""Corpus quotes: per-report quotes with corpus speakers, each statement once with every report carrying it.

A quote in a copy of a report (dedup's `copy_of`) merges into the original's quote. A long quote
(`MIN_SHARED_WORDS` words or more) carried word for word by other reports, such as wire copy
reworked by two outlets, is the same statement too and becomes one quote with several sources.
Short fragments ("a reversal") stay one per report: two reports may quote the same words from
different statements.
"""

from __future__ import annotations

from ..extract.common import fold
from ..model import Actor, Extraction, Quote, Report, Source, Speaker
from .common import merge_copies, source_of

__all__ = ["merge_quotes", "resolve_speaker_actor", "select_quotes", "speaker_key", "MIN_SHARED_WORDS"]

MIN_SHARED_WORDS = 8


STATEMENT_KINDS = ("direct", "indirect")


def statements(quotes: list[Quote]) -> list[Quote]:
    """What someone said: direct and indirect quotes, without the `attribution` records (stances, beliefs)."""
    return [quote for quote in quotes if quote.kind in STATEMENT_KINDS]


def resolve_speaker_actor(speaker: Speaker, local_to_id: dict[str, str], actors: dict[str, Actor]) -> None:
    """Point a speaker's report-local actor id at its corpus actor (name and side included)."""
    if speaker.actor is None:
        return
    corpus_id = local_to_id.get(speaker.actor, speaker.actor)
    actor = actors.get(corpus_id)
    if actor is None:  # the actor was not kept at corpus level: keep the words, drop the link
        speaker.actor = None
        return
    speaker.actor = actor.id
    speaker.name = actor.name
    speaker.side = speaker.side or actor.side


def speaker_key(speaker: Speaker) -> str:
    """Who said a quote, for telling one statement carried by several reports: the actor, else the words."""
    return speaker.actor or fold(speaker.descriptor or speaker.name or "")


def merge_quotes(extractions: list[Extraction], reports: dict[str, Report], local_to_id: dict[str, str],
                 actors: dict[str, Actor]) -> list[Quote]:
    """Every quote of the corpus once, speakers resolved to corpus actors, sources listed."""
    quotes = [quote for found in extractions for quote in found.quotes]
    for quote in quotes:
        resolve_speaker_actor(quote.speaker, local_to_id, actors)
    merged = merge_copies(quotes, reports, key=lambda q: (q.kind, fold(q.text)))
    kept: dict[tuple[str, str, str], Quote] = {}
    result: list[Quote] = []
    for quote in merged:
        if len(quote.text.split()) < MIN_SHARED_WORDS:
            result.append(quote)
            continue
        key = (quote.kind, fold(quote.text), speaker_key(quote.speaker))
        first = kept.get(key)
        if first is None:
            kept[key] = quote
            result.append(quote)
            continue
        for source in quote.sources or [_own_source(quote, reports)]:
            if source is not None and all(s.report != source.report for s in first.sources):
                first.sources.append(source)
    return result


def _own_source(quote: Quote, reports: dict[str, Report]) -> Source | None:
    report = reports.get(quote.report)
    return source_of(report, quote.start, quote.end) if report is not None else None


def select_quotes(quotes: list[Quote], speaker: str | None = None, anonymous: bool | None = None,
                  side: str | None = None) -> list[Quote]:
    """Quotes whose speaker name, descriptor or actor id contains `speaker` (any case), that are (or are
    not) from anonymous sources, and whose speaker is on `side`; a filter left as None keeps everything."""
    wanted = fold(speaker) if speaker else None
    chosen = []
    for quote in quotes:
        who = quote.speaker
        if wanted and not any(wanted in fold(value) for value in (who.name, who.descriptor, who.actor) if value):
            continue
        if anonymous is not None and who.anonymous != anonymous:
            continue
        if side and fold(who.side or "") != fold(side):
            continue
        chosen.append(quote)
    return chosen
