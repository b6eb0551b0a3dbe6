"""The model's attribute rules applied as array lookups: same annotations, a fraction of the time.

English pipelines map each fine-grained tag to its coarse part of speech and morphology, and fix a
few dozen words, with an `AttributeRuler`: 179 token patterns run through spaCy's `Matcher` over
every token of every report. In the ingest that costs about a sixth of the whole parse, as much as
the dependency parser. Nearly all of those patterns are single tokens tested for equality, so the
same rules can be read as arrays: find which rules have a chance in a Doc (their words and tags
occur in it), mark the tokens each one matches with numpy, and write the winning values back in
one `Doc.from_array`. Rules keep the ruler's order (a later rule overrides an earlier one) and are
matched on the Doc as it was before any of them applied, as the ruler does.

`compile_rules` accepts only what it can evaluate exactly (token attributes compared by value,
`IN`, `NOT_IN`, `REGEX`, patterns of fixed length); for anything else it returns None and
`load_nlp` keeps the model's own component. tests/nlp/test_attributes.py compares both on real
reports, token by token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy
from spacy.attrs import IDS, MORPH
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = ["ATTRIBUTES", "TokenRules", "compile_rules", "replace_attribute_ruler"]

ATTRIBUTES = "dealtrace_attributes"
_STRING_ATTRS = {"ORTH", "LOWER", "NORM", "TAG", "DEP", "POS", "LEMMA", "ENT_TYPE", "SHAPE", "PREFIX", "SUFFIX"}
_SETTABLE = {"TAG", "POS", "MORPH", "LEMMA", "DEP"}

# A token test: (column of the Doc array, kind, operand). Kinds: "eq" (a value), "in" / "not_in"
# (a set of values), "regex" (a compiled pattern searched in the attribute's string).
Test = tuple[str, str, object]


@dataclass(frozen=True)
class Rule:
    """One ruler entry: alternative token sequences and the attributes its target token gets."""

    sequences: tuple[tuple[tuple[Test, ...], ...], ...]
    index: int
    attrs: tuple[tuple[str, int], ...]  # (attribute name, value id), in the ruler's order
    needs: tuple[tuple[str, frozenset[int]], ...]  # per sequence, values of a column it cannot match without


@dataclass(frozen=True)
class Table:
    """A run of one-token rules that each test one column for one value: one lookup for all of them.

    Their tokens cannot overlap (one value per token), so their order among themselves is moot; the
    run keeps its place among the other rules.
    """

    column: str
    keys: numpy.ndarray  # sorted values of the column
    attrs: tuple[tuple[str, numpy.ndarray, numpy.ndarray], ...]  # (attribute, which keys set it, value per key)

    def writes(self, values: numpy.ndarray) -> list[tuple[str, numpy.ndarray, numpy.ndarray]]:
        slot = numpy.searchsorted(self.keys, values).clip(0, len(self.keys) - 1)
        found = self.keys[slot] == values
        writes = []
        for name, sets, per_key in self.attrs:
            targets = found & sets[slot]
            if targets.any():
                writes.append((name, targets, per_key[slot[targets]]))
        return writes


class TokenRules:
    """Applies compiled ruler entries to Docs; the component behind ATTRIBUTES."""

    def __init__(self, vocab: Vocab, rules: list[Rule | Table]):
        self.vocab = vocab
        self._regex_hits: dict[tuple[str, int], bool] = {}
        self.use(rules)

    def use(self, rules: list[Rule | Table]) -> None:
        self.rules = rules
        self.columns = sorted({rule.column for rule in rules if isinstance(rule, Table)}
                              | {test[0] for rule in rules if isinstance(rule, Rule)
                                 for seq in rule.sequences for pos in seq for test in pos})

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0 or not self.rules:
            return doc
        values = doc.to_array(self.columns).reshape(len(doc), len(self.columns))
        column = {name: values[:, i] for i, name in enumerate(self.columns)}
        present = {name: set(numpy.unique(column[name]).tolist()) for name in self.columns}
        writes: list[tuple[str, numpy.ndarray, object]] = []
        for rule in self.rules:
            if isinstance(rule, Table):
                writes.extend(rule.writes(column[rule.column]))
                continue
            if rule.needs and all(present[name].isdisjoint(wanted) for name, wanted in rule.needs):
                continue
            targets = self._targets(rule, column, len(doc))
            if targets is not None and targets.any():
                writes.extend((name, targets, value) for name, value in rule.attrs)
        if writes:
            self._write(doc, writes)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def _targets(self, rule: Rule, column: dict[str, numpy.ndarray], length: int) -> numpy.ndarray | None:
        hit = None
        for sequence in rule.sequences:
            width = len(sequence)
            if width > length:
                continue
            starts = numpy.ones(length - width + 1, dtype=bool)
            for offset, tests in enumerate(sequence):
                for name, kind, operand in tests:
                    starts &= self._test(column[name][offset:length - width + 1 + offset], kind, operand)
            target = rule.index if rule.index >= 0 else width + rule.index
            marks = numpy.zeros(length, dtype=bool)
            marks[target:target + len(starts)] = starts
            hit = marks if hit is None else hit | marks
        return hit

    def _test(self, values: numpy.ndarray, kind: str, operand) -> numpy.ndarray:
        if kind == "eq":
            return values == operand
        if kind in ("in", "not_in"):
            hit = _one_of(values, operand)
            return hit if kind == "in" else ~hit
        strings = self.vocab.strings
        unique = numpy.unique(values)
        matching = [value for value in unique.tolist() if self._regex_hit(value, operand, strings)]
        return _one_of(values, numpy.array(matching, dtype=values.dtype))

    def _regex_hit(self, value: int, pattern: re.Pattern, strings) -> bool:
        key = (pattern.pattern, value)
        hit = self._regex_hits.get(key)
        if hit is None:
            hit = bool(pattern.search(strings[value] if value else ""))
            if len(self._regex_hits) < 10_000:  # words met, bounded for a long ingest
                self._regex_hits[key] = hit
        return hit

    def _write(self, doc: Doc, writes: list[tuple[str, numpy.ndarray, object]]) -> None:
        names = sorted({name for name, _, _ in writes})
        out = doc.to_array(names).reshape(len(doc), len(names))
        where = {name: i for i, name in enumerate(names)}
        for name, targets, value in writes:
            out[targets, where[name]] = value
        doc.from_array([IDS[name] for name in names], out)


def _one_of(values: numpy.ndarray, wanted: numpy.ndarray) -> numpy.ndarray:
    if len(wanted) > 8:
        return numpy.isin(values, wanted)
    hit = numpy.zeros(len(values), dtype=bool)
    for value in wanted:
        hit |= values == value
    return hit


def compile_rules(ruler: AttributeRuler) -> TokenRules | None:
    """The ruler's entries as array rules, or None when one uses what arrays cannot match exactly."""
    names = {value: key for key, value in IDS.items()}
    rules: list[Rule] = []
    for entry, attrs, index in zip(ruler.patterns, ruler.attrs, ruler.indices):
        if any(not isinstance(key, int) or names.get(key) not in _SETTABLE for key in attrs):
            return None
        sequences = []
        for pattern in entry["patterns"]:
            sequence = _compile_sequence(pattern, ruler.vocab)
            if sequence is None or not -len(sequence) <= index < len(sequence):
                return None
            sequences.append(sequence)
        needs = [_needed_values(sequence) for sequence in sequences]
        rules.append(Rule(tuple(sequences), index, tuple((names[key], int(value)) for key, value in attrs.items()),
                          tuple(needs) if all(needs) else ()))
    return TokenRules(ruler.vocab, _tabulate(rules))


