"""The one spaCy pass per report: load the pipeline once, parse in batches, cache the Docs."""

from __future__ import annotations

import functools
import logging
import threading
import zlib
from typing import Iterable, Iterator

import numpy
import spacy
import srsly
from spacy.attrs import SPACY
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from ..errors import DealtraceError, Errors
from ..model import Report
from ..settings import Settings
from .attributes import replace_attribute_ruler
from .blas import one_blas_thread, use_numpy_blas
from .heap import keep_large_blocks_mapped
from .lemmas import replace_lemmatizer
from .paragraphs import PARAGRAPHS

__all__ = ["load_nlp", "parse_reports", "doc_to_bytes", "doc_from_bytes", "nlp_key", "trim_pipe_caches"]

log = logging.getLogger(__name__)
_ATTRS = ["ORTH", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "LEMMA", "POS", "MORPH", "SENT_START", "SPACY"]


@functools.lru_cache(maxsize=4)
def load_nlp(name: str) -> Language:
    """Load a spaCy pipeline by package name or path; never downloads anything."""
    try:
        nlp = spacy.load(name)
    except (OSError, ImportError) as e:
        raise DealtraceError(Errors.E031.format(name=name, detail=str(e).splitlines()[0])) from None
    nlp.max_length = max(nlp.max_length, 5_000_000)
    if "parser" in nlp.pipe_names and PARAGRAPHS not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS, before="parser")  # a sentence never runs over a paragraph break
    replace_attribute_ruler(nlp)  # the same annotations by array lookups (nlp/attributes.py)
    replace_lemmatizer(nlp)  # the same lemmas, asked once per word form (nlp/lemmas.py)
    use_numpy_blas(nlp)  # the same products in a third of the time (nlp/blas.py)
    return nlp


def nlp_key(nlp: Language) -> str:
    """Names the pipeline and version a cached parse came from, so a new model re-parses."""
    paragraphs = "+paragraphs" if PARAGRAPHS in nlp.pipe_names else ""
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    fixes = "+lemmafix" if getattr(lemmatizer, "fixes", None) else ""
    return f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}{paragraphs}{fixes}"


PIPE_CACHE_LIMIT = 20_000  # entries of a component's own cache (about 4 MB for the lemmatizer's); reached by 10k reports


def trim_pipe_caches(nlp: Language, limit: int = PIPE_CACHE_LIMIT) -> None:
    """Empty a component's cache past `limit` entries, so a long ingest does not keep every word it met.

    spaCy's rule lemmatizer keeps the forms of every (word, tag, morphology) it has seen, outside
    any memory zone; the lemmas are the same when worked out again.
    """
    for _, pipe in nlp.pipeline:
        for cache in (getattr(pipe, "cache", None), getattr(pipe, "table", None)):  # table: nlp/lemmas.py's
            if isinstance(cache, dict) and len(cache) > limit:
                cache.clear()


def parse_reports(reports: Iterable[Report], settings: Settings) -> Iterator[tuple[Report, Doc]]:
    """Parse report bodies in batches, keeping each report with its Doc."""
    nlp = load_nlp(settings.nlp)
    keep_large_blocks_mapped()  # the parse's batch arrays, freed after each batch, leave no holes
    pairs = ((report.body, report) for report in reports)
    with one_blas_thread():
        for doc, report in nlp.pipe(pairs, as_tuples=True, batch_size=settings.batch_size,
                                    n_process=settings.n_process):
            yield report, doc


# The token attributes whose strings `DocBin.add` collects (text, tag_, lemma_, norm_, morph, dep_, ent_type_,
# ent_kb_id_, ent_id_); MORPH is the fifth.
_STRING_ATTRS = ["ORTH", "TAG", "LEMMA", "NORM", "MORPH", "DEP", "ENT_TYPE", "ENT_KB_ID", "ENT_ID"]
_MORPH_COLUMN = 4
_PACKERS = threading.local()


def doc_to_bytes(doc: Doc) -> bytes:
    """The bytes `DocBin(attrs=_ATTRS, store_user_data=False)` with `doc` added writes, made more cheaply.

    `DocBin.add` reads nine string properties of every token, and `DocBin.to_bytes` makes a
    msgpack packer that looks up srsly's registered encoders (a scan of installed entry points,
    about 0.3 ms) on every call; here the strings come from one `to_array` and one lookup per
    distinct value, and each thread keeps one packer. The message is the one DocBin builds.
    """
    layout = _layout()
    tokens = doc.to_array(layout.attrs)
    if len(tokens.shape) == 1:
        tokens = tokens.reshape((tokens.shape[0], 1))
    spaces = numpy.asarray(doc.to_array(SPACY).reshape((-1, 1)), dtype=bool)
    message = {
        "version": layout.version,
        "attrs": layout.attrs,
        "tokens": numpy.vstack([tokens]).tobytes("C"),
        "spaces": numpy.vstack([spaces]).tobytes("C"),
        "lengths": numpy.asarray([len(tokens)], dtype="int32").tobytes("C"),
        "strings": sorted(_token_strings(doc)),
        "cats": [doc.cats],
        "flags": [{"has_unknown_spaces": doc.has_unknown_spaces}],
        "span_groups": [doc.spans.to_bytes()],
    }
    return zlib.compress(_packer().pack(message))


@functools.lru_cache(maxsize=1)
def _layout() -> DocBin:
    """An empty DocBin of our attributes: its attribute order and format version."""
    return DocBin(attrs=_ATTRS, store_user_data=False)


def _packer() -> srsly.msgpack.Packer:
    """This thread's packer, with the options `srsly.msgpack_dumps` uses."""
    packer = getattr(_PACKERS, "packer", None)
    if packer is None:
        packer = _PACKERS.packer = srsly.msgpack.Packer(use_bin_type=True)
    return packer


def _token_strings(doc: Doc) -> set[str]:
    """Every string `DocBin.add` collects from the Doc's tokens (an empty morphology is written "")."""
    strings = doc.vocab.strings
    empty_morph = doc.vocab.morphology.EMPTY_MORPH
    found: set[str] = set()
    for column, values in enumerate(doc.to_array(_STRING_ATTRS).reshape((len(doc), len(_STRING_ATTRS))).T):
        for key in numpy.unique(values).tolist():
            text = strings[key]
            found.add("" if column == _MORPH_COLUMN and text == empty_morph else text)
    return found


def doc_from_bytes(data: bytes, nlp: Language) -> Doc:
    return next(iter(DocBin().from_bytes(data).get_docs(nlp.vocab)))
