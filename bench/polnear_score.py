"""Scoring attributions against PolNeAR's brat standoff gold (Source / Cue / Content spans).

An attribution is a set of content spans and a set of source spans, in character offsets of the
article's text file. A system attribution matches a gold one when
  * their content overlaps by at least half of each one's length (|S ∩ G| ≥ 0.5·|G| and ≥ 0.5·|S|), and
  * its source span overlaps a gold source span by at least one character; a gold attribution
    without a source (passives, "it is believed") accepts any system source.
Matching is one-to-one, largest content overlap first. A gold attribution is `direct` when at
least half of its content characters lie inside quotation marks, else `indirect`; system
attributions carry their own kind (dealtrace adds `attribution`: stances and beliefs that are not
statements, which no gold attribution has, so that row has a precision only and its matches count
toward the recall of the gold's kind). Per kind, precision counts system attributions of that kind
and recall gold attributions of that kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

__all__ = ["Attribution", "Scores", "read_ann", "quoted_mask", "kind_of", "overlap", "match", "score", "total", "dev_pairs", "annotator_sets", "agreement"]

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Attribution:
    content: Spans
    source: Spans = ()
    kind: str = "indirect"  # direct | indirect | attribution (system side only)
    cue: Spans = ()

    def length(self) -> int:
        return _length(self.content)


@dataclass
class Scores:
    """Counts for one document (or a kind): they add up across documents."""

    matched_system: int  # system attributions that found a gold partner
    matched_gold: int  # gold attributions that found a system partner
    system: int
    gold: int

    def __add__(self, other: "Scores") -> "Scores":
        return Scores(self.matched_system + other.matched_system, self.matched_gold + other.matched_gold,
                      self.system + other.system, self.gold + other.gold)

    @property
    def precision(self) -> float:
        return self.matched_system / self.system if self.system else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _length(spans: Spans) -> int:
    return sum(end - start for start, end in _union(spans))


def _union(spans: Spans) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def overlap(a: Spans, b: Spans) -> int:
    """Characters two span sets share."""
    total = 0
    for s1, e1 in _union(a):
        for s2, e2 in _union(b):
            total += max(0, min(e1, e2) - max(s1, s2))
    return total


def quoted_mask(text: str) -> list[bool]:
    """For each character, whether it lies inside double quotation marks (curly or straight).

    Marks pair up within a paragraph; a quote left open at a paragraph's end closes there.
    """
    mask = [False] * len(text)
    inside = False
    for i, ch in enumerate(text):
        if ch == "\n":
            inside = False
        elif ch == "“":
            inside = True
        elif ch == "”":
            inside = False
        elif ch == '"':
            inside = not inside
        elif inside:
            mask[i] = True
    return mask


def kind_of(content: Spans, mask: list[bool], text: str) -> str:
    """direct when half or more of the content's non-space characters are quoted."""
    chars = [i for start, end in content for i in range(start, min(end, len(text)))
             if not text[i].isspace() and text[i] not in "“”\""]
    if not chars:
        return "indirect"
    quoted = sum(mask[i] for i in chars)
    return "direct" if quoted >= 0.5 * len(chars) else "indirect"


def _spans(field_text: str) -> Spans:
    """brat offsets "10 20;30 40" -> ((10, 20), (30, 40))."""
    spans = []
    for part in field_text.split(";"):
        start, end = part.split()
        spans.append((int(start), int(end)))
    return tuple(spans)


def read_ann(ann: str, text: str) -> list[Attribution]:
    """The attributions of one brat .ann file, each with its kind from the article text."""
    mask = quoted_mask(text)
    spans: dict[str, tuple[str, Spans]] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = (label, _spans(offsets))
        elif line.startswith("E"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            roles = {}
            for arg in parts[1].split()[1:]:
                role, _, ref = arg.partition(":")
                roles[re.sub(r"\d+$", "", role)] = ref
            events.append(roles)
    found = []
    for roles in events:
        content = spans.get(roles.get("Content", ""), ("", ()))[1]
        if not content:
            continue
        source = spans.get(roles.get("Source", ""), ("", ()))[1]
        cue = spans.get(roles.get("Cue", ""), ("", ()))[1]
        found.append(Attribution(content=content, source=source, kind=kind_of(content, mask, text), cue=cue))
    return found


def _matches(system: Attribution, gold: Attribution, need_source: bool = True) -> int:
    """The content overlap when `system` matches `gold`, else 0."""
    shared = overlap(system.content, gold.content)
    if shared < 0.5 * gold.length() or shared < 0.5 * system.length() or shared == 0:
        return 0
    if need_source and gold.source and not overlap(system.source, gold.source):
        return 0
    return shared


def match(system: list[Attribution], gold: list[Attribution], need_source: bool = True) -> list[tuple[int, int]]:
    """One-to-one pairs (system index, gold index), largest content overlap first."""
    candidates = []
    for i, sys_attr in enumerate(system):
        for j, gold_attr in enumerate(gold):
            shared = _matches(sys_attr, gold_attr, need_source)
            if shared:
                candidates.append((shared, i, j))
    used_s: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in sorted(candidates, key=lambda c: -c[0]):
        if i not in used_s and j not in used_g:
            used_s.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def score(system: list[Attribution], gold: list[Attribution], kind: str | None = None,
          need_source: bool = True) -> Scores:
    """Counts for one document, for every attribution or for one kind.

    A matched pair counts toward precision under the system's kind and toward recall under the
    gold's kind, so a quote the system calls direct and the gold indirect is right overall only.
    """
    pairs = match(system, gold, need_source)
    if kind is None:
        return Scores(len(pairs), len(pairs), len(system), len(gold))
    return Scores(sum(system[i].kind == kind for i, _ in pairs), sum(gold[j].kind == kind for _, j in pairs),
                  sum(a.kind == kind for a in system), sum(a.kind == kind for a in gold))


def total(per_document: list[Scores]) -> Scores:
    """Micro-average: the documents' counts added up."""
    result = Scores(0, 0, 0, 0)
    for scores in per_document:
        result = result + scores
    return result


def dev_pairs(root: Path) -> list[tuple[Path, Path]]:
    """(text, ann) for each article of a PolNeAR compartment; the first annotator's file when several."""
    pairs = []
    anns = sorted((root / "attributions").glob("*.ann"))
    for text in sorted((root / "text").glob("*.txt")):
        own = [a for a in anns if a.stem.rsplit("_", 1)[0] == text.stem]
        if own:
            pairs.append((text, own[0]))
    return pairs


def annotator_sets(root: Path) -> list[tuple[Path, list[Path]]]:
    """(text, every annotator's ann) for the articles of a compartment that several people annotated:
    PolNeAR's annotator-training articles, where each annotator's version can be scored against the others'."""
    anns = sorted((root / "attributions").glob("*.ann"))
    sets = []
    for text in sorted((root / "text").glob("*.txt")):
        own = [a for a in anns if a.stem.rsplit("_", 1)[0] == text.stem]
        if len(own) > 1:
            sets.append((text, own))
    return sets


def agreement(versions: list[list[Attribution]], kind: str | None = None, need_source: bool = True) -> Scores:
    """Counts of every pair of annotators' versions of one article, scored as a system against a gold.

    The pairs' micro-average is the human reference for a system's F1 under the same matching rules
    (F1 is symmetric, so which version plays the gold does not matter)."""
    return total([score(a, b, kind, need_source) for b, a in combinations(versions, 2)])