def _lookup_key(rule: Rule) -> tuple[str, int] | None:
    if len(rule.sequences) == 1 and len(rule.sequences[0]) == 1 and len(rule.sequences[0][0]) == 1:
        name, kind, operand = rule.sequences[0][0][0]
        if kind == "eq":
            return name, operand
    return None


def _tabulate(rules: list[Rule]) -> list[Rule | Table]:
    """Runs of one-value rules on the same column, each run made one Table."""
    out: list[Rule | Table] = []
    run: list[tuple[int, Rule]] = []
    for rule in rules + [None]:
        key = _lookup_key(rule) if rule is not None else None
        if run and (key is None or key[0] != _lookup_key(run[0][1])[0] or key[1] in {v for v, _ in run}):
            out.append(_table(run) if len(run) > 1 else run[0][1])
            run = []
        if key is not None:
            run.append((key[1], rule))
        elif rule is not None:
            out.append(rule)
    return out


def _table(run: list[tuple[int, Rule]]) -> Table:
    run = sorted(run, key=lambda item: item[0])
    keys = numpy.array([value for value, _ in run], dtype=numpy.uint64)
    attrs = []
    for name in sorted({name for _, rule in run for name, _ in rule.attrs}):
        per_rule = [dict(rule.attrs).get(name) for _, rule in run]
        sets = numpy.array([value is not None for value in per_rule])
        values = numpy.array([value or 0 for value in per_rule], dtype=numpy.uint64)
        attrs.append((name, sets, values))
    return Table(_lookup_key(run[0][1])[0], keys, tuple(attrs))


