"""The cheap pre-tests that let extractors skip patterns must never skip a match the pattern finds."""

import dataclasses
import re

import pytest

from dealtrace.analyze.issues import IssueMatcher
from dealtrace.analyze.timeline import merge_same
from dealtrace.extract.common import lowered_for_gates
from dealtrace.extract.quantities import may_start_quantity
from dealtrace.extract.timexes import _RULE_NEEDS, _RULES, _scan
from dealtrace.model import Event, Extraction, Issue, Quote, Source, Speaker, to_dict


def test_lowered_for_gates_refuses_the_characters_ignorecase_folds_to_ascii():
    folded_to_ascii = [chr(c) for c in range(128, 0x3000) if re.fullmatch("[a-z]", chr(c), re.I)]
    assert folded_to_ascii  # İ, ı, ſ (the Kelvin sign lies above this range)
    for char in [*folded_to_ascii, "\u212a"]:
        assert lowered_for_gates(f"the {char}ey point") is None
    assert lowered_for_gates("The “Withdrawal” Plan") == "the “withdrawal” plan"


@pytest.mark.parametrize("text", ["WITHDRAWAL of troops", "the \u212aey withdrawal", "Hostage-\u017fwap talks",
                                  "a WithDrawal", "No withdrawals yet.", "\u0130ran's withdrawing forces"])
def test_issue_keywords_found_whatever_the_case_and_script(text):
    issues = [Issue(id="withdrawal", proposition="troops leave", keywords=["withdraw", "key", "swap"])]
    matcher = IssueMatcher(issues)
    folded = text.replace("’", "'")
    expected = sorted((m.start(), m.end()) for _, _, pattern, _ in matcher.patterns for m in pattern.finditer(folded))
    found = [(hit.start, hit.end) for hit in matcher.find(text)]
    assert found and set(found) <= set(expected)


def test_timex_rule_needs_hold_for_every_match():
    text = ("Three years ago, in the 1990s, talks ran daily; the second quarter of 2024 began on Monday, "
            "April 1. Later this week, for several months, a two-day-long pause ended last night, nowadays.")
    rules = dict(_RULES)
    for name, (words, folded) in _RULE_NEEDS.items():
        for match in rules[name].finditer(text):
            written = match.group(0).lower() if folded else match.group(0)
            assert any(word in written for word in words), (name, match.group(0))
    assert {hit.rule for hit in _scan(text)} >= {"ago", "decade", "set", "quarter", "month_day", "weekday"}


@pytest.mark.parametrize("word", ["12", "1,200", "3bn", "two", "a", "half", "dozens", "third", "$", "€", "us"])
def test_words_a_quantity_starts_with_are_never_skipped(word):
    assert may_start_quantity(word)
    assert not may_start_quantity("talks")


def test_to_dict_is_dataclasses_asdict():
    quote = Quote(id="q", report="r", file=None, kind="direct", text="x", start=0, end=1,
                  speaker=Speaker(name="A", count=2), sources=[Source(report="r", start=0, end=1)])
    found = Extraction(report="r", quotes=[quote])
    assert to_dict(found) == dataclasses.asdict(found)
    assert repr(to_dict(found)) == repr(dataclasses.asdict(found))


def _event(report, type_, actors, date, negated=False):
    return Event(id=f"{report}-{type_}", report=report, file=None, type=type_, trigger="met", actors=actors,
                 date=date, negated=negated, start=0, end=3)


def test_merge_same_only_folds_events_of_one_type_and_flags():
    events = [_event("r1", "CONSULT", ["A"], "2025-03-01"), _event("r2", "CONSULT", ["A"], "2025-03-01"),
              _event("r3", "CONSULT", ["A"], "2025-03-01", negated=True), _event("r4", "PROPOSE", ["A"], "2025-03-01")]
    merged = merge_same(events)
    assert [(e.type, e.negated) for e in merged] == [("CONSULT", False), ("CONSULT", True), ("PROPOSE", False)]
