"""The cheap pre-tests that let extractors skip patterns must never skip a match the pattern finds."""

import dataclasses
import re

import pytest

from dealtrace.analyze.issues import IssueMatcher
from dealtrace.analyze.timeline import merge_same
from dealtrace.extract.common import lowered_for_gates
from dealtrace.extract.quantities import may_start_quantity
from dealtrace.extract.timexes import _FIRST_WORDS, _RULE_GATES, _RULE_NEEDS, _RULES, _scan
from dealtrace.extract.wordstarts import WordStarts, finditer_at
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


@pytest.mark.parametrize("text", ["They want to GO HOME now.", "a go-home order", "Go\u2010home, they said",
                                  "an all-for-all swap", "All for all: the deal", "who  moves first?",
                                  "the pre-release draft", "U.N. monitors arrive", "24 hours, then 24-hour talks"])
def test_issue_keywords_with_short_first_words_found_where_finditer_finds_them(text):
    keywords = ["go home", "all for all", "who moves first", "release", "U.N. monitors", "24 hours", "free"]
    matcher = IssueMatcher([Issue(id="k", proposition="x", keywords=keywords)])
    folded = text.replace("\u2010", "-")
    expected = {(m.start(), m.end()) for _, _, pattern, _ in matcher.patterns for m in pattern.finditer(folded)}
    found = {(hit.start, hit.end) for hit in matcher.find(text)}
    assert found and found <= expected
    assert {start for start, _ in found} == {start for start, _ in expected}  # a gate skips no keyword that matches


def test_issue_keywords_with_short_first_words_match_whole_words_only():
    matcher = IssueMatcher([Issue(id="k", proposition="x", keywords=["go home", "all for all"])])
    assert matcher.find("Years ago homes fell; a ball for all") == []
    assert [(hit.start, hit.end) for hit in matcher.find("They go home.")] == [(5, 12)]


def test_timex_rule_needs_hold_for_every_match():
    text = ("Three years ago, in the 1990s, talks ran daily; the second quarter of 2024 began on Monday, "
            "April 1. Later this week, for several months, a two-day-long pause ended last night, nowadays.")
    rules = dict(_RULES)
    for name, (words, folded) in _RULE_NEEDS.items():
        for match in rules[name].finditer(text):
            written = match.group(0).lower() if folded else match.group(0)
            assert any(word in written for word in words), (name, match.group(0))
    assert {hit.rule for hit in _scan(text)} >= {"ago", "decade", "set", "quarter", "month_day", "weekday"}


_TIMEX_TEXTS = [
    "Three years ago, in the 1990s, talks ran daily; the second quarter of 2024 began on Monday, April 1. Later this "
    "week, for several months, a two-day-long pause ended last night, nowadays. The past few weeks, a couple of days "
    "later, mid-May 2024, late-June, the end of May, this past Monday's talks, Sept. 5, 2024, 5th of June, 12 June "
    "2023, FY2024 and fiscal 2023, 3.5 years ago, 2024-03-01, 3/4/2024, the same year, the following week, this morning.",
    "x5 days later, A25 years, _5 days, é5 days, the mid-1980s, early 2000s, the latest quarter, each week, monday",
]


@pytest.mark.parametrize("text", _TIMEX_TEXTS)
def test_timex_rules_run_at_word_starts_find_what_finditer_finds(text):
    rules = dict(_RULES)
    found = 0
    for name, (words, numbers) in _FIRST_WORDS.items():
        for cut in range(0, len(text), 7):  # every rule from many offsets: matches at the very start too
            piece = text[cut:]
            expected = [(m.start(), m.end(), m.groupdict()) for m in rules[name].finditer(piece)]
            starts = WordStarts(piece, words).starts(words, numbers)
            assert [(m.start(), m.end(), m.groupdict()) for m in finditer_at(rules[name], piece, starts)] == expected
            found += len(expected)
    assert found > 20


def test_timex_rule_gates_hold_for_every_match():
    rules = dict(_RULES)
    for name, gate in _RULE_GATES.items():
        matches = [m.group(0) for text in _TIMEX_TEXTS for m in rules[name].finditer(text)]
        assert matches, name
        assert all(gate.search(match) for match in matches), name


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
