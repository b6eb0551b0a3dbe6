"""The models' matrix products on numpy's BLAS, one thread per parsing process.

thinc multiplies a model's matrices with BLIS by default. On the machines dealtrace was measured
on, numpy's OpenBLAS does the same single-precision products in about a third of the CPU time,
and those products are most of the parse (the CNN token encoders of the tagger and parser and of
the entity recognizer). `NumpyOps(use_blis=False)` is thinc's own switch to numpy's `dot`; the
parses came out identical token by token on the corpora compared (tests/test_nlp_arrays.py, and
264k tokens of PolNeAR's training articles), though two BLAS libraries may round a product's last
bit differently. OpenBLAS would start a thread per core for each product; the products are small,
the machine's other cores have their own parses or Dask workers to run, so `one_blas_thread`
keeps a parse to one.
"""

from __future__ import annotations

import contextlib
from typing import Iterator

from spacy.language import Language
from thinc.api import Model, NumpyOps
from threadpoolctl import threadpool_limits

__all__ = ["use_numpy_blas", "one_blas_thread"]


def use_numpy_blas(nlp: Language) -> bool:
    """Point every layer of the pipeline's models at numpy's BLAS; False when they are not on the CPU."""
    ops = NumpyOps(use_blis=False)
    models = [pipe.model for _, pipe in nlp.pipeline if isinstance(getattr(pipe, "model", None), Model)]
    if not models or any(not isinstance(node.ops, NumpyOps) for model in models for node in model.walk()):
        return False  # a GPU or another backend: left as loaded
    for model in models:
        for node in model.walk():
            node.ops = ops
    return True


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    with threadpool_limits(limits=1, user_api="blas"):
        yield
