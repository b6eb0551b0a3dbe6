"""The whole flow, top to bottom: read → clean → dedup → parse → extract → merge."""

from __future__ import annotations

import contextlib
import weakref
from typing import Any, Iterator

from spacy.language import Language

from .analyze import build_analysis
from .dedup import link_reports
from .errors import InputError
from .extract import extract_report
from .ingest import report_from_text
from .model import Analysis, Extraction, Problem, Profile, Report
from .nlp import doc_to_bytes, load_nlp, parse_reports, trim_pipe_caches
from .profile import load_profile, profile_from_dict
from .settings import Settings


def as_profile(profile: Profile | dict | str | None) -> Profile:
    if profile is None:
        return Profile()
    if isinstance(profile, Profile):
        return profile
    if isinstance(profile, dict):
        return profile_from_dict(profile)
    return load_profile(profile)


def extract_reports(reports: list[Report], profile: Profile, settings: Settings) -> list[Extraction]:
    """Parse each report once and run every extractor over it."""
    with memory_zone(settings):
        return [extract_report(report, doc, profile, settings) for report, doc in parse_reports(reports, settings)]


_WARM: "weakref.WeakSet[Language]" = weakref.WeakSet()


def memory_zone(settings: Settings) -> contextlib.AbstractContextManager:
    """A spaCy memory zone, except the first time a pipeline is used: that batch warms its tokenizer cache.

    Inside a zone the words and strings a batch adds to the shared vocabulary are dropped after it,
    so a long ingest does not keep every new name it reads; but spaCy fills no tokenizer cache there,
    which cost about 7% of ingest CPU when every batch ran in a zone (its documentation suggests
    warming the cache first).
    """
    nlp = load_nlp(settings.nlp)
    if nlp in _WARM:
        return nlp.memory_zone()
    _WARM.add(nlp)
    return contextlib.nullcontext()


def process_reports(reports: list[Report], profile: Profile,
                    settings: Settings) -> Iterator[tuple[Report, Extraction, bytes]]:
    """Parse each report once and extract from it, keeping the parse as DocBin bytes for the store's cache.

    In a spaCy memory zone (`memory_zone`): nothing that leaves here refers to a Doc.
    """
    with memory_zone(settings):
        for report, doc in parse_reports(reports, settings):
            yield report, extract_report(report, doc, profile, settings), doc_to_bytes(doc)
    trim_pipe_caches(load_nlp(settings.nlp))


def analyze_reports(reports: list[Report], profile: Profile, settings: Settings = Settings()) -> Analysis:
    link_reports(reports, settings.story_window_days)
    return build_analysis(reports, extract_reports(reports, profile, settings), profile)


def analyze(text: str, published: Any = None, profile: Profile | dict | str | None = None,
            settings: Settings = Settings()) -> Analysis:
    """Every record dealtrace finds in one text, without a database."""
    report = report_from_text(text, published=published)
    if isinstance(report, Problem):
        raise InputError(report.message)
    return analyze_reports([report], as_profile(profile), settings)
