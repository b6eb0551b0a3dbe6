"""`EventSpool` merges events on disk: it must make `merge_events`'s events, in its order."""

from __future__ import annotations

import copy
import random

import pytest

from dealtrace.analyze.timeline import actor_namer, merge_events, name_actors
from dealtrace.model import Actor, Event, Extraction, Report, to_dict
from dealtrace.staged_events import EventSpool

# Few values of each field, so that copies, twins in a sentence and one happening told by several
# reports all occur: a copy of a copy, a copy read before its original, undated, week and month dates.
REPORTS = {rid: Report(id=rid, file=f"{rid}.txt", source=None, raw_text="", body="", outlet=f"{rid} news",
                       published="2024-08-19", copy_of=of)
           for rid, of in [("a", None), ("b", None), ("c", "a"), ("d", None), ("e", "c"), ("f", None), ("g", "d")]}
TYPES = ["CONSULT", "AGREE"]
LOCAL = ["L1", "L2", "L3", "Mediator X", "L4"]  # L4 has no corpus actor; "Mediator X" is a side name
DATES = [None, "2024-08-19", "2024-08-20", "2024-08-21", "2024-W34", "2024-08", "2024"]
SENTENCES = ["They met in Doha.", "They met in doha.", "Talks resumed.", None]


def _event(rng: random.Random, report: str, k: int) -> Event:
    date = rng.choice(DATES)
    return Event(id=f"{report}:{k}", report=report, file=f"{report}.txt", type=rng.choice(TYPES),
                 trigger=rng.choice(["met", "meeting", "agreed", None]),
                 actors=rng.sample(LOCAL, rng.randint(0, 2)), recipients=rng.sample(LOCAL, rng.randint(0, 2)),
                 place=rng.choice([None, None, "Doha", "doha, Qatar", "Cairo"]), date=date,
                 date_text=date and f"on {date}", negated=rng.random() < 0.1, hypothetical=rng.random() < 0.1,
                 sentence=rng.choice(SENTENCES), start=rng.randrange(0, 40, 4), end=50)


def _extractions(seed: int) -> list[Extraction]:
    rng = random.Random(seed)
    order = sorted(REPORTS)  # the store reads extractions in report-id order
    return [Extraction(rid, events=[_event(rng, rid, k) for k in range(rng.randint(0, 12))]) for rid in order]


ACTORS = {"C1": Actor(id="C1", name="First Envoy", kind="person"), "C2": Actor(id="C2", name="Second Envoy", kind="person")}
LOCAL_TO_ID = {"L1": "C1", "L2": "C2", "L3": "C1"}
LOCAL_NAMES = {"L1": "envoy", "L2": "other envoy", "L3": "the envoy", "L4": "a spokesman"}


def _spooled(extractions: list[Extraction]) -> list[dict]:
    namer = actor_namer(LOCAL_TO_ID, ACTORS, LOCAL_NAMES)
    with EventSpool(REPORTS) as spool:
        for found in extractions:
            spool.hold(name_actors(event, namer) for event in found.events)
        spool.merge()
        return [to_dict(event) for event in spool.events()]


@pytest.mark.parametrize("seed", range(40))
def test_same_events_as_merge_events(seed):
    extractions = _extractions(seed)
    expected = [to_dict(e) for e in merge_events(copy.deepcopy(extractions), REPORTS, LOCAL_TO_ID, ACTORS, LOCAL_NAMES)]
    assert _spooled(extractions) == expected


def test_the_cases_the_seeds_cover():
    """The random cases do exercise every step: copies folded, twins folded, happenings told by several reports."""
    copies = twins = joined = 0
    for seed in range(40):
        extractions = _extractions(seed)
        merged = merge_events(copy.deepcopy(extractions), REPORTS, LOCAL_TO_ID, ACTORS, LOCAL_NAMES)
        reports = [{s.report for s in e.sources} for e in merged]
        copies += sum(1 for told in reports if any(REPORTS[r].copy_of for r in told) and len(told) > 1)
        joined += sum(1 for e in merged if len({REPORTS[s.report].copy_of or s.report for s in e.sources}) > 1)
        twins += sum(len(found.events) for found in extractions) - sum(len(e.sources) for e in merged)
    assert copies > 20 and joined > 20 and twins > 20
