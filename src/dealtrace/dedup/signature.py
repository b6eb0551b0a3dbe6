"""What the copy index keeps of a report: hashed word shingles, a MinHash, topic terms, quality.

Everything here is a pure function of the body (and the publication date), with stable hashes
(blake2b for words, a fixed polynomial for shingles) so signatures computed in one process can
be compared with signatures stored by another.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import numpy as np

__all__ = ["Signature", "sign", "minhash_rows", "topic_terms", "SHINGLE", "ANCHOR_EVERY", "TOPIC_TERMS"]

SHINGLE = 5  # words per shingle: long enough that shared shingles mean shared passages
ANCHOR_EVERY = 4  # one shingle in this many (by hash) is an anchor for the containment index
TOPIC_TERMS = 24  # salient terms that describe what a report is about
WORD_CACHE = 10_000  # word hashes kept (about 1.2 MB, full within the first few thousand reports); frequent words come back at once after a clear

# Words; in scripts written without spaces (Chinese, Japanese) each character is a word.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(f"[{_CJK}]|[^\\W{_CJK}]+")
_CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-ÞΑ-ΩА-Я]\w{2,}")
_MASK64 = (1 << 64) - 1
_MULT = np.uint64(0x9E3779B97F4A7C15)  # odd constant of the shingle polynomial
_MIX = np.uint64(0xFF51AFD7ED558CCD)

# Lines that a scraper or site template adds around a body: they make a copy look longer
# without making it more complete.
_JUNK_CUE = re.compile(
    r"\b(subscribe|newsletter|sign (up|in)|log ?in|javascript|cookies?|advertisement|share (this|on)|"
    r"leave a (reply|comment)|email address|required fields|rights reserved|powered by|read more|"
    r"click here|follow us|privacy policy|terms of (use|service)|related (articles?|stories)|"
    r"continue reading|comments?|retrieving|recommended)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?…:。！？][\"'”’)\]」』]*\s*$")

# Function words and reporting verbs: never topic terms. Generic English, any negotiation.
_STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself said says say told tell according added adding asked new one two three
first last year years week weeks day days time times people would could may might must just like
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow since still
many much well even back made make makes including another around among however within without
""".split())

_word_cache: dict[str, int] = {}


@dataclass
class Signature:
    """The index's view of one report; `shingles` is sorted and unique (uint32)."""

    id: str
    published: str | None
    shingles: np.ndarray
    clean: int  # words on prose lines: how much real text the report carries
    junk: int  # lines that look like site furniture
    terms: np.ndarray  # uint32 hashes of the topic terms, sorted

    @property
    def size(self) -> int:
        return int(self.shingles.size)


def word_hashes(words: list[str]) -> np.ndarray:
    """Stable 64-bit hashes of words (blake2b, cached: most words repeat across reports)."""
    cache = _word_cache
    missing = set(words).difference(cache)
    if len(cache) + len(missing) > WORD_CACHE:  # a cache, not a vocabulary: ingest memory must not grow
        cache.clear()
        missing = set(words)  # the words that were cached are gone too
    for word in missing:
        cache[word] = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
    return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))


def shingle_hashes(hashes: np.ndarray, size: int = SHINGLE) -> np.ndarray:
    """Hashes of every run of `size` words (one run for shorter texts), as 32-bit values."""
    if hashes.size == 0:
        return np.zeros(0, dtype=np.uint32)
    n = max(1, hashes.size - size + 1)
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(min(size, hashes.size)):
            acc = acc * _MULT + hashes[k:k + n]
        acc ^= acc >> np.uint64(33)
        acc *= _MIX
        acc ^= acc >> np.uint64(33)
    return (acc >> np.uint64(32)).astype(np.uint32)


def _is_prose(line: str, n_words: int) -> bool:
    """Not site furniture: no call-to-action wording in a short line, no stray label."""
    if n_words >= 25:
        return True
    if _JUNK_CUE.search(line):
        return False
    return n_words >= 4 or bool(_SENTENCE_END.search(line))


def topic_terms(body: str, limit: int = TOPIC_TERMS) -> list[str]:
    """The words a report keeps coming back to, capitalised uses counted twice: what it is about."""
    text = unicodedata.normalize("NFKC", body)
    return _terms(text, _WORD.findall(text.casefold()), limit)


def _terms(text: str, words: list[str], limit: int = TOPIC_TERMS) -> list[str]:
    counts = Counter(words)
    for word in _STOP.intersection(counts):
        del counts[word]
    weights = Counter({w: c for w, c in counts.most_common(4 * limit) if len(w) > 2 and not w[0].isdigit()})
    for token, count in Counter(_CAPITALISED.findall(text)).items():
        word = token.casefold()
        if word in weights:
            weights[word] += count
    return [word for word, weight in weights.most_common(limit) if weight >= 2]


def minhash_rows(sets: list[np.ndarray], permutations: np.ndarray) -> np.ndarray:
    """MinHash values of many uint32 sets at once, as datasketch's affine32 scheme computes them.

    `permutations` is a datasketch MinHash's (a, b) pair; row k equals
    ``MinHash(..., hashfunc=int).update_batch(sets[k]).hashvalues`` (checked in the tests),
    an empty set gives the all-max row.
    """
    a, b = (np.asarray(p, dtype=np.uint32) for p in permutations)
    out = np.full((len(sets), a.size), np.iinfo(np.uint32).max, dtype=np.uint32)
    sizes = np.array([x.size for x in sets], dtype=np.int64)
    full = np.flatnonzero(sizes)
    if not full.size:
        return out
    hv = np.concatenate([sets[k] for k in full]).astype(np.uint32)
    with np.errstate(over="ignore"):
        hv ^= hv >> np.uint32(16)  # MurmurHash3 fmix32, the pre-mix datasketch applies
        hv *= np.uint32(0x85EBCA6B)
        hv ^= hv >> np.uint32(13)
        hv *= np.uint32(0xC2B2AE35)
        hv ^= hv >> np.uint32(16)
        starts = np.concatenate([[0], np.cumsum(sizes[full])[:-1]])
        for k in range(a.size):
            out[full, k] = np.minimum.reduceat(hv * a[k] + b[k], starts)
    return out


def sign(report_id: str, body: str, published: str | None = None) -> Signature:
    """The signature of one body; lines that look like site furniture add no shingles."""
    prose: list[str] = []
    junk = 0
    text = unicodedata.normalize("NFKC", body)  # what normalise_body does, as far as \w+ words go
    for line in text.splitlines():
        n_words = len(line.split())
        if n_words < 25:  # count again, the way shingles will (a CJK line has no spaces)
            n_words = len(_WORD.findall(line))
        if not n_words:
            continue
        if _is_prose(line, n_words):
            prose.append(line)
        else:
            junk += 1
    words = _WORD.findall(("\n".join(prose) if prose else text).casefold())
    shingles = np.unique(shingle_hashes(word_hashes(words)))
    terms = np.unique((word_hashes(_terms(text, words)) & np.uint64(0xFFFFFFFF)).astype(np.uint32))
    return Signature(id=report_id, published=published, shingles=shingles, clean=len(words) if prose else 0, junk=junk,
                     terms=terms)
