"""The event merge with the events on disk: `analyze.timeline.merge_events`'s events, in its order.

`merge_events` holds every event of the corpus at once (about 32 MB at 10,000 bench reports, the
merge's peak). `EventSpool` keeps them in a temporary SQLite file, as `staged_actors` and
`staged_figures` do with theirs, and runs the same three steps (the functions of `analyze.timeline`)
over it:

1. copies (`merge_copies` with `copy_key`): each group of an original report's and its copies'
   events is read back in the order of its first event, its kept event with the group's sources;
2. a sentence's second telling (`is_twin`, `fold_twin`) is looked up among the kept events of the
   same report, type and sentence, in the file;
3. one happening told by several reports (`merge_same`): an undated event never matches another
   (`_same` is 0), so only dated ones are held, each as a small `Telling` (type, flags, parties,
   place, date, trigger, and the reports and (report, start) of its sources). What a kept event
   gains from the ones it absorbs is applied when the events are read back in order.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from typing import Any, Iterable, Iterator, Mapping

from .analyze.common import canonical_of, source_of
from .analyze.timeline import best_match, copy_key, fold_twin, is_twin, join_telling, new_sources, reports_of, same_kind
from .model import Event, Report, Source, from_dict, to_dict
from .scratch import scratch_db

__all__ = ["EventSpool", "Telling"]

_SCHEMA = """
CREATE TABLE held (seq INTEGER PRIMARY KEY, copy BLOB, later INTEGER, report TEXT, start INTEGER, end_ INTEGER,
                   data TEXT);
