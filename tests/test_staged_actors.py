"""`ActorSpool` groups local actors on disk: it must make `merge_actors`'s corpus actors, mentions and map."""

from __future__ import annotations

import copy
import json

import pytest

from dealtrace.analyze.actors import merge_actors
from dealtrace.model import Actor, Extraction, Mention, Profile, Report, Side, to_dict
from dealtrace.staged_actors import ActorSpool

PROFILE = Profile(sides=[Side("Chile", "party"), Side("Peru", "party")])
BODY = "Fighting went on in Hollin. Families from Hollin fled. Talks in Lomas went on. Hollin was quiet."


def _actor(report: str, name: str, kind: str = "person", at: int = 0, label: str = "PERSON", id_: str | None = None,
           **fields) -> Actor:
    texts = fields.pop("texts", [name])
    mentions = [Mention(report=report, file=f"{report}.txt", text=t, start=at + 10 * i, end=at + 10 * i + len(t),
                        label=label) for i, t in enumerate(texts)]
    return Actor(id=id_ or f"{report}:{name}", name=name, kind=kind, mentions=mentions, **fields)


def _spooled(found: list[Extraction], reports: list[Report], named: set[str], speakers: set[str]):
    """What the staged merge stores and keeps: actors with their rows' mentions, the named locals' corpus ids."""
    bodies = {report.id: report.body for report in reports}
    with ActorSpool() as spool:
        for local in sorted(named):
            spool.name(local, local in speakers, True, True)
        for extraction in found:
            spool.hold(extraction)
        actors = spool.merge(reports, lambda ids: ((i, bodies[i]) for i in sorted(ids) if i in bodies))
        rows = list(spool.rows(actors, lambda actor, texts: {**to_dict(actor),
                                                             "mentions": [json.loads(m) for m in texts]}))
        ids = spool.corpus_ids()
        return rows, {local: ids.get(local) for local in sorted(named)}


def _merged(found: list[Extraction], reports: list[Report], named: set[str], speakers: set[str]):
    actors, local_to_id = merge_actors(copy.deepcopy(found), PROFILE, reports, speakers=speakers)
    return [to_dict(actor) for actor in actors], {local: local_to_id.get(local) for local in sorted(named)}


CASES = {
    "surname and nickname join full names; a journalist's name and surname are dropped": [
        Extraction("a", actors=[_actor("a", "Maria Gonzalez", side="Chile", role="minister", side_source="role",
                                       aliases=["Jefa"]),
                                _actor("a", "Peter Larsen", role="official"), _actor("a", "Larsen")]),
        Extraction("b", actors=[_actor("b", "Gonzalez", at=5), _actor("b", "Jefa", at=40),
                                _actor("b", "Antonio Luis Gonzalez Ruiz", side="Peru", side_source="context")]),
    ],
    "a place-tagged name joins the person; profile sides and other names keep their own groups": [
        Extraction("a", actors=[_actor("a", "Daniel Rojas", side="Peru", role="President", side_source="role"),
                                _actor("a", "Rojas", kind="country", label="GPE", at=30),
                                _actor("a", "Chile", kind="country", label="GPE", side="Chile", side_source="profile"),
                                _actor("a", "Red Cross", kind="organization", label="ORG", involved=False)]),
        Extraction("b", actors=[_actor("b", "Santiago", kind="country", label="GPE", side="Chile",
                                       side_source="profile"),
                                _actor("b", "Red Cross", kind="organization", label="ORG", side="Peru",
                                       side_source="context")]),
    ],
    "title references: an exact holder, an unsided only holder taking the side, a side's own group": [
        Extraction("a", actors=[_actor("a", "Daniel Rojas", side="Peru", role="President", side_source="role",
                                       texts=["Daniel Rojas", "Rojas"]),
                                _actor("a", "Ana Silva", role="foreign minister", texts=["Ana Silva"] * 3),
                                _actor("a", "Chile", kind="country", label="GPE", side="Chile", side_source="profile")]),
        Extraction("b", actors=[_actor("b", "Peru president", side="Peru", role="president", descriptor=True,
                                       label="TITLE", side_source="role"),
                                _actor("b", "Chilean foreign minister", side="Chile", role="foreign minister",
                                       descriptor=True, label="TITLE", side_source="role"),
                                _actor("b", "Silva", at=60),
                                _actor("b", "Chilean envoy", side="Chile", role="envoy", descriptor=True,
                                       label="TITLE", side_source="role")]),
        Extraction("c", actors=[_actor("c", "Chilean foreign minister", side="Chile", role="foreign minister",
                                       descriptor=True, label="TITLE", side_source="role")]),
    ],
    "one-word names read as places; passing names; two local actors sharing an id": [
        Extraction("a", actors=[_actor("a", "Hollin", at=BODY.index("Hollin")),
                                _actor("a", "Hollin", at=BODY.index("Hollin", 30), id_="a:Hollin2"),
                                _actor("a", "Lomas", at=BODY.index("Lomas"), involved=False),
                                _actor("a", "Vera", involved=False, id_="a:dup"),
                                _actor("a", "Vera Blanco", side="Chile", side_source="home", id_="a:dup", at=70),
                                _actor("a", "Blanco", at=80, id_="a:dup")]),
    ],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_actor_spool_makes_the_actors_and_map_of_merge_actors(case):
    found = CASES[case]
    reports = [Report(id=f.report, file=f"{f.report}.txt", source=None, raw_text=BODY, body=BODY,
                      authors=["Peter Larsen"] if f.report == "b" else []) for f in found]
    named = {actor.id for extraction in found for actor in extraction.actors}
    speakers = {"a:Red Cross", "a:Vera"}
    spooled, spooled_ids = _spooled(found, reports, named, speakers)
    merged, merged_ids = _merged(found, reports, named, speakers)
    assert spooled == merged
    assert spooled_ids == merged_ids
    assert merged  # every case keeps some actors


@pytest.mark.parametrize("count", [0, 1, 3])
def test_actor_row_is_the_actor_with_its_mentions_as_one_json_text(count):
    from dealtrace.staged import _actor_row
    from dealtrace.store import JSONText

    mentions = [to_dict(Mention(report="r", file=None, text=f"Berg {n}", start=n, end=n + 6)) for n in range(count)]
    actor = Actor(id="a1", name="Ola Berg", kind="person", side="Norland")
    row = _actor_row(actor, [json.dumps(m) for m in mentions])
    assert isinstance(row["data"], JSONText)
    assert json.loads(row["data"]) == {**to_dict(actor), "mentions": mentions}
    assert row["actor"] == "Ola Berg" and row["side"] == "Norland"
