"""Quotes: where reported content ends when the parse hangs the rest of it on the reporting verb, on small
texts of our own (issue #6's tenth round)."""

from __future__ import annotations

import pytest

from dealtrace.extract import extract_report
from dealtrace.ingest import report_from_text
from dealtrace.model import Profile
from dealtrace.settings import Settings


@pytest.fixture(scope="module")
def quotes_of(nlp):
    def run(text: str):
        report = report_from_text(text, published="2024-08-20")
        return extract_report(report, nlp(report.body), Profile(), Settings(), names=("actors", "timexes", "quotes")).quotes
    return run


def _said_by(quotes, speaker):
    return [q.text for q in quotes if q.kind == "indirect" and q.speaker.name == speaker]


@pytest.mark.parametrize("text, speaker, content", [
    # the "because" clause and the second clause are parsed as the verb's, not the reported clause's
    ("The union said Tuesday that the talks had stalled, because the owners refused to move.", "The union",
     "the talks had stalled, because the owners refused to move"),
    ("Harbor officials said the cranes were idle, the ships were late.", "Harbor officials",
     "the cranes were idle, the ships were late"),
])
def test_the_rest_of_the_content_hung_on_the_verb_after_a_comma_is_reported(quotes_of, text, speaker, content):
    assert _said_by(quotes_of(text), speaker) == [content]


def test_a_second_report_after_the_comma_stays_its_own(quotes_of):
    quotes = quotes_of("The mayor said the budget was balanced, while the treasurer said it was not.")
    assert _said_by(quotes, "The mayor") == ["the budget was balanced"]
    assert _said_by(quotes, "the treasurer") == ["it was not"]