CREATE TABLE kept (pos INTEGER PRIMARY KEY, twin BLOB, dated INTEGER, data TEXT);
CREATE INDEX kept_twin ON kept (twin);
CREATE TABLE absorbed (pos INTEGER PRIMARY KEY);
CREATE TABLE gained (target INTEGER, source TEXT);
CREATE INDEX gained_target ON gained (target);
"""


class Telling:
    """What `merge_same` compares and changes of a dated kept event (`_same` reads these attributes)."""

    __slots__ = ("pos", "report", "type", "negated", "future", "hypothetical", "trigger", "actors", "recipients",
                 "place", "date", "date_text", "told", "known")

    def __init__(self, pos: int, event: Event, share: dict[str, str]) -> None:
        self.pos = pos
        self.report = share.setdefault(event.report, event.report)
        self.type, self.trigger = event.type, event.trigger
        self.negated, self.future, self.hypothetical = event.negated, event.future, event.hypothetical
        self.actors = [share.setdefault(name, name) for name in event.actors]
        self.recipients = [share.setdefault(name, name) for name in event.recipients]
        self.place, self.date, self.date_text = event.place, event.date, event.date_text
        self.told = {share.setdefault(report, report) for report in reports_of(event)}
        self.known = {(share.setdefault(s.report, s.report), s.start) for s in event.sources}


class EventSpool:
    """Events in a temporary SQLite file, merged as `merge_events` merges them (see the module's doc).

    Use: `hold` each event in reading order, its actors already named (`timeline.name_actors`),
    then `merge`, then `events` (the merged events, in order) while the spool is open.
    """

    def __init__(self, reports: Mapping[str, Report]) -> None:
        self.reports = reports
        self.db = scratch_db(_SCHEMA)
        self.seq = 0
        self.changed: dict[int, Telling] = {}  # kept events that absorbed others, by place

    def __enter__(self) -> "EventSpool":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.db.close()

    def hold(self, events: Iterable[Event]) -> None:
        """Spool events in reading order, each with the digest of its copy group."""
        rows = []
        for event in events:
            canonical = canonical_of(event.report, self.reports)
            rows.append((self.seq, _digest(canonical, *copy_key(event)), event.report != canonical, event.report,
                         event.start, event.end, json.dumps(to_dict(event))))
            self.seq += 1
        self.db.executemany("INSERT INTO held VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def merge(self) -> None:
        """Copies, a sentence's twice-told events, then one happening told by several reports."""
        pos = 0
        for event in self._copies():
            twin_key = _digest(event.report, event.type, event.sentence)
            if not self._fold_into_twin(twin_key, event):
                self.db.execute("INSERT INTO kept VALUES (?, ?, ?, ?)",
                                (pos, twin_key, bool(event.date), json.dumps(to_dict(event))))
                pos += 1
        self._merge_same()

    def events(self) -> Iterator[Event]:
        """The merged events in `merge_events`'s order."""
        rows = self.db.execute("SELECT pos, data FROM kept WHERE pos NOT IN (SELECT pos FROM absorbed) ORDER BY pos")
        for pos, data in rows:
            event = _event(data)
            telling = self.changed.get(pos)
            if telling is not None:
                event.actors, event.recipients = list(telling.actors), list(telling.recipients)
                event.place, event.date, event.date_text = telling.place, telling.date, telling.date_text
                gained = self.db.execute("SELECT source FROM gained WHERE target = ? ORDER BY rowid", (pos,))
                event.sources += [from_dict(Source, json.loads(source)) for (source,) in gained]
            yield event

    # -- the steps ---------------------------------------------------------------------------------
    def _copies(self) -> Iterator[Event]:
        """`merge_copies`: per group, in the order of its first event, the event from the original report
        (else the first) with one source per report, the original's first."""
        rows = self.db.execute("SELECT copy, seq, report, start, end_ FROM (SELECT *, min(seq) OVER "
                               "(PARTITION BY copy) AS first FROM held) ORDER BY first, later, seq")
        for _, group in itertools.groupby(rows, key=lambda row: row[0]):
            sources: list[Source] = []
            kept_seq = None
            for _, seq, report_id, start, end in group:
                kept_seq = seq if kept_seq is None else kept_seq
                report = self.reports.get(report_id)
                if report is not None and all(s.report != report.id for s in sources):
                    sources.append(source_of(report, start, end))
            (data,) = self.db.execute("SELECT data FROM held WHERE seq = ?", (kept_seq,)).fetchone()
            event = _event(data)
            event.sources = sources
            yield event

    def _fold_into_twin(self, twin_key: bytes, event: Event) -> bool:
        """`_fold_sentences`: fold the event into the first kept one it tells again, if any."""
        candidates = self.db.execute("SELECT pos, data FROM kept WHERE twin = ? ORDER BY pos", (twin_key,)).fetchall()
        for pos, data in candidates:
            twin = _event(data)
            if is_twin(twin, event):
                fold_twin(twin, event)
                self.db.execute("UPDATE kept SET dated = ?, data = ? WHERE pos = ?",
                                (bool(twin.date), json.dumps(to_dict(twin)), pos))
                return True
        return False

    def _merge_same(self) -> None:
        """`merge_same` over the kept events in order, holding a `Telling` of each dated one kept."""
        kinds: dict[tuple, list[Telling]] = {}
        share: dict[str, str] = {}
        for pos, data in self.db.execute("SELECT pos, data FROM kept WHERE dated ORDER BY pos"):
            event = _event(data)  # an undated one is never the same as another (`_same` is 0): kept as it is
            kind = kinds.setdefault(same_kind(event), [])
            best = best_match(event, reports_of(event), ((telling, telling.told) for telling in kind))
            if best is None:
                kind.append(Telling(pos, event, share))
                continue
            target = kind[best]
            join_telling(target, event)  # type: ignore[arg-type]
            extra = new_sources(target.known, event.sources)
            target.known.update((share.setdefault(s.report, s.report), s.start) for s in extra)
            target.told.update(share.setdefault(s.report, s.report) for s in extra)
            self.changed[target.pos] = target
            self.db.executemany("INSERT INTO gained VALUES (?, ?)", [(target.pos, json.dumps(to_dict(s))) for s in extra])
            self.db.execute("INSERT INTO absorbed VALUES (?)", (pos,))


def _event(data: str) -> Event:
    return from_dict(Event, json.loads(data))


def _digest(*parts: Any) -> bytes:
    return hashlib.blake2b(json.dumps(parts).encode("utf-8"), digest_size=16).digest()
