"""The parse's components read and written as arrays annotate every token as spaCy's own do.

`nlp/attributes.py` (the AttributeRuler's rules), `nlp/lemmas.py` (the lemmatizer's answers) and
`nlp/paragraphs.py` (sentence starts at line breaks).
"""

from __future__ import annotations

import pytest
import spacy
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from threadpoolctl import threadpool_info

from dealtrace.ingest import read_reports
from dealtrace.model import Report
from dealtrace.nlp import load_nlp
from dealtrace.nlp import trim_pipe_caches
from dealtrace.nlp.attributes import ATTRIBUTES, Table, compile_rules, replace_attribute_ruler
from dealtrace.nlp.blas import one_blas_thread, use_numpy_blas
from dealtrace.nlp.lemmas import ENGLISH_FIXES, CachedLemmas, replace_lemmatizer
from dealtrace.nlp.paragraphs import mark_paragraph_starts
from dealtrace.settings import Settings

_COLUMNS = ["ORTH", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START"]


def _annotations(doc: Doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def _ruler(vocab, entries) -> AttributeRuler:
    ruler = AttributeRuler(vocab)
    ruler.add_patterns(entries)
    return ruler


def _tagged(vocab, words, tags, deps=None, spaces=None) -> Doc:
    doc = Doc(vocab, words=words, spaces=spaces)
    for token, tag in zip(doc, tags):
        token.tag_ = tag
    for token, dep in zip(doc, deps or []):
        token.dep_ = dep
    return doc


def _both(entries, words, tags, deps=None, spaces=None):
    vocab = spacy.blank("en").vocab
    ruler = _ruler(vocab, entries)
    rules = compile_rules(ruler)
    assert rules is not None
    expected = ruler(_tagged(vocab, words, tags, deps, spaces))
    got = rules(_tagged(vocab, words, tags, deps, spaces))
    return _annotations(expected), _annotations(got)


def test_a_later_rule_overrides_an_earlier_one_on_the_same_token():
    entries = [
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
        {"patterns": [[{"TAG": "NNS"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Plur"}},
        {"patterns": [[{"LOWER": "talks", "TAG": "NNS"}]], "attrs": {"LEMMA": "talk", "POS": "PROPN"}},
        {"patterns": [[{"TAG": "NNS"}]], "attrs": {"MORPH": "Number=Plur|Foo=Bar"}},
    ]
    expected, got = _both(entries, ["Talks", "resume", "talks"], ["NNS", "VBP", "NNS"])
    assert got == expected
    assert got[0][1:] == ("NNS", "PROPN", "Foo=Bar|Number=Plur", "talk", "")


def test_rules_match_the_doc_as_it_was_before_any_applied():
    # The first rule rewrites the tag the second one tests: the ruler matches both before writing.
    entries = [
        {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
        {"patterns": [[{"TAG": "XX"}]], "attrs": {"POS": "X"}},
        {"patterns": [[{"TAG": "_SP"}]], "attrs": {"MORPH": "Kind=Space"}},
    ]
    expected, got = _both(entries, ["a", "\n\n", "b"], ["XX", "XX", "_SP"], spaces=[True, False, False])
    assert got == expected
    assert got[1][1:4] == ("_SP", "X", "")  # tagged XX when matched: the XX rule, later, wins POS
    assert got[2][3] == "Kind=Space"


@pytest.mark.parametrize("index", [0, 1, -1, -2])
def test_two_token_patterns_write_to_the_indexed_token(index):
    entries = [{"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "going"}, "index": index},
               {"patterns": [[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "was"]}}]], "attrs": {"POS": "VERB"},
                "index": index}]
    words = ["there", "is", "gon", "na", "be", "a", "deal", "gon"]
    expected, got = _both(entries, words, ["EX", "VBZ", "VBG", "TO", "VB", "DT", "NN", "VBG"],
                          deps=["expl", "ROOT", "aux", "aux", "xcomp", "det", "attr", "dep"])
    assert got == expected


def test_in_not_in_regex_and_flags_are_evaluated_as_the_matcher_does():
    entries = [
        {"patterns": [[{"TAG": {"NOT_IN": ["TO", ""]}, "DEP": {"IN": ["aux", "auxpass"]}}]], "attrs": {"POS": "AUX"}},
        {"patterns": [[{"TAG": {"IN": ["VBP", "VBZ"]}, "LOWER": "ai"}, {"LOWER": {"REGEX": "^n'?t$"}}]],
         "attrs": {"LEMMA": "be"}},
        {"patterns": [[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], "attrs": {"DEP": "dep"}},
        {"patterns": [[{"LOWER": {"REGEX": "^(?:ab|ba)"}}]], "attrs": {"MORPH": "Abbr=Yes"}},
    ]
    words = ["It", "ai", "n't", "over", "\n", "but", "they", "have", "to", "go", "abroad", "nt", "ba"]
    tags = ["PRP", "VBZ", "RB", "RB", "_SP", "CC", "PRP", "VBP", "TO", "VB", "RB", "RB", "NN"]
    deps = ["nsubj", "ROOT", "neg", "advmod", "punct", "cc", "nsubj", "aux", "aux", "conj", "advmod", "neg", ""]
    spaces = [True, False, True, False, False, True, True, True, True, True, True, True, False]
    expected, got = _both(entries, words, tags, deps, spaces)
    assert got == expected
    assert got[1][4] == "be" and got[4][5] == "dep" and got[7][2] == "AUX" and got[8][2] == ""


def test_one_value_rules_in_a_row_become_one_table_keeping_their_place():
    vocab = spacy.blank("en").vocab
    ruler = _ruler(vocab, [
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}},
        {"patterns": [[{"TAG": "VB"}]], "attrs": {"POS": "VERB", "MORPH": "VerbForm=Inf"}},
        {"patterns": [[{"LOWER": "run", "TAG": "NN"}]], "attrs": {"LEMMA": "run"}},
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"MORPH": "Number=Sing"}},
    ])
    rules = compile_rules(ruler).rules
    assert [type(rule).__name__ for rule in rules] == ["Table", "Rule", "Rule"]
    assert isinstance(rules[0], Table) and len(rules[0].keys) == 2


@pytest.mark.parametrize("pattern", [
    [{"LOWER": "a", "OP": "?"}, {"LOWER": "b"}],
    [{"LENGTH": {">=": 3}}],
    [{"_": {"flag": True}}],
    [{"LOWER": {"FUZZY": "talks"}}],
])
def test_what_arrays_cannot_match_exactly_keeps_the_models_component(pattern):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([pattern], {"POS": "NOUN"})
    assert compile_rules(ruler) is None
    assert replace_attribute_ruler(nlp) is False
    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeRuler)


def test_the_pipeline_uses_the_array_components():
    nlp = load_nlp(Settings().nlp)
    assert nlp.get_pipe("attribute_ruler").__class__.__name__ == "TokenRules"
    assert isinstance(nlp.get_pipe("lemmatizer"), CachedLemmas)
    assert ATTRIBUTES not in nlp.pipe_names  # same place and name in the pipeline, so cached parses still match
    layers = [node for _, pipe in nlp.pipeline if hasattr(pipe, "model") for node in pipe.model.walk()]
    assert len(layers) > 50 and all(node.ops.use_blis is False for node in layers)  # numpy's BLAS (nlp/blas.py)


def test_a_parse_uses_one_blas_thread_and_the_setting_is_restored_after():
    blas = [info for info in threadpool_info() if info["user_api"] == "blas"]
    if not blas:
        pytest.skip("no BLAS library loaded that threadpoolctl can see")
    before = [info["num_threads"] for info in blas]
    with one_blas_thread():
        assert {info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"} == {1}
    assert [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"] == before


def test_use_numpy_blas_leaves_a_pipeline_without_models_alone():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    assert use_numpy_blas(nlp) is False


def test_lemmas_come_from_the_models_lemmatizer_once_per_form_and_are_trimmed_with_its_cache():
    nlp = spacy.load(Settings().nlp)
    model = nlp.get_pipe("lemmatizer")
    assert replace_lemmatizer(nlp)
    text = "The envoys were meeting; the envoys met them before. It has been proposed."
    expected = [t.lemma_ for t in spacy.load(Settings().nlp)(text)]
    asked = []
    original = model.lemmatize
    model.lemmatize = lambda token: asked.append(token.text) or original(token)
    try:
        assert [t.lemma_ for t in nlp(text)] == expected
        assert asked.count("envoys") == 1 and "meeting" in asked  # "envoys" twice in the Doc, asked once
        assert [t.lemma_ for t in nlp(text)] == expected and len(asked) == len(set(asked))  # a second Doc: table only
        trim_pipe_caches(nlp, limit=0)
        assert model.cache == {}
        assert [t.lemma_ for t in nlp(text)] == expected
        assert asked.count("envoys") == 2  # trim emptied the table with the cache: asked again
    finally:
        model.lemmatize = original


def test_a_lemma_set_by_the_attribute_rules_is_kept_and_overwrite_mode_is_left_to_the_model():
    nlp = spacy.load(Settings().nlp)
    assert replace_lemmatizer(nlp)
    assert nlp("Gonna meet them.")[0].lemma_ == "go"  # the attribute rules' lemma for "gon" + "na"
    model = nlp.get_pipe("lemmatizer").lemmatizer
    model.overwrite = True
    calls = []
    model_call = type(model).__call__  # the model's own call is what overwrite mode runs

    def spy(self, doc):
        calls.append(doc.text)
        return model_call(self, doc)

    type(model).__call__ = spy
    try:
        doc = nlp("Gonna meet them.")
    finally:
        type(model).__call__ = model_call
    assert calls == ["Gonna meet them."]
    assert doc[0].lemma_ == "gon"  # overwritten by the rules, as spaCy's lemmatizer does in that mode


@pytest.mark.parametrize("text", ["", "One", "\n", "a\n\nb", "a \n \n b\n", "x\n", "A.\n\n\n\nB.\nC.  D.\r\nE"])
def test_paragraph_starts_are_the_tokens_after_a_line_break(text):
    doc = mark_paragraph_starts(spacy.blank("en").make_doc(text))
    expected = [doc[t.i - 1].is_space and "\n" in doc[t.i - 1].text and not t.is_space for t in doc[1:]]
    assert [t.is_sent_start is True for t in doc[1:]] == expected  # the first token always starts one
    assert all(t.is_sent_start is None for t, start in zip(doc[1:], expected) if not start)
    assert any(expected) == ("\n" in text.strip(" ") and text.strip() != "" and len(text.strip().split()) > 1)


def test_paragraph_starts_are_refused_once_the_doc_is_parsed(nlp):
    with pytest.raises(ValueError, match="E043"):
        mark_paragraph_starts(nlp("Parsed.\n\nAlready."))


def _with_lemma_fixes(doc: Doc) -> Doc:
    for token in doc:
        token.lemma_ = ENGLISH_FIXES.get((token.lemma_, token.lower_), token.lemma_)
    return doc


def test_real_reports_get_the_same_annotations_as_the_models_ruler(nlp, demo_dir, shared_dir):
    stock = spacy.load(Settings().nlp)
    stock.add_pipe("dealtrace_paragraphs", before="parser")
    fixed = 0
    texts = [r.body for r in read_reports([demo_dir / "corpus", shared_dir / "corpus"]) if isinstance(r, Report)]
    polnear = sorted((shared_dir / "bench" / "polnear" / "data" / "dev" / "text").glob("*"))[:40]
    texts += [path.read_text(encoding="utf-8", errors="replace") for path in polnear]
    assert len(texts) > 70
    tokens = 0
    for expected, got in zip(stock.pipe(texts), nlp.pipe(texts)):
        lemmas = [t.lemma_ for t in expected]
        expected = _with_lemma_fixes(expected)  # the one deliberate change (nlp/lemmas.py)
        fixed += sum(before != t.lemma_ for before, t in zip(lemmas, expected))
        assert (got.to_array(_COLUMNS) == expected.to_array(_COLUMNS)).all()
        assert [str(t.morph) for t in got] == [str(t.morph) for t in expected]
        tokens += len(got)
    assert tokens > 50_000 and fixed > 0


def test_lemmas_stay_readable_from_one_memory_zone_to_the_next():
    # A word new to the vocabulary gets its lemma's string inside the zone, which drops it after.
    nlp = load_nlp(Settings().nlp)
    text = "The envoys zorblaxed the delegates, who were vrellmooring."  # lemmas no token's own strings hold
    with nlp.memory_zone():
        first = [t.lemma_ for t in nlp(text)]
    with nlp.memory_zone():
        assert [t.lemma_ for t in nlp(text)] == first
    assert "zorblaxe" in first and "vrellmoore" in first


def test_lemmas_the_english_rules_get_wrong_are_given_back_and_the_parse_key_says_so(nlp):
    from dealtrace.nlp import nlp_key

    doc = nlp("She hopes he hoped, hoping they hopped; he hates hats and hops.")
    assert {t.text: t.lemma_ for t in doc if t.text.startswith(("hop", "hat"))} == {
        "hopes": "hope", "hoped": "hope", "hoping": "hope", "hopped": "hop", "hates": "hate", "hats": "hat",
        "hops": "hop"}
    stock = spacy.load(Settings().nlp)(doc.text)
    assert [t.lemma_ for t in stock if t.text in ("hopes", "hates")] == ["hop", "hat"]  # why the fix is there
    assert nlp_key(nlp).endswith("+paragraphs+lemmafix")