def _compile_sequence(pattern, vocab: Vocab) -> tuple[tuple[Test, ...], ...] | None:
    sequence = []
    for token in pattern:
        if not isinstance(token, dict) or not token:
            return None
        tests = []
        for key, spec in token.items():
            test = _compile_test(key.upper(), spec, vocab)
            if test is None:
                return None
            tests.append(test)
        sequence.append(tuple(tests))
    return tuple(sequence) or None


def _compile_test(key: str, spec, vocab: Vocab) -> Test | None:
    if key.startswith("IS_") and key in IDS and isinstance(spec, bool):
        return (key, "eq", int(spec))
    if key not in _STRING_ATTRS:
        return None  # OP, LENGTH, extension attributes...: left to the Matcher
    if isinstance(spec, str):
        return (key, "eq", _string_id(spec, vocab))
    if isinstance(spec, dict) and len(spec) == 1:
        (operator, operand), = spec.items()
        if operator in ("IN", "NOT_IN") and isinstance(operand, list) and all(isinstance(s, str) for s in operand):
            values = numpy.array([_string_id(s, vocab) for s in operand], dtype=numpy.uint64)
            return (key, operator.lower(), values)
        if operator == "REGEX" and isinstance(operand, str):
            return (key, "regex", re.compile(operand))
    return None


def _string_id(text: str, vocab: Vocab) -> int:
    return vocab.strings.add(text) if text else 0


_SELECTIVE = ("ORTH", "LOWER", "NORM", "LEMMA", "SHAPE", "PREFIX", "SUFFIX", "TAG", "POS", "DEP", "ENT_TYPE")


def _needed_values(sequence) -> tuple[str, frozenset[int]] | None:
    """Values of a column one of which the Doc must hold for the sequence to match (rarest column first)."""
    found = [(name, frozenset([operand]) if kind == "eq" else frozenset(int(v) for v in operand))
             for tests in sequence for name, kind, operand in tests if kind in ("eq", "in") and name in _SELECTIVE]
    return min(found, key=lambda item: _SELECTIVE.index(item[0])) if found else None


@Language.factory(ATTRIBUTES)
def make_token_rules(nlp: Language, name: str) -> TokenRules:
    return TokenRules(nlp.vocab, [])


def replace_attribute_ruler(nlp: Language, make: Callable[[AttributeRuler], TokenRules | None] = compile_rules) -> bool:
    """Swap the model's attribute ruler for its array form when every entry compiles."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    if not isinstance(ruler, AttributeRuler):
        return False
    rules = make(ruler)
    if rules is None:
        return False
    nlp.replace_pipe("attribute_ruler", ATTRIBUTES)
    nlp.get_pipe("attribute_ruler").use(rules.rules)
    return True
