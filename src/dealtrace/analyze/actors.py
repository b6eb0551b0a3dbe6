"""Corpus actors: the per-report actors merged by name, with sides and roles agreed on.

A bare surname in one report joins the full name another report gives; a name the model
tagged as a place once joins the person; "the <side> prime minister" joins the person of that
side holding that title; journalists of any report are dropped; people only mentioned in
passing (neither acting, speaking nor holding an office anywhere) are left out of the table.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Container, Iterable

from ..extract.actors import SIDE_SOURCES, person_name_key, titles, title_pattern
from ..extract.common import fold
from ..model import Actor, Extraction, Profile, Report, record_id

__all__ = ["merge_actors", "attach_key", "person_target", "own_group_key", "choose_holder", "strongest_side"]


@dataclass
class _Group:
    key: str
    kind: str
    members: list[Actor] = field(default_factory=list)
    side: str | None = None

    @property
    def mentions(self) -> int:
        return sum(len(a.mentions) for a in self.members)


def _surname(key: str) -> str:
    return key.split()[-1] if key else key


Bodies = Callable[[set[str]], Iterable[tuple[str, str]]]  # report ids -> (id, body) of those stored


def merge_actors(extractions: list[Extraction], profile: Profile, reports: list[Report] | None = None,
                 bodies: Bodies | None = None, speakers: set[str] | None = None) -> tuple[list[Actor], dict[str, str]]:
    """Corpus actors, and a map from each report-local actor id to its corpus actor id.

    `bodies` reads the texts of the reports asked for (by default the reports' own bodies): only
    the words before some mentions are needed, so a store's merge need not hold every body.
    `speakers` are the local ids of actors quoted directly or indirectly (by default read from the
    extractions' quotes), for a merge that reads the actors without the quotes. A store's merge
    makes the same actors grouping on disk (`dealtrace.staged_actors`), from the functions below.
    """
    journalists = {person_name_key(n) for r in reports or [] for n in [*r.authors, *r.contributors]}
    journalist_surnames = {_surname(k) for k in journalists}
    # Only people who said something count as speakers; stance/belief attributions do not make an actor.
    if speakers is None:
        speakers = {q.speaker.actor for found in extractions for q in found.quotes
                    if q.speaker.actor and q.kind in ("direct", "indirect")}
    locals_ = [a for found in extractions for a in found.actors]
    people = [a for a in locals_ if a.kind == "person" and not a.descriptor]
    descriptors = [a for a in locals_ if a.kind == "person" and a.descriptor]
    others = [a for a in locals_ if a.kind != "person"]

    groups: dict[str, _Group] = {}
    owner: dict[str, str] = {}  # local id -> group key
    full = sorted((a for a in people if len(person_name_key(a.name).split()) > 1),
                  key=lambda a: -len(person_name_key(a.name).split()))
    for actor in full:
        key = person_name_key(actor.name)
        if key in journalists:
            continue
        groups.setdefault(key, _Group(key, "person")).members.append(actor)
        owner[actor.id] = key
    by_surname: dict[str, set[str]] = {}
    for key in groups:
        by_surname.setdefault(_surname(key), set()).add(key)
    nick: dict[str, set[str]] = {}
    for key, group in groups.items():
        for actor in group.members:
            for alias in actor.aliases:
                nick.setdefault(person_name_key(alias), set()).add(key)

    for actor in people:
        if actor.id in owner:
            continue
        key = attach_key(person_name_key(actor.name), groups, by_surname, nick, journalist_surnames)
        if key is None or key in journalists:
            continue
        groups.setdefault(key, _Group(key, "person")).members.append(actor)
        owner[actor.id] = key
    # A name tagged ORG/GPE/NORP in one report joins the person it names elsewhere.
    for actor in others:
        target = person_target(actor, person_name_key(actor.name), groups, by_surname)
        if target is not None and groups[target].kind == "person":
            groups[target].members.append(actor)
        else:
            target = own_group_key(actor)
            groups.setdefault(target, _Group(target, actor.kind)).members.append(actor)
        owner[actor.id] = target

    _agree_sides(groups)
    for actor in descriptors:
        target = _holder(groups, actor)
        if target is None and actor.side:
            target = "side:" + fold(actor.side)
            if target not in groups:
                continue
        if target is not None:
            groups[target].members.append(actor)
            owner[actor.id] = target
    _agree_sides(groups)

    before = _words_before(_place_candidates(groups), bodies or _own_bodies(reports or []))
    merged: dict[str, Actor] = {}
    for key, group in groups.items():
        involved = any(a.involved or a.id in speakers for a in group.members)
        is_side = key.startswith("side:")
        if group.kind == "person" and _place_like(group, before):
            continue
        if not is_side and not involved and not any(a.side for a in group.members if a.kind != "person"):
            continue
        merged[key] = _combine(group)
    local_to_id = {local: merged[key].id for local, key in owner.items() if key in merged}
    return sorted(merged.values(), key=lambda a: -len(a.mentions)), local_to_id


def attach_key(key: str, groups: Container[str], by_surname: dict[str, set[str]], nick: dict[str, set[str]],
               journalist_surnames: set[str]) -> str | None:
    """The group a person named `key` (not a full name's first pass) joins: its own name's, else a bare
    surname's one full name or one nickname holder; None for a journalist's surname."""
    if key in groups:
        return key
    if len(key.split()) == 1:
        if key in journalist_surnames:
            return None
        for table in (by_surname, nick):
            if len(table.get(key, ())) == 1:
                return next(iter(table[key]))
    return key


def person_target(actor: Actor, key: str, groups: Container[str], by_surname: dict[str, set[str]]) -> str | None:
    """The group a non-person actor named `key` may join as a person (if that group is one)."""
    if actor.side_source != "profile" and (key in groups or len(by_surname.get(key, ())) == 1):
        return key if key in groups else next(iter(by_surname[key]))
    return None


def own_group_key(actor: Actor) -> str:
    """The group of a non-person actor that joins no person: its profile side's, else its name's."""
    return ("side:" + fold(actor.side)) if actor.side_source == "profile" and actor.side else "other:" + fold(actor.name)


def full_name_words(actor: Actor) -> int:
    return len(person_name_key(actor.name).split())


_LOCATIVE = re.compile(r"\b(?:in|from|to|near|at|into|around|outside|inside|towards?|across|of)\s+(?:the\s+)?$", re.I)


def _own_bodies(reports: list[Report]) -> Bodies:
    return lambda ids: ((report.id, report.body) for report in reports if report.id in ids)


def _one_word(group: _Group) -> bool:
    return not any(len(person_name_key(a.name).split()) > 1 for a in group.members)


def _place_candidates(groups: dict[str, _Group]) -> set[tuple[str, int]]:
    """(report, start) of the mentions `_place_like` reads the words before."""
    return {(m.report, m.start) for group in groups.values() if group.kind == "person" and _one_word(group)
            for a in group.members for m in a.mentions if m.label not in ("GPE", "LOC")}


def _words_before(mentions: set[tuple[str, int]], bodies: Bodies) -> dict[tuple[str, int], str]:
    """The 12 characters before each mention, read from its report's body (absent when the report is)."""
    starts: dict[str, list[int]] = defaultdict(list)
    for report, start in mentions:
        starts[report].append(start)
    before = {}
    for report, body in bodies(set(starts)):
        for start in starts[report]:
            before[(report, start)] = body[max(0, start - 12):start]
    return before


def _place_like(group: _Group, before: dict[tuple[str, int], str]) -> bool:
    """A one-word "person" the model also tags as a place, or mostly written after "in"/"from": a place."""
    if not _one_word(group):
        return False
    mentions = [m for a in group.members for m in a.mentions]
    if not mentions:
        return False
    placey = sum(1 for m in mentions if m.label in ("GPE", "LOC")
                 or ((m.report, m.start) in before and _LOCATIVE.search(before[(m.report, m.start)])))
    return placey * 3 >= len(mentions)


def _side_of(group: _Group) -> str | None:
    return strongest_side((a.side, a.side_source, len(a.mentions)) for a in group.members if not a.descriptor)


def strongest_side(evidence: Iterable[tuple[str | None, str | None, int]]) -> str | None:
    """The side with the strongest evidence (role > alias > home > context), then the most mentions,
    from (side, how it was found, mentions) of each member that is not a title reference."""
    best: dict[str, list[int]] = {}
    for side, source, mentions in evidence:
        if side:
            entry = best.setdefault(side, [0, 0])
            entry[0] = max(entry[0], SIDE_SOURCES.get(source or "role", 1))
            entry[1] += max(1, mentions)
    return max(best, key=lambda name: tuple(best[name])) if best else None


def _agree_sides(groups: dict[str, _Group]) -> None:
    for group in groups.values():
        side = _side_of(group)
        if side is not None:
            for actor in group.members:
                if actor.kind == "person" and not actor.descriptor:
                    actor.side = actor.side or side
        group.side = side


def _holder(groups: dict[str, _Group], ref: Actor) -> str | None:
    """The person group a title reference points to (`choose_holder`); an unsided holder takes the
    reference's side."""
    entries = ((key, group.side, [a.role.casefold() for a in group.members if a.role and not a.descriptor],
                group.mentions) for key, group in groups.items() if group.kind == "person")
    choice = choose_holder(entries, ref)
    if choice is None:
        return None
    key, exact = choice
    if not exact:
        for actor in groups[key].members:
            actor.side, actor.side_source = ref.side, "role"
    return key


HolderEntry = tuple[str, "str | None", list[str], int]  # group key, side, its members' roles casefolded, mentions


def choose_holder(entries: Iterable[HolderEntry], ref: Actor) -> tuple[str, bool] | None:
    """The person group a title reference points to: same side, same title (or that side's leader);
    with whether its side is the reference's (else it is unsided and the only one holding that title)."""
    title = (ref.role or "").casefold()
    candidates = []
    for key, side, roles, mentions in entries:
        if side not in (ref.side, None):
            continue
        found = [t.casefold() for r in roles for t in title_pattern().findall(r)]
        same = any(title in r for r in roles)
        leader = title in ("leader", "head") and any(titles().get(t, 1) >= 3 for t in found)
        if same or leader:
            exact = side == ref.side
            candidates.append((exact, mentions, key))
    if not candidates:
        return None
    best = max(candidates)
    # only unsided holders: take one when it is the only one with that title
    if not best[0] and sum(1 for c in candidates if not c[0]) != 1:
        return None
    return best[2], best[0]


def _combine(group: _Group) -> Actor:
    members = group.members
    kind = group.kind
    if group.key.startswith("side:"):
        labels = Counter(m.label for a in members for m in a.mentions if m.label in ("GPE", "ORG", "NORP"))
        top = labels.most_common(1)[0][0] if labels else None
        kind = {"GPE": "country", "ORG": "organization", "NORP": "group"}.get(top, members[0].kind)
        name = members[0].side or members[0].name
    elif kind == "person":
        names = Counter(a.name for a in members if a.kind == "person" and not a.descriptor
                        and len(a.name.split()) > 1)
        if not names:
            names = Counter(a.name for a in members if not a.descriptor) or Counter([members[0].name])
        name = max(names, key=lambda n: (names[n], -len(n.split()) if len(n.split()) > 2 else len(n)))
    else:
        name = Counter(a.name for a in members).most_common(1)[0][0]
    actor = Actor(id=record_id("actor", group.key), name=name, kind=kind)
    actor.side = group.side or next((a.side for a in members if a.side), None)
    sources = [a.side_source for a in members if a.side == actor.side and a.side_source]
    actor.side_source = min(sources, key=lambda s: -SIDE_SOURCES.get(s, 0)) if sources else None
    roles = Counter(a.role for a in members if a.role and not a.descriptor)
    office = Counter({r: n for r, n in roles.items() if title_pattern().search(r)})
    if office or roles:
        actor.role = (office or roles).most_common(1)[0][0]
    elif any(a.role for a in members):
        actor.role = next(a.role for a in members if a.role)
    actor.involved = any(a.involved for a in members)
    for a in members:
        actor.mentions.extend(a.mentions)
    actor.mentions.sort(key=lambda m: (m.report, m.start))
    aliases = {x for a in members for x in [a.name, *a.aliases]}
    if kind == "person":
        aliases |= {m.text for a in members for m in a.mentions if m.label in ("TITLE", "PERSON", "NICKNAME")}
    actor.aliases = sorted(aliases - {name})
    return actor
