"""Sides and the generic data behind them: which side a phrase names, in any negotiation.

A profile names each side and some aliases; `side_for_text` extends them with what the world
gazetteer (``data/countries.tsv``: other names, demonyms, capitals) knows about a side that is a
country, and with regular demonyms of any one-word name (Veloria -> Velorian), so "U.S.
officials", "Cairo" and "the Calvoran mediators" all find their side. Also the loaders of the
generic word lists in ``dealtrace/data`` that the actors extractor and the bootstrap share.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from ..model import Profile, Side
from .common import PHRASE_CACHE, fold

__all__ = ["data_lines", "word_set", "Country", "countries", "demonym_forms", "is_demonym_of", "side_aliases",
           "side_for_text", "side_matches"]

_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


# -- generic data files -----------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def data_lines(name: str) -> tuple[str, ...]:
    """The non-comment lines of a data file shipped in ``dealtrace/data``."""
    text = resources.files("dealtrace").joinpath("data", name).read_text(encoding="utf-8")
    return tuple(line.rstrip("\n") for line in text.splitlines() if line.strip() and not line.startswith("#"))


@functools.lru_cache(maxsize=None)
def word_set(name: str) -> frozenset[str]:
    return frozenset(line.strip().casefold() for line in data_lines(name))


@dataclass(frozen=True)
class Country:
    name: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]


@functools.lru_cache(maxsize=None)
def countries() -> tuple[Country, ...]:
    """The world gazetteer: names, other names, demonyms and capitals."""
    out = []
    for line in data_lines("countries.tsv"):
        cols = (line.split("\t") + ["", "", ""])[:4]
        split = lambda col: tuple(x.strip() for x in col.split(";") if x.strip())  # noqa: E731
        out.append(Country(cols[0].strip(), split(cols[1]), split(cols[2]), split(cols[3])))
    return tuple(out)


def demonym_forms(name: str) -> set[str]:
    """Regular demonyms of a place name (Veloria -> Velorian, Qatar -> Qatari, Norvane -> Norvanian)."""
    base = name.strip()
    if " " in base or len(base) < 4:
        return set()
    stems = {base, base[:-1]} if base[-1] in "aeiouy" else {base}
    forms = set()
    for stem in stems:
        forms.update({stem + "i", stem + "n", stem + "an", stem + "ian", stem + "ese", stem + "ish"})
    return forms - {base}


def is_demonym_of(word: str, name: str) -> bool:
    """Whether `word` reads as a regular demonym of place `name` (shared stem, demonym ending)."""
    return word in demonym_forms(name) or any(word.casefold() == f.casefold() for f in demonym_forms(name))


# -- sides ----------------------------------------------------------------------------------------

_SIGNATURES: dict[tuple, tuple] = {}


def _profile_signature(profile: Profile) -> tuple:
    """The sides and aliases that key the caches below, one shared tuple per distinct profile: a
    fresh tuple per call would be held by each of their thousands of entries."""
    signature = tuple((s.name, tuple(s.aliases)) for s in profile.sides)
    if len(_SIGNATURES) > 256:
        _SIGNATURES.clear()
    return _SIGNATURES.setdefault(signature, signature)


@functools.lru_cache(maxsize=64)
def _alias_table(signature: tuple) -> tuple[tuple[str, str, bool], ...]:
    """(alias, side name, case-sensitive) rows, longest alias first.

    A side's own aliases are extended with what the gazetteer knows about the country it names
    (other names, demonyms, capitals) and with regular demonyms of its name, plus plurals.
    Aliases written in capitals (acronyms: "US", "KPF") match case-sensitively so "us" does not.
    """
    rows: dict[str, tuple[str, bool]] = {}

    def add(alias: str, side: str) -> None:
        alias = alias.strip()
        if len(alias) < 2:
            return
        exact = alias.replace(".", "").isupper() and len(alias.replace(".", "")) <= 5
        key = alias if exact else fold(alias)
        rows.setdefault(key, (side, exact))
        if not exact and key.startswith("the "):
            rows.setdefault(key[4:], (side, exact))

    for name, aliases in signature:
        names = [name, *aliases]
        folded = {fold(n) for n in names}
        for alias in names:
            add(alias, name)
        for country in countries():
            if fold(country.name) in folded or any(fold(n) in folded for n in country.names):
                for alias in [country.name, *country.names, *country.capitals]:
                    add(alias, name)
                for demonym in country.demonyms:
                    add(demonym, name)
                    add(demonym + "s", name)
        if len(name.split()) == 1:
            for form in demonym_forms(name):
                add(form, name)
                add(form + "s", name)
        for alias in aliases:  # "Israeli" -> "Israelis"
            if re.fullmatch(r"[A-Z][a-z]+(an|i|ese)", alias):
                add(alias + "s", name)
    return tuple(sorted(((a, s, e) for a, (s, e) in rows.items()), key=lambda r: -len(r[0])))


def side_aliases(profile: Profile) -> tuple[tuple[str, str, bool], ...]:
    """Every name a side of `profile` goes by: (alias, side name, case-sensitive), longest first."""
    return _alias_table(_profile_signature(profile))


@functools.lru_cache(maxsize=64)
def _alias_regex(signature: tuple) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, dict[str, str]]:
    table = _alias_table(signature)
    owner = {a: s for a, s, _ in table}
    folded = [re.escape(a) for a, _, e in table if not e]
    exact = [re.escape(a) for a, _, e in table if e]
    bound = r"(?<![\w.]){}(?![\w])"
    return (re.compile(bound.format("(" + "|".join(folded) + ")")) if folded else None,
            re.compile(bound.format("(" + "|".join(exact) + ")")) if exact else None, owner)


def side_for_text(profile: Profile, text: str | None, whole: bool = False) -> Side | None:
    """The side a phrase names: the earliest side alias in it (or the whole phrase when `whole`).

    "the Israeli intelligence service Mossad", "a senior Hamas official", "U.S. officials" and
    "Cairo" each name one side when the profile (or the gazetteer behind it) knows the alias.
    """
    found = side_matches(profile, text, whole)
    if not found:
        return None
    name = min(found)[2]
    return next((s for s in profile.sides if s.name == name), None)


def side_matches(profile: Profile, text: str | None, whole: bool = False) -> list[tuple[int, int, str, str]]:
    """(position, -length, side name, alias) of each side alias found in `text`."""
    if not text or not profile.sides:
        return []
    return list(_side_matches(_profile_signature(profile), text, whole))


_CURLY_SINGLE = re.compile(r"[\u2018\u2019]")


@functools.lru_cache(maxsize=PHRASE_CACHE)
def _side_matches(signature: tuple, text: str, whole: bool) -> tuple[tuple[int, int, str, str], ...]:
    """`side_matches` for one profile's sides, kept for the last few thousand texts: a report names
    the same few entities over and over, and every extractor asks for their sides."""
    folded_re, exact_re, owner = _alias_regex(signature)
    plain = _CURLY_SINGLE.sub("'", text)
    found: list[tuple[int, int, str]] = []
    if folded_re is not None:
        for m in folded_re.finditer(fold(plain)):
            found.append((m.start(), -len(m.group(1)), owner[m.group(1)], m.group(1)))
    if exact_re is not None:
        for m in exact_re.finditer(plain):
            found.append((m.start(), -len(m.group(1)), owner[m.group(1)], m.group(1)))
    if whole:
        core = _POSSESSIVE.sub("", re.sub(r"^(the|a|an)\s+", "", fold(plain))).strip()
        found = [f for f in found if -f[1] >= len(core) - 1]
    return tuple(found)
