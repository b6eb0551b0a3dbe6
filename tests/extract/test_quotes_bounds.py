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
        return _quotes(nlp, report)
    return run


def _quotes(nlp, report):
    return extract_report(report, nlp(report.body), Profile(), Settings(), names=("actors", "timexes", "quotes")).quotes


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


@pytest.mark.parametrize("text, speaker", [
    ("The share of dock workers saying the port should close rose to 40 percent.", "The share of dock workers"),
    ("It was a memo warning that the cranes were unsafe.", "a memo"),
])
def test_a_noun_a_participle_of_saying_modifies_is_its_speaker(nlp, text, speaker):
    # not the subject of the clause the noun sits in ("rose", "it was"): the workers say it, the memo warns
    report = report_from_text(text, published="2024-08-20")
    spans = [report.body[q.speaker.start:q.speaker.end] for q in _quotes(nlp, report)
             if q.kind == "indirect" and q.speaker.start is not None]
    assert spans == [speaker]


def test_a_statement_criticizing_is_its_issuers(quotes_of):
    quotes = quotes_of("The union issued a statement criticizing the mayor's plan.")
    assert [q.speaker.name for q in quotes if q.kind == "indirect"] == ["The union"]


@pytest.mark.parametrize("text, cue, speaker", [
    ("By the end of the day, Mayor Ellen Park was forced into a rare apology and said her remarks had been misread.",
     "said", "Mayor Ellen Park"),
    ("The dockworkers were left wondering whether the port would reopen before winter.", "wondering", "The dockworkers"),
])
def test_the_subject_of_a_passive_is_the_speaker_of_the_verb_it_controls(nlp, text, cue, speaker):
    # "X was forced … and said", "X were left wondering": with no "by …" agent, X does the saying
    report = report_from_text(text, published="2024-08-20")
    spans = [report.body[q.speaker.start:q.speaker.end] for q in _quotes(nlp, report)
             if q.cue is not None and q.cue.text == cue and q.speaker.start is not None]
    assert spans == [speaker]


@pytest.mark.parametrize("text, cue, speaker", [
    ("The delay led several union officials to suspect that the owners wanted the port closed.",
     "suspect", "several union officials"),
    ("The mayor urged Ellen Park to insist that the port stay open.", "insist", "Ellen Park"),
])
def test_the_object_of_a_verb_speaks_for_its_infinitive(nlp, text, cue, speaker):
    # "led X to suspect", "urged X to insist": X suspects or insists, not the verb's subject
    report = report_from_text(text, published="2024-08-20")
    spans = [report.body[q.speaker.start:q.speaker.end] for q in _quotes(nlp, report)
             if q.cue is not None and q.cue.text == cue and q.speaker.start is not None]
    assert spans == [speaker]


@pytest.mark.parametrize("text, cue, speaker", [
    ("The union took the unusual step of criticizing the mediators in public.", "criticizing", "The union"),
    ("Mayor Ellen Park made a point of saying the port would stay open.", "saying", "Mayor Ellen Park"),
])
def test_the_subject_of_a_verb_speaks_for_the_gerund_of_its_object(nlp, text, cue, speaker):
    # "took the step of criticizing", "made a point of saying": the verb's subject does the criticizing
    report = report_from_text(text, published="2024-08-20")
    spans = [report.body[q.speaker.start:q.speaker.end] for q in _quotes(nlp, report)
             if q.cue is not None and q.cue.text == cue and q.speaker.start is not None]
    assert spans == [speaker]
