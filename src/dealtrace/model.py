"""Every record dealtrace reads, derives and stores, in one place.

Records are plain dataclasses. Stages import them from here and never from each other.
Offsets are character offsets into ``Report.body`` (``start``/``end``, end exclusive) and,
for plain-text input, into ``Report.raw_text`` (``raw_start``/``raw_end``; ``None`` when the
input was HTML, JSON or anything else whose raw form is not the text itself).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import re
import types
import typing
import unicodedata
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Report", "Source", "Mention", "Actor", "Side", "Speaker", "Cue", "Quote", "Timex",
    "Event", "Figure", "Measure", "SeriesPoint", "Discrepancy", "Issue", "Position", "Proposal", "Response",
    "Profile", "Problem", "Analysis", "Extraction", "CopyGroup", "Story", "record_id", "normalise_body",
    "to_dict", "from_dict",
]


def normalise_body(text: str) -> str:
    """The form of a body that identity is computed on: NFKC, case-folded, single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\u2018\u2019\u201a\u201b]", "'", text)
    text = re.sub(r"[\u201c\u201d\u201e\u201f]", '"', text)
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def record_id(*parts: Any) -> str:
    """A stable id from the parts that make a record what it is, so re-runs never duplicate."""
    digest = hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return digest.hexdigest()[:16]


def to_dict(record: Any) -> dict[str, Any]:
    """A JSON-ready dict of a record (nested records included), as `dataclasses.asdict` makes it.

    Field names are looked up once per class: `asdict` re-reads them and deep-copies every value,
    which made it the largest cost of storing extractions and merged records.
    """
    return _plain(record)


_ATOMS = frozenset({str, int, float, bool, type(None)})


@functools.lru_cache(maxsize=None)
def _field_names(tp: type) -> tuple[str, ...] | None:
    return tuple(f.name for f in dataclasses.fields(tp)) if dataclasses.is_dataclass(tp) else None


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is list:
        return [_plain(v) for v in value]
    names = _field_names(kind)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if kind is tuple:
        return tuple(_plain(v) for v in value)
    if kind is dict:
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, dict)):
        return _plain_container(value)
    return copy.deepcopy(value)


def _plain_container(value: Any) -> Any:
    # Subclasses of list, tuple and dict, as asdict treats them (named tuples keep their fields).
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*[_plain(v) for v in value])
    if isinstance(value, dict):
        return type(value)((_plain(k), _plain(v)) for k, v in value.items())
    return type(value)(_plain(v) for v in value)


def from_dict(cls: type, data: Any) -> Any:
    """Rebuild a record (and the records nested in it) from `to_dict` output."""
    return _converter(cls)(data)


@functools.lru_cache(maxsize=None)
def _fields_of(tp: type) -> tuple[dict[str, Any], frozenset[str]]:
    # get_type_hints evaluates every string annotation: once per class, not once per record
    # (it was most of the time spent reading extractions back from the store).
    return typing.get_type_hints(tp), frozenset(f.name for f in dataclasses.fields(tp))


def _keep(value: Any) -> Any:
    return value


@functools.lru_cache(maxsize=None)
def _converter(tp: Any) -> Any:
    """A function rebuilding values of type `tp`, worked out once per type rather than once per value."""
    if dataclasses.is_dataclass(tp):
        return _record_converter(tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in args if a is not type(None)]
        return _converter(inner[0]) if len(inner) == 1 else _keep
    if origin is list:
        if not args:
            return lambda value: None if value is None else list(value)
        item = _converter(args[0])
        return lambda value: None if value is None else [item(v) for v in value]
    if origin is tuple:
        return lambda value: None if value is None else tuple(value)
    if origin is dict:
        return lambda value: None if value is None else dict(value)
    return _keep


def _record_converter(tp: type) -> Any:
    hints, names = _fields_of(tp)
    fields: dict[str, Any] = {}  # filled on first use: a record type may nest itself

    def convert(value: Any) -> Any:
        if value is None:
            return None
        if not fields:
            fields.update({name: _converter(hints[name]) for name in names})
        return tp(**{k: fields[k](v) for k, v in value.items() if k in fields})

    return convert


