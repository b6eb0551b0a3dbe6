"""The corpus actor merge of `analyze.actors.merge_actors`, grouped on disk.

Grouping report-local actors is corpus-wide (a surname in one report joins a full name in another),
so `merge_actors` holds every local actor. `ActorSpool` makes the same corpus actors, rows and
local-to-corpus map while holding only what is per name: the local actors wait in a temporary
SQLite file with their group key and their place in `merge_actors`'s order, and each step that
needs a group's members reads that group back, one group at a time (the largest group is the most
held). Per name are kept: the full names and nicknames a bare surname may join, each group's kind
and side, and the roles of the person groups a title reference may point to.

The order `merge_actors` sees actors in is kept as one number per local actor (`_order`): full names
first (longest first), then the other people, the other kinds, the title references, each in
reading order. A group's place is its first member's, so reading by (group's first, member's own)
gives `merge_actors`'s groups and members in order.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from itertools import groupby
from typing import Any, Callable, Iterable, Iterator, Mapping

from .analyze.actors import (_LOCATIVE, Bodies, _agree_sides, _combine, _Group, _one_word, _surname, attach_key,
                             choose_holder, own_group_key, person_target, strongest_side)
from .extract.actors import person_name_key
from .extract.common import fold
from .model import Actor, Extraction, Report, from_dict, record_id, to_dict
from .scratch import scratch_db

__all__ = ["ActorSpool", "SpooledMap"]

FULL, OTHER_PERSON, OTHER_KIND, DESCRIPTOR = range(4)  # merge_actors's passes, in order
_SEQ_BITS = 34  # reading positions below 2**34 local actors
_SCHEMA = """
CREATE TABLE locals (seq INTEGER PRIMARY KEY, id TEXT, pass INT, key TEXT, words INT, mentions INT,
                     grp TEXT, ord INT, data TEXT);
