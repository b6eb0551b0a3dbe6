"""The model's lemmatizer, asked once per (word, part of speech, morphology) instead of once per token.

spaCy's lemmatizer walks every token as a Python object to read its text and part of speech,
looks the pair up in its cache and writes the lemma back through the token: about 4 µs a token,
most of it building Token objects. Its rule and lookup modes both give one lemma per (word, part
of speech, morphology): the rule mode reads nothing else of a token and caches its answers under
that triple. So the same lemmas can be read from a table keyed by the triple, taken from three
columns of the Doc's array, and written back in one `Doc.from_array`. A triple the table lacks is
asked of the model's own lemmatizer, on the token itself, and its answer kept. `trim_pipe_caches`
empties the table past the same bound as the model's cache: it also holds the forms the model
answers without caching (punctuation, proper nouns), so it needs its own.

One deliberate change: a few forms the English rules cut to another word ("hoping", "hoped",
"hopes" -> "hop"; "hates" -> "hat") get their own lemma back (`ENGLISH_FIXES`), so that every
extractor's verb lists see them; `nlp_key` names the change, so cached parses are made again.
"""

from __future__ import annotations

from typing import Iterable

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

__all__ = ["LEMMAS", "ENGLISH_FIXES", "CachedLemmas", "replace_lemmatizer"]

LEMMAS = "dealtrace_lemmas"

# (the rules' lemma, the word in lower case) -> its lemma: verbs the English rules take for another word.
ENGLISH_FIXES = {("hop", "hoping"): "hope", ("hop", "hoped"): "hope", ("hop", "hopes"): "hope",
                 ("hat", "hates"): "hate"}


class CachedLemmas:
    """Sets the lemmas the model's lemmatizer would, from a table of its answers."""

    def __init__(self) -> None:
        self.lemmatizer: Lemmatizer | None = None
        self.table: dict[tuple[int, int, int], str] = {}
        self.fixes: dict[tuple[str, str], str] = {}

    @property
    def cache(self) -> dict:
        """The model's own cache, which `trim_pipe_caches` empties past its limit."""
        return self.lemmatizer.cache if self.lemmatizer is not None else {}

    def use(self, model: Lemmatizer, fixes: dict[tuple[str, str], str] | None = None) -> None:
        self.lemmatizer = model
        self.table = {}
        self.fixes = dict(fixes or {})

    def __call__(self, doc: Doc) -> Doc:
        model = self.lemmatizer
        if model is None or len(doc) == 0:
            return doc
        if model.overwrite or not hasattr(model, "cache"):
            return model(doc)
        columns = doc.to_array([ORTH, POS, MORPH, LEMMA])
        strings = doc.vocab.strings
        table = self.table
        known: dict[tuple[int, int, int], int] = {}  # hashes for this Doc: a memory zone's strings end with it
        lemmas = columns[:, 3]
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(columns.tolist()):
            if lemma:
                continue  # set before (the attribute rules): the model's lemmatizer keeps it too
            key = (orth, pos, morph)
            value = known.get(key)
            if value is None:
                text = table.get(key)
                if text is None:
                    token = doc[i]
                    text = model.lemmatize(token)[0]
                    text = table[key] = self.fixes.get((text, token.lower_), text)
                value = known[key] = strings.add(text)
            lemmas[i] = value
            changed = True
        if changed:
            doc.from_array([LEMMA], lemmas)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory(LEMMAS)
def make_cached_lemmas(nlp: Language, name: str) -> CachedLemmas:
    return CachedLemmas()


def replace_lemmatizer(nlp: Language) -> bool:
    """Put the table in the model's lemmatizer's place, asking that lemmatizer what the table lacks."""
    if "lemmatizer" not in nlp.pipe_names:
        return False
    model = nlp.get_pipe("lemmatizer")
    if not isinstance(model, Lemmatizer) or model.mode not in ("rule", "lookup"):
        return False
    nlp.replace_pipe("lemmatizer", LEMMAS)
    nlp.get_pipe("lemmatizer").use(model, ENGLISH_FIXES if nlp.lang == "en" and model.mode == "rule" else None)
    return True