@dataclass
class Source:
    """One report that carries a record: the same quote in three copies has three sources."""

    report: str
    file: str | None = None
    outlet: str | None = None
    published: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class Report:
    """One news report, cleaned, with its metadata."""

    id: str
    file: str | None
    source: str | None
    raw_text: str
    body: str
    title: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    dateline: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or None when unknown
    language: str | None = None
    format: str = "txt"
    copy_of: str | None = None
    overlaps: list[str] = field(default_factory=list)
    story: str | None = None
    notes: list[str] = field(default_factory=list)  # syndication/copyright lines, warnings
    # (body_start, raw_start, length) runs mapping body offsets back to raw_text; empty
    # when the raw input is not plain text.
    offset_map: list[tuple[int, int, int]] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def raw_offset(self, pos: int) -> int | None:
        """The raw-text offset of a body offset, or None when there is no plain-text raw form."""
        if not self.offset_map:
            return None
        best = None
        for body_start, raw_start, length in self.offset_map:
            if body_start <= pos <= body_start + length:
                return raw_start + (pos - body_start)
            if body_start <= pos:
                best = raw_start + length
        return best

    def raw_span(self, start: int, end: int) -> tuple[int | None, int | None]:
        if not self.offset_map:
            return None, None
        raw_start = self.raw_offset(start)
        raw_end = self.raw_offset(end)
        return raw_start, raw_end


@dataclass
class Problem:
    """An input that could not be ingested, and why: one line for the user, nothing else lost."""

    input: str
    message: str
    code: str = "E000"
    kind: str = "failed"  # "skipped" (not a report), "failed" (could not be read), "warning" (part of it kept)


@dataclass
class Mention:
    report: str
    file: str | None
    text: str
    start: int
    end: int
    raw_start: int | None = None
    raw_end: int | None = None
    label: str | None = None  # PERSON, ORG, GPE, NORP, TITLE, COLLECTIVE
    sentence: str | None = None


@dataclass
class Actor:
    """A person, organisation, state or group, with every mention of it."""

    id: str
    name: str
    kind: str  # person | organization | country | group | collective
    side: str | None = None
    role: str | None = None
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    # How the side was found: profile | role | alias | patron | home | context (strongest first).
    side_source: str | None = None
    # False for people only mentioned in passing (named victims, relatives who neither act nor
    # speak and hold no office); the corpus merge leaves them out of the actors table.
    involved: bool = True
    # True for "the <demonym> prime minister" references not yet tied to a named person;
    # the corpus merge folds them into the person holding that role on that side.
    descriptor: bool = False


@dataclass
class Side:
    name: str
    role: str = "party"  # party | mediator | other
    aliases: list[str] = field(default_factory=list)
    capability: float | None = None


@dataclass
class Speaker:
    actor: str | None = None  # Actor.id when resolved
    name: str | None = None
    side: str | None = None
    anonymous: bool = False
    descriptor: str | None = None
    count: int | None = None
    seniority: str | None = None
    affiliation: str | None = None
    start: int | None = None
    end: int | None = None
    raw_start: int | None = None
    raw_end: int | None = None
    via: str | None = None  # how it was resolved: mention | pronoun | group noun | alias | descriptor


@dataclass
class Cue:
    text: str
    start: int
    end: int
    raw_start: int | None = None
    raw_end: int | None = None


@dataclass
class Quote:
    id: str
    report: str
    file: str | None
    kind: str  # direct | indirect
    text: str
    start: int
    end: int
    raw_start: int | None = None
    raw_end: int | None = None
    cue: Cue | None = None
    speaker: Speaker = field(default_factory=Speaker)
    channel: str | None = None  # "in a statement", "Al Jazeera"
    sentence: str | None = None
    sources: list[Source] = field(default_factory=list)
    continues: str | None = None  # id of the quote this one goes on from (“…,” X said. “…”)


@dataclass
class Timex:
    """A temporal expression resolved against the report's publication date (TimeML value)."""

    id: str
    report: str
    file: str | None
    text: str
    start: int
    end: int
    raw_start: int | None = None
    raw_end: int | None = None
    value: str | None = None  # 2024-08-19, 2024-W34, 2024-07, or None when unresolved
    granularity: str | None = None  # day | week | month | year
    type: str = "DATE"


@dataclass
class Event:
    id: str
    report: str
    file: str | None
    type: str  # PLOVER: CONSULT, AGREE, SUPPORT, CONCEDE, REQUEST, REJECT, ACCUSE, THREATEN, RETREAT, PROPOSE
    trigger: str | None = None
    mode: str | None = None
    actors: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    place: str | None = None
    date: str | None = None
    date_text: str | None = None
    negated: bool = False
    future: bool = False
    hypothetical: bool = False
    sentence: str | None = None
    start: int = 0
    end: int = 0
    raw_start: int | None = None
    raw_end: int | None = None
    sources: list[Source] = field(default_factory=list)


