"""The parse cache's bytes: `doc_to_bytes` writes what spaCy's DocBin writes, and reads back the same Doc."""

from __future__ import annotations

import pytest
from spacy.tokens import DocBin

from dealtrace.ingest import read_reports
from dealtrace.model import Report
from dealtrace.nlp import _ATTRS, doc_from_bytes, doc_to_bytes


def _docbin_bytes(doc) -> bytes:
    doc_bin = DocBin(attrs=_ATTRS, store_user_data=False)
    doc_bin.add(doc)
    return doc_bin.to_bytes()


@pytest.fixture(scope="module")
def demo_docs(nlp, demo_dir):
    bodies = [r.body for r in read_reports([demo_dir / "corpus"]) if isinstance(r, Report)]
    return list(nlp.pipe(bodies + ["", "\n\n", "One word", "Ms. Ravik’s aide said: “No.”  Spaces\tand tabs."]))


def test_doc_to_bytes_writes_the_bytes_docbin_writes(demo_docs):
    assert len(demo_docs) > 30
    for doc in demo_docs:
        assert doc_to_bytes(doc) == _docbin_bytes(doc)


def test_doc_to_bytes_reads_back_every_stored_attribute(demo_docs, nlp):
    for doc in demo_docs[:5]:
        back = doc_from_bytes(doc_to_bytes(doc), nlp)
        assert back.text == doc.text
        assert [(t.lemma_, t.tag_, t.dep_, t.head.i, t.ent_type_, str(t.morph)) for t in back] == \
            [(t.lemma_, t.tag_, t.dep_, t.head.i, t.ent_type_, str(t.morph)) for t in doc]


@pytest.mark.parametrize("text", [
    "Talks stall in Geneva\n\nNegotiators left the room on Monday after the union said no.",
    "The union said it would “not sign.”\n\n“We will not sign this,” Kell said.",
    "Kell also said that the ministry has done an “awful” job of covering the “talks.”\n\n"
    "“The ministry has done an awful job this month,” Kell said.",
])
def test_sentences_never_run_over_a_paragraph_break(nlp, text):
    # the bare parser joins each of these paragraphs into one sentence
    doc = nlp(text)
    assert not [s.text for s in doc.sents if "\n" in s.text.strip()]


def test_parse_key_names_the_paragraph_component(nlp):
    from dealtrace.nlp import nlp_key

    assert nlp_key(nlp).endswith("+paragraphs+lemmafix")


def test_trim_pipe_caches_empties_the_lemmatizer_past_its_bound_and_lemmas_stay(nlp):
    from dealtrace.nlp import trim_pipe_caches

    text = "The negotiators were meeting again; the envoys had proposed two drafts and rejected three."
    lemmatizer = nlp.get_pipe("lemmatizer")
    before = [t.lemma_ for t in nlp(text)]
    assert len(lemmatizer.cache) > 5
    trim_pipe_caches(nlp, limit=len(lemmatizer.cache))  # at the bound: kept
    assert len(lemmatizer.cache) > 5
    trim_pipe_caches(nlp, limit=5)
    assert lemmatizer.cache == {} and lemmatizer.table == {}
    assert [t.lemma_ for t in nlp(text)] == before
    # the table also holds forms the model answers without caching them: it has its own bound
    nlp("Smith, Jones and Brown met in Oslo; Paris, Rome.")
    assert len(lemmatizer.table) > len(lemmatizer.cache)
    table = len(lemmatizer.table)
    trim_pipe_caches(nlp, limit=len(lemmatizer.cache))
    assert lemmatizer.table == {} and table > 0