CREATE TABLE named (id TEXT PRIMARY KEY, speaks INT, quotes INT, events INT) WITHOUT ROWID;
CREATE TABLE assign (seq INTEGER PRIMARY KEY, grp TEXT, ord INT);
CREATE TABLE cands (grp TEXT, report TEXT, start INT);
CREATE TABLE locative (report TEXT, start INT, PRIMARY KEY (report, start)) WITHOUT ROWID;
CREATE TABLE merged (grp TEXT PRIMARY KEY, first INT, mentions INT, placey INT, data TEXT);
"""

# A group's mentions as JSON texts, in `_combine`'s order: by report and start, then members in order.
_GROUP_MENTIONS = """SELECT m.value FROM locals l, json_each(l.data, '$.mentions') m WHERE l.grp = ?
                     ORDER BY json_extract(m.value, '$.report'), json_extract(m.value, '$.start'), l.ord, m.key"""


def _order(step: int, seq: int, words: int = 0) -> int:
    """A local actor's place in merge_actors's order: its pass, then (full names) more words first, then reading."""
    return ((step * 64 + (63 - min(words, 63) if step == FULL else 0)) << _SEQ_BITS) + seq


@dataclass
class _Holder:
    """What a title reference needs of a person group with roles."""

    side: str | None
    roles: list[str]
    mentions: int


class ActorSpool:
    """Report-local actors in a temporary SQLite file, merged into corpus actors group by group.

    Use: `name(...)` for every quote's and event's local actor, `hold` every extraction's actors,
    then `merge` (the corpus actors in order, without mentions), `rows` (their rows, each with its
    mentions), and `corpus_ids` / `local_names` (maps read from the file) while the spool is open.
    """

    def __init__(self) -> None:
        self.db = scratch_db(_SCHEMA)
        self.seq = 0
        self.full_aliases: set[tuple[str, str]] = set()  # (an alias's key, the full name's key it is an alias of)

    def __enter__(self) -> "ActorSpool":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.db.close()

    # -- reading -------------------------------------------------------------------------------
    def name(self, local: str, speaks: bool, by_quote: bool, by_event: bool) -> None:
        """A local actor a quote or an event names (speaking: quoted directly or indirectly)."""
        self.db.execute("INSERT INTO named VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                        "speaks = max(speaks, excluded.speaks), quotes = max(quotes, excluded.quotes), "
                        "events = max(events, excluded.events)", (local, speaks, by_quote, by_event))

    def hold(self, found: Extraction) -> None:
        """Spool an extraction's actors, in reading order."""
        rows = []
        for actor in found.actors:
            key = person_name_key(actor.name)
            words = len(key.split())
            if actor.kind != "person":
                step = OTHER_KIND
            elif actor.descriptor:
                step = DESCRIPTOR
            else:
                step = FULL if words > 1 else OTHER_PERSON
            if step == FULL:
                self.full_aliases.update((person_name_key(alias), key) for alias in actor.aliases)
            rows.append((self.seq, actor.id, step, key, words, len(actor.mentions), json.dumps(to_dict(actor))))
            self.seq += 1
        self.db.executemany("INSERT INTO locals (seq, id, pass, key, words, mentions, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            rows)

    # -- grouping ------------------------------------------------------------------------------
    def merge(self, reports: Iterable[Report], bodies: Bodies) -> list[Actor]:
        """`merge_actors`'s corpus actors, in its order, without their mentions (see `rows`); `reports`
        is read once, for the journalists' names."""
        self.db.execute("CREATE INDEX locals_id ON locals (id)")
        journalists = {person_name_key(n) for r in reports for n in [*r.authors, *r.contributors]}
        kinds = self._group(journalists)
        self.db.execute("CREATE INDEX locals_grp ON locals (grp, ord)")
        self._title_references(self._person_holders(kinds), kinds)
        self._combine_groups(kinds)
        self.db.execute("CREATE INDEX cands_grp ON cands (grp)")
        self.db.execute("CREATE INDEX cands_report ON cands (report)")
        self._mark_places(bodies)
        return [from_dict(Actor, json.loads(data)) for (data,) in self.db.execute(
            "SELECT data FROM merged WHERE placey = 0 ORDER BY mentions DESC, first")]

    def _group(self, journalists: set[str]) -> dict[str, str]:
        """Every local actor's group but title references'; each group's kind, in merge_actors's order."""
        journalist_surnames = {_surname(k) for k in journalists}
        kinds: dict[str, str] = {}
        owned_twice = {local for (local,) in self.db.execute(
            "SELECT id FROM locals GROUP BY id HAVING count(*) > 1")}
        owned: set[str] = set()  # of the ids two local actors share, those a group took
        updates: list[tuple[int, str, int]] = []
        for seq, local, key, words in self._select(
                "SELECT seq, id, key, words FROM locals WHERE pass = ? ORDER BY words DESC, seq", FULL):
            if key not in journalists:
                kinds.setdefault(key, "person")
                updates.append((seq, key, _order(FULL, seq, words)))
                if local in owned_twice:
                    owned.add(local)
                updates = self._flush(updates)
        by_surname: dict[str, set[str]] = {}
        for key in kinds:
            by_surname.setdefault(_surname(key), set()).add(key)
        nick: dict[str, set[str]] = {}
        for alias, key in self.full_aliases:
            if key in kinds:
                nick.setdefault(alias, set()).add(key)
        self.full_aliases = set()
        for seq, local, key in self._select("SELECT seq, id, key FROM locals WHERE pass = ? ORDER BY seq", OTHER_PERSON):
            if local in owned:
                continue
            target = attach_key(key, kinds, by_surname, nick, journalist_surnames)
            if target is None or target in journalists:
                continue
            kinds.setdefault(target, "person")
            updates.append((seq, target, _order(OTHER_PERSON, seq)))
            if local in owned_twice:
                owned.add(local)
            updates = self._flush(updates)
        for seq, key, data in self._select("SELECT seq, key, data FROM locals WHERE pass = ? ORDER BY seq", OTHER_KIND):
            actor = _light(data)
            target = person_target(actor, key, kinds, by_surname)
            if target is None or kinds[target] != "person":
                target = own_group_key(actor)
                kinds.setdefault(target, actor.kind)
            updates.append((seq, target, _order(OTHER_KIND, seq)))
            updates = self._flush(updates)
        self._flush(updates, 0)
        self._apply()
        return kinds

    def _person_holders(self, kinds: dict[str, str]) -> dict[str, _Holder]:
        """The person groups with roles, with their sides before title references join (`strongest_side`).

        Read member by member, only the fields that decide (role, side and how it was found,
        mentions): holding a group's members took 17.7 MB for the largest group of 99,836 reports."""
        self._firsts()
        holders: dict[str, _Holder] = {}
        rows = self._select(
            "SELECT f.grp, json_extract(l.data, '$.role'), json_extract(l.data, '$.descriptor'), "
            "json_extract(l.data, '$.side'), json_extract(l.data, '$.side_source'), l.mentions "
            "FROM firsts f JOIN locals l ON l.grp = f.grp ORDER BY f.first, l.ord")
        for key, members in groupby(rows, key=lambda row: row[0]):
            if kinds[key] != "person":
                continue
            roles: dict[str, None] = {}
            evidence: list[tuple[str | None, str | None, int]] = []
            mentions = 0
            for _, role, descriptor, side, source, count in members:
                mentions += count
                if descriptor:
                    continue
                if role:
                    roles.setdefault(role.casefold())
                evidence.append((side, source, count))
            if roles:
                holders[key] = _Holder(strongest_side(evidence), list(roles), mentions)
        return holders

    def _title_references(self, holders: dict[str, _Holder], kinds: dict[str, str]) -> None:
        """Title references join their holder (or their side), in reading order; an unsided holder
        taking a reference's side is kept as (the place of that reference, the side) for its group."""
        self.db.execute("CREATE TABLE overrides (grp TEXT PRIMARY KEY, below INT, side TEXT)")
        updates: list[tuple[int, str, int]] = []
        for seq, count, data in self._select("SELECT seq, mentions, data FROM locals WHERE pass = ? ORDER BY seq",
                                             DESCRIPTOR):
            ref = _light(data)
            entries = ((key, holder.side, holder.roles, holder.mentions) for key, holder in holders.items())
            choice = choose_holder(entries, ref)
            target = None
            if choice is not None:
                target, exact = choice
                if not exact:
                    self.db.execute("INSERT OR REPLACE INTO overrides VALUES (?, ?, ?)",
                                    (target, _order(DESCRIPTOR, seq), ref.side))
            elif ref.side:
                target = "side:" + fold(ref.side)
                if target not in kinds:
                    continue
            if target is not None:
                if target in holders:
                    holders[target].mentions += count
                updates.append((seq, target, _order(DESCRIPTOR, seq)))
                updates = self._flush(updates)
        self._flush(updates, 0)
        self._apply()

    def _combine_groups(self, kinds: dict[str, str]) -> None:
        """Each group as merge_actors ends it (sides agreed twice, an unsided holder's side taken) and,
        if kept, combined; the mentions of one-word people are noted for the place test."""
        overrides = {grp: (below, side) for grp, below, side in self.db.execute("SELECT * FROM overrides")}
        for key, members in self._groups():
            group = _Group(key, kinds[key], [actor for order, actor, _ in members if order < _order(DESCRIPTOR, 0)])
            _agree_sides({key: group})
            if key in overrides:
                below, side = overrides[key]
                for order, actor, _ in members:
                    if order < below:
                        actor.side, actor.side_source = side, "role"
            group.members = [actor for _, actor, _ in members]
            _agree_sides({key: group})
            involved = any(a.involved or speaks for _, a, speaks in members)
            if not key.startswith("side:") and not involved and not any(
                    a.side for a in group.members if a.kind != "person"):
                continue
            mentions = [m for a in group.members for m in a.mentions]
            placey = None  # a place: 3 * (its mentions tagged or written as places) >= all its mentions
            if group.kind == "person" and _one_word(group):
                placey = sum(1 for m in mentions if m.label in ("GPE", "LOC"))
                self.db.executemany("INSERT INTO cands VALUES (?, ?, ?)",
                                    [(key, m.report, m.start) for m in mentions if m.label not in ("GPE", "LOC")])
                placey = placey * 3 - len(mentions) if mentions else None  # >= 0: a place already
            actor = replace(_combine(group), mentions=[])
            self.db.execute("INSERT INTO merged VALUES (?, ?, ?, ?, ?)",
                            (key, members[0][0], len(mentions), placey, json.dumps(to_dict(actor))))

    def _mark_places(self, bodies: Bodies) -> None:
        """`_place_like`: a one-word person group is a place when a third of its mentions are tagged
        as places or written after "in", "from" ... (read from each report's body)."""
        reports = [report for (report,) in self.db.execute("SELECT DISTINCT report FROM cands ORDER BY report")]
        for start in range(0, len(reports), 200):
            for report, body in bodies(set(reports[start:start + 200])):
                starts = self.db.execute("SELECT DISTINCT start FROM cands WHERE report = ?", (report,)).fetchall()
                self.db.executemany("INSERT INTO locative VALUES (?, ?)", [
                    (report, at) for (at,) in starts if _LOCATIVE.search(body[max(0, at - 12):at])])
        self.db.execute("""UPDATE merged SET placey = placey + 3 * (SELECT count(*) FROM cands c JOIN locative l
                           ON l.report = c.report AND l.start = c.start WHERE c.grp = merged.grp)
                           WHERE placey IS NOT NULL""")
        self.db.execute("UPDATE merged SET placey = (placey IS NOT NULL AND placey >= 0)")
        # Each local id's corpus actor: the group merge_actors put it in last (two locals may share an id).
        self.db.execute("CREATE TABLE corpus_ids (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID")
        rows = self.db.execute("""SELECT l.id, l.grp FROM locals l JOIN named n ON n.id = l.id
                                  WHERE (n.quotes OR n.events) AND l.grp IS NOT NULL ORDER BY l.id, l.ord""")
        kept = {key for (key,) in self.db.execute("SELECT grp FROM merged WHERE placey = 0")}
        last = ((local, list(found)[-1][1]) for local, found in groupby(rows, key=lambda row: row[0]))
        self.db.executemany("INSERT INTO corpus_ids VALUES (?, ?)",
                            ((local, record_id("actor", key)) for local, key in last if key in kept))

    # -- reading back ----------------------------------------------------------------------------
    def rows(self, actors: Iterable[Actor], row: Callable[[Actor, list[str]], dict[str, Any]]) \
            -> Iterator[dict[str, Any]]:
        """Each corpus actor's row (`row(actor, mentions)`), its members' mentions read back as JSON texts,
        ordered as `_combine` orders them (by report and start, members in order). SQLite cuts the
        mentions out of the spooled actors: decoded into dicts, the 26,491 mentions of the most
        mentioned actor of 99,836 reports made most of the merge's peak."""
        groups = {record_id("actor", key): key for (key,) in self.db.execute("SELECT grp FROM merged WHERE placey = 0")}
        for actor in actors:
            mentions = [value for (value,) in self.db.execute(_GROUP_MENTIONS, (groups[actor.id],))]
            made = row(actor, mentions)
            del mentions  # not held while the row is written
            yield made

    def corpus_ids(self) -> SpooledMap:
        """Each local actor a quote or an event names -> its corpus actor's id (kept ones only)."""
        return SpooledMap(self.db, "corpus_ids")

    def local_names(self) -> SpooledMap:
        """Each local actor an event names -> its name (the last read, when two share an id)."""
        self.db.execute("CREATE TABLE local_names (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID")
        self.db.execute("""INSERT OR REPLACE INTO local_names SELECT l.id, json_extract(l.data, '$.name')
                           FROM locals l JOIN named n ON n.id = l.id WHERE n.events ORDER BY l.seq""")
        return SpooledMap(self.db, "local_names")

    # -- helpers --------------------------------------------------------------------------------
    def _firsts(self) -> None:
        """Each group's first place (table `firsts`), which orders the groups as merge_actors does."""
        self.db.execute("DROP TABLE IF EXISTS firsts")
        self.db.execute("CREATE TABLE firsts (grp TEXT PRIMARY KEY, first INT)")
        self.db.execute("INSERT INTO firsts SELECT grp, min(ord) FROM locals WHERE grp IS NOT NULL GROUP BY grp")
        self.db.execute("CREATE INDEX firsts_first ON firsts (first)")

    def _groups(self) -> Iterator[tuple[str, list[tuple[int, _Member, bool]]]]:
        """The groups in merge_actors's order, each with its members (place, member, whether it speaks) in
        order; equal strings of one group are one object (a name, a side, a mention's words recur in
        thousands of members of the largest groups)."""
        self._firsts()
        rows = self._select(
            "SELECT f.grp, l.ord, l.data, coalesce(n.speaks, 0) FROM firsts f "
            "JOIN locals l ON l.grp = f.grp LEFT JOIN named n ON n.id = l.id ORDER BY f.first, l.ord")
        for key, members in groupby(rows, key=lambda row: row[0]):
            seen: dict[str, str] = {}
            yield key, [(order, _Member(json.loads(data), seen), bool(speaks)) for _, order, data, speaks in members]

    def _select(self, query: str, *args: Any) -> Iterator[tuple]:
        """A query's rows, read on a cursor of its own (updates go on meanwhile)."""
        cursor = self.db.cursor()
        yield from cursor.execute(query, args)

    def _flush(self, updates: list[tuple[int, str, int]], at: int = 5000) -> list[tuple[int, str, int]]:
        """Groups given (reading position, group, place), written a few thousand at a time."""
        if len(updates) >= at:
            self.db.executemany("INSERT INTO assign VALUES (?, ?, ?)", updates)
            return []
        return updates

    def _apply(self) -> None:
        """The groups given during a scan, set on the local actors once it is done."""
        self.db.execute("UPDATE locals SET grp = a.grp, ord = a.ord FROM assign a WHERE a.seq = locals.seq")
        self.db.execute("DELETE FROM assign")


class SpooledMap(Mapping):
    """A read-only map kept in a table of the spool's file (key, value), read one key at a time."""

    def __init__(self, db: sqlite3.Connection, table: str) -> None:
        self.db = db
        self.table = table

    def __getitem__(self, key: str) -> str:
        row = self.db.execute(f"SELECT value FROM {self.table} WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return row[0]

    def __iter__(self) -> Iterator[str]:
        return (key for (key,) in self.db.execute(f"SELECT key FROM {self.table}"))

    def __len__(self) -> int:
        return self.db.execute(f"SELECT count(*) FROM {self.table}").fetchone()[0]


class _MentionStub:
    """What the merge reads of a mention (report, start, label, text); the rest stays in the file."""

    __slots__ = ("report", "start", "label", "text")

    def __init__(self, data: dict[str, Any], seen: dict[str, str]) -> None:
        share = seen.setdefault
        label = data.get("label")
        self.report, self.start = share(data["report"], data["report"]), data["start"]
        self.label, self.text = share(label, label) if label else label, share(data["text"], data["text"])


def _light(data: str) -> Actor:
    """A local actor without its mentions."""
    fields = json.loads(data)
    fields["mentions"] = []
    return from_dict(Actor, fields)


class _Member:
    """What the merge reads of a grouped local actor (`_combine`, `_agree_sides`), with its mentions as
    `_MentionStub`s; an Actor per member with its own copy of every string took 26 MB for the largest
    group of 99,836 reports."""

    __slots__ = ("name", "kind", "side", "role", "aliases", "mentions", "side_source", "involved", "descriptor")

    def __init__(self, fields: dict[str, Any], seen: dict[str, str]) -> None:
        share = seen.setdefault
        self.name, self.kind = share(fields["name"], fields["name"]), share(fields["kind"], fields["kind"])
        self.side, self.role, self.side_source = (share(fields[f], fields[f]) if fields.get(f) else fields.get(f)
                                                  for f in ("side", "role", "side_source"))
        self.aliases = [share(alias, alias) for alias in fields.get("aliases") or []]
        self.mentions = [_MentionStub(m, seen) for m in fields.get("mentions") or []]
        self.involved, self.descriptor = fields.get("involved", True), fields.get("descriptor", False)