@dataclass
class Figure:
    id: str
    report: str
    file: str | None
    value: float
    text: str = ""
    low: float | None = None
    high: float | None = None
    bound: str = "exact"  # exact | about | more than | at least | less than | at most | up to | nearly | range
    unit: str | None = None  # people, USD, percent, day, week, month, year ...
    counted: str | None = None  # head noun: hostages, prisoners, people
    qualifiers: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)  # the qualifiers that define the measure: held, freed ...
    agent: str | None = None  # who holds/frees/pledges what is counted
    location: str | None = None
    measure: str | None = None
    attribution: str | None = None
    date: str | None = None  # TimeML value (2024-08-20, 2024-W34, 2024-07) from a timex, else publication date
    date_text: str | None = None  # the timex that dated it; None when the publication date did
    sentence: str | None = None
    start: int = 0
    end: int = 0
    raw_start: int | None = None
    raw_end: int | None = None
    sources: list[Source] = field(default_factory=list)


@dataclass
class Measure:
    """Figures of one quantity across reports: a dated series."""

    id: str
    name: str
    figures: list[str] = field(default_factory=list)  # Figure ids, by date
    unit: str | None = None
    counted: str | None = None
    states: list[str] = field(default_factory=list)
    agent: str | None = None
    location: str | None = None
    series: list[SeriesPoint] = field(default_factory=list)  # one point per report and value, by date
    trend: str | None = None  # up | down | steady | mixed; None with fewer than two dated points


@dataclass
class Discrepancy:
    """Two figures of one measure, for overlapping times, whose values cannot both hold."""

    measure: str
    figures: list[str]
    reason: str
    id: str = ""
    window: str | None = None  # the overlap of the two figures' times (ISO dates, "start/end")
    reports: list[str] = field(default_factory=list)


@dataclass
class Issue:
    id: str
    proposition: str
    keywords: list[str] = field(default_factory=list)
    discovered: bool = False
    scale: dict[str, str] = field(default_factory=dict)  # {"0": "full withdrawal", "100": ...}


@dataclass
class Position:
    id: str
    side: str
    issue: str
    stance: str  # support | oppose | conditional
    report: str
    file: str | None
    sentence: str
    start: int = 0
    end: int = 0
    raw_start: int | None = None
    raw_end: int | None = None
    date: str | None = None
    own: bool = True  # the side's own statement, or a third party's claim about it
    holder: str | None = None  # who voiced it (actor name or descriptor)
    shift: str | None = None  # toughened | softened | backed away | upended
    sources: list[Source] = field(default_factory=list)


@dataclass
class Response:
    side: str
    response: str  # accept | assent | reject | dismiss | counter
    report: str
    file: str | None = None
    date: str | None = None
    sentence: str | None = None


@dataclass
class Proposal:
    id: str
    name: str
    author: str | None = None
    co_authors: list[str] = field(default_factory=list)
    date: str | None = None
    terms: list[Position] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Profile:
    """What one negotiation needs: its sides, their aliases, its issues."""

    name: str = "negotiation"
    sides: list[Side] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def side(self, name: str | None) -> Side | None:
        if not name:
            return None
        key = name.casefold()
        for side in self.sides:
            if side.name.casefold() == key or key in (a.casefold() for a in side.aliases):
                return side
        return None


@dataclass
class Analysis:
    """Every record found in a set of reports: what `dealtrace.analyze` returns."""

    reports: list[Report] = field(default_factory=list)
    sides: list[Side] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)


@dataclass
class Extraction:
    """What the extractors found in one report, before records are merged across reports.

    Actor ids here are local to the report; `analyze.build_analysis` maps them to corpus actors.
    """

    report: str
    actors: list[Actor] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # candidate issues discovered in the text
    skipped: str | None = None  # why the extractors did not run (e.g. not English)


@dataclass
class SeriesPoint:
    """One dated value of a measure, as one report gave it."""

    figure: str  # Figure.id
    value: float
    bound: str = "exact"
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    date: str | None = None
    report: str | None = None
    file: str | None = None
    outlet: str | None = None
    attribution: str | None = None


@dataclass
class CopyGroup:
    """A report and its copies (syndicated, truncated, re-posted): counted once, all outlets kept."""

    canonical: str  # Report.id of the most complete clean body
    copies: list[str] = field(default_factory=list)  # Report.ids that point to it (copy_of)
    overlaps: list[str] = field(default_factory=list)  # reports sharing passages with any member


@dataclass
class Story:
    """Reports about one thread of events, linked by copies, overlaps or topic within a time window."""

    id: str
    reports: list[str] = field(default_factory=list)  # Report.ids, earliest first
    first: str | None = None  # earliest publication date among them
    last: str | None = None
    terms: list[str] = field(default_factory=list)  # what the story is about, most salient first
