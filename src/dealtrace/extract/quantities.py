"""Quantities: the numbers in a sentence, with their bounds, ranges and units, read from tokens.

Digits ("40,000", "1.2 million", "$2.5bn"), number words ("six", "twenty-five", "two dozen"),
vague plurals ("hundreds of"), fractions ("one-third"), bounds ("more than", "about"), ranges
("between 30 and 40") and units (currencies, percent, lengths of time). Numbers that name or order
things (years, dates, ages, times of day, labels) are told apart here; what a quantity counts is
`figures`' business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

__all__ = ["Quantity", "number_at", "read_quantity", "is_not_a_figure", "first_number_token", "CARDINALS",
           "SCALES", "TIME_UNITS"]


CARDINALS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "dozen": 12}
_SUFFIX_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "bn": 1_000_000_000,
                  "b": 1_000_000_000, "tn": 1_000_000_000_000}
# "hundreds of": plural of a base, so at least two of them and fewer than ten times as many.
_VAGUE = {"tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000,
          "billions": 1_000_000_000}
_FRACTIONS = {"half": 1 / 2, "halves": 1 / 2, "third": 1 / 3, "thirds": 1 / 3, "quarter": 1 / 4,
              "quarters": 1 / 4, "fourth": 1 / 4, "fourths": 1 / 4, "fifth": 1 / 5, "fifths": 1 / 5,
              "sixth": 1 / 6, "sixths": 1 / 6, "tenth": 1 / 10, "tenths": 1 / 10}
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_DIGITS_SUFFIX = re.compile(r"^(\d+(?:\.\d+)?)(k|m|mn|mln|bn|b|tn)$", re.I)

# Bound phrases, as the words that end right before the number (longest first).
_BOUNDS = [
    (("no", "fewer", "than"), "at least"), (("no", "less", "than"), "at least"),
    (("no", "more", "than"), "at most"), (("not", "more", "than"), "at most"),
    (("as", "many", "as"), "up to"), (("as", "much", "as"), "up to"),
    (("in", "excess", "of"), "more than"), (("upwards", "of"), "more than"),
    (("a", "minimum", "of"), "at least"), (("a", "maximum", "of"), "at most"),
    (("an", "estimated"), "about"), (("just", "over"), "more than"), (("well", "over"), "more than"),
    (("just", "under"), "nearly"), (("close", "to"), "nearly"),
    (("more", "than"), "more than"), (("at", "least"), "at least"), (("up", "to"), "up to"),
    (("fewer", "than"), "less than"), (("less", "than"), "less than"), (("at", "most"), "at most"),
    (("about",), "about"), (("roughly",), "about"), (("approximately",), "about"), (("around",), "about"),
    (("some",), "about"), (("estimated",), "about"), (("approx.",), "about"), (("circa",), "about"),
    (("nearly",), "nearly"), (("almost",), "nearly"), (("over",), "more than"), (("under",), "less than"),
    (("below",), "less than"), (("exactly",), "exact"), (("precisely",), "exact"),
]
_LONGEST_BOUND = max(len(words) for words, _ in _BOUNDS)
_PREPOSITIONAL_BOUNDS = {"over", "under", "around", "below"}  # also plain prepositions: check the parse

_CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₪": "ILS", "₹": "INR"}
# The words a quantity can start with, besides digits (see `read_quantity` and `number_at`).
_FIRST_WORDS = frozenset({*_CURRENCY_SYMBOLS, "us", *CARDINALS, "a", "half", *_VAGUE, *_FRACTIONS})
_CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "usd": "USD", "euro": "EUR", "euros": "EUR",
                   "eur": "EUR", "pound": "GBP", "pounds": "GBP", "gbp": "GBP", "yen": "JPY", "jpy": "JPY",
                   "shekel": "ILS", "shekels": "ILS", "ils": "ILS", "rupee": "INR", "rupees": "INR",
                   "yuan": "CNY", "renminbi": "CNY", "franc": "CHF", "francs": "CHF", "ruble": "RUB",
                   "rubles": "RUB", "roubles": "RUB"}
TIME_UNITS = {"second": "second", "minute": "minute", "hour": "hour", "day": "day", "week": "week",
               "month": "month", "year": "year", "decade": "decade"}

# Words right before a number that make it a label, not a count: "phase 2", "resolution 2735".
_LABEL_WORDS = {
    "page", "pages", "section", "article", "chapter", "paragraph", "resolution", "phase", "stage", "no", "no.",
    "number", "clause", "annex", "item", "room", "route", "flight", "gate", "platform", "act", "amendment",
    "table", "figure", "part", "level", "grade", "category", "class", "version", "model", "channel", "sector",
    "zone", "block", "district", "ward", "road", "highway", "unit", "division", "brigade", "battalion",
    "regiment", "corps", "#", "aged", "age", "ages", "tier", "protocol", "point", "round", "line", "p.", "pp.",
}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "jan", "jan.", "feb", "feb.", "mar", "mar.", "apr", "apr.", "jun", "jun.",
           "jul", "jul.", "aug", "aug.", "sep", "sep.", "sept", "sept.", "oct", "oct.", "nov", "nov.", "dec",
           "dec."}
_CLOCK_WORDS = {"a.m.", "p.m.", "am", "pm", "o'clock", "gmt", "utc", "hours", "hrs"}
# Counted nouns that give a structure, not a quantity: "its second and third phases", "the two sides".

@dataclass
class Quantity:
    """A number read from tokens [start, end), before its meaning is worked out."""

    value: float
    start: int
    end: int
    low: float | None = None
    high: float | None = None
    bound: str = "exact"
    kind: str = "exact"  # exact | vague | fraction
    unit: str | None = None
    anchor: int = 0  # the token the parse hangs the number on
    unit_token: int | None = None


# --- reading numbers -----------------------------------------------------------------------------

def number_at(doc: Doc, i: int, stop: int) -> tuple[float, int, str] | None:
    """(value, end, kind) of a number starting at token i, before bounds, ranges and units."""
    lower = doc[i].lower_
    value: float | None = None
    end = i + 1
    kind = "exact"
    if _DIGITS.match(lower):
        value = float(lower.replace(",", ""))
    elif (m := _DIGITS_SUFFIX.match(lower)) is not None:
        value = float(m.group(1)) * _SUFFIX_SCALES[m.group(2).lower()]
    elif lower in CARDINALS:
        value = float(CARDINALS[lower])
        # "twenty-five", "twenty five"
        if value >= 20 and value % 10 == 0:
            j = i + 1
            if j < stop and doc[j].text == "-" and not doc[i].whitespace_:
                j += 1
            if j < stop and doc[j].lower_ in CARDINALS and 0 < CARDINALS[doc[j].lower_] < 10:
                value += CARDINALS[doc[j].lower_]
                end = j + 1
    elif lower == "a" and i + 1 < stop and doc[i + 1].lower_ in SCALES:
        value = 1.0
    elif lower == "half" and i + 2 < stop and doc[i + 1].lower_ == "a" and doc[i + 2].lower_ == "dozen":
        return 6.0, i + 3, "exact"
    elif lower in _VAGUE and i + 1 < stop and doc[i + 1].lower_ == "of":
        base = _VAGUE[lower]
        end = i + 2
        # "hundreds of thousands of", "tens of thousands of"
        if end + 1 < stop and doc[end].lower_ in _VAGUE and doc[end + 1].lower_ == "of":
            base *= _VAGUE[doc[end].lower_]
            end += 2
        return float(base), end, "vague"
    elif lower in _FRACTIONS and lower.startswith("half") and i + 1 < stop and doc[i + 1].lower_ == "of":
        return 0.5, i + 1, "fraction"
    if value is None:
        return None
    # fractions: "one-third", "two thirds", "a quarter"
    j = end
    if j < stop and doc[j].text == "-" and not doc[j - 1].whitespace_:
        j += 1
    if j < stop and doc[j].lower_ in _FRACTIONS and value <= 10 and lower in (*CARDINALS, "a"):
        return value * _FRACTIONS[doc[j].lower_], j + 1, "fraction"
    # scales: "1.2 million", "two dozen", "40 thousand"
    while end < stop and doc[end].lower_ in SCALES:
        value *= SCALES[doc[end].lower_]
        end += 1
    if lower == "a" and end == i + 1:
        return None
    return value, end, kind


def may_start_quantity(lower: str) -> bool:
    """False when `read_quantity` surely finds nothing at a token of this lower-case text.

    A set lookup, so a caller can skip most words without reading them as numbers.
    """
    return lower[:1].isdigit() or lower in _FIRST_WORDS


def read_quantity(doc: Doc, i: int, stop: int) -> Quantity | None:
    """The full quantity at token i: bound, number (or range), currency or unit."""
    # a currency symbol before the number: "$2.5 billion"
    currency = None
    first = i
    if doc[i].lower_ in _CURRENCY_SYMBOLS and i + 1 < stop:
        currency = _CURRENCY_SYMBOLS[doc[i].lower_]
        i += 1
    elif doc[i].lower_ == "us" and i + 2 < stop and doc[i + 1].text == "$":
        currency, i = "USD", i + 2
    number = number_at(doc, i, stop)
    if number is None:
        return None
    value, end, kind = number
    quantity = Quantity(value=value, start=first, end=end, kind=kind, anchor=end - 1)
    if kind == "vague":
        quantity.low, quantity.high, quantity.bound = value * 2, value * 10 - 1, "range"
        quantity.value = value * 2
        quantity.anchor = i
    elif kind == "fraction":
        quantity.anchor = end - 1
    _read_bound(doc, quantity)
    _read_range(doc, quantity, stop)
    if currency:
        quantity.unit = currency
    else:
        _read_unit(doc, quantity, stop)
    return quantity


def _read_bound(doc: Doc, quantity: Quantity) -> None:
    start = quantity.start
    sent_start = doc[start].sent.start
    # The words before the number, read once for every bound phrase compared with them.
    before = tuple(t.lower_ for t in doc[max(sent_start, start - _LONGEST_BOUND):start])
    for words, bound in _BOUNDS:
        n = len(words)
        if start - n < sent_start:
            continue
        if before[len(before) - n:] != words:
            continue
        if n == 1 and words[0] in _PREPOSITIONAL_BOUNDS and doc[start - 1].dep_ == "prep":
            continue  # "disputes over two points": a preposition, not a bound
        quantity.start = start - n
        if quantity.bound != "range":
            quantity.bound = bound
        return
    # "between 30 and 40": the range reader finishes it
    if start - 1 >= sent_start and doc[start - 1].lower_ == "between":
        quantity.start = start - 1
        quantity.bound = "between"


def _read_range(doc: Doc, quantity: Quantity, stop: int) -> None:
    """"between 30 and 40", "30 to 40", "30-40", "two or three"."""
    j = quantity.end
    joiners = {"and"} if quantity.bound == "between" else {"to", "-", "–", "or"}
    if quantity.bound == "between":
        quantity.bound = "exact"
    if j + 1 >= stop or doc[j].lower_ not in joiners or quantity.kind != "exact":
        return
    if doc[quantity.start].lower_ == "from" or (quantity.start > 0 and doc[quantity.start - 1].lower_ == "from"):
        return  # "rose from 30 to 40" is a change, not a range
    other = number_at(doc, j + 1, stop)
    if other is None or other[2] != "exact":
        return
    high, end, _ = other
    low = quantity.value
    # "1 to 2 million": the scale of the second number applies to the first
    if quantity.end == _first_scale(doc, quantity.start, quantity.end):
        for token in doc[j + 1:end]:
            if token.lower_ in SCALES:
                low *= SCALES[token.lower_]
    if high >= 1000 * low or high <= low:
        return
    quantity.low, quantity.high, quantity.value, quantity.bound = low, high, low, "range"
    quantity.end = end
    quantity.anchor = end - 1


def _first_scale(doc: Doc, start: int, end: int) -> int:
    """The index of the first scale word in [start, end), or end when there is none."""
    return next((k for k in range(start, end) if doc[k].lower_ in SCALES), end)


def _read_unit(doc: Doc, quantity: Quantity, stop: int) -> None:
    j = quantity.end
    if j >= stop:
        return
    lower = doc[j].lower_
    if lower in ("%", "percent", "pct"):
        quantity.unit, quantity.end = "percent", j + 1
    elif lower == "per" and j + 1 < stop and doc[j + 1].lower_ == "cent":
        quantity.unit, quantity.end = "percent", j + 2
    elif lower == "percentage" and j + 1 < stop and doc[j + 1].lower_ in ("point", "points"):
        quantity.unit, quantity.end = "percentage points", j + 2
    elif lower in _CURRENCY_WORDS and not doc[j].ent_type_ in ("PERSON", "GPE"):
        quantity.unit, quantity.end = _CURRENCY_WORDS[lower], j + 1
    else:
        k = j + 1 if lower == "-" and not doc[j - 1].whitespace_ else j
        if k < stop and doc[k].lemma_.lower() in TIME_UNITS:
            quantity.unit = TIME_UNITS[doc[k].lemma_.lower()]
            quantity.unit_token = k
            quantity.end = k + 1
    if quantity.unit == "percent":
        quantity.unit_token = quantity.end - 1


# --- what is not a figure --------------------------------------------------------------------------

def is_not_a_figure(doc: Doc, quantity: Quantity) -> bool:
    """Years, dates, ages, times of day, ordinals, labels, identifiers, compounds and "one of"."""
    first_num = first_number_token(doc, quantity)
    token = doc[first_num]
    prev = doc[first_num - 1] if first_num > 0 else None
    nxt = doc[quantity.end] if quantity.end < len(doc) else None
    after = doc[quantity.end + 1] if quantity.end + 1 < len(doc) else None
    if token.ent_type_ == "ORDINAL":
        return True
    if quantity.unit in TIME_UNITS.values():
        # "25 years old", "a 63-year-old", "two years ago", "in two weeks": ages and dates, not lengths
        if nxt is not None and nxt.lower_ in ("old", "ago", "later", "earlier", "hence", "after", "before",
                                              "into", "since", "from"):
            return True
        if nxt is not None and nxt.text == "-" and after is not None and after.lower_ in ("old",):
            return True
        if prev is not None and prev.lower_ in ("in",) and quantity.start == first_num:
            return True
        return False
    if token.ent_type_ in ("DATE", "TIME") and quantity.unit is None and not (nxt is not None and nxt.tag_ == "NNS"):
        return True  # the tagger's dates, unless a plural noun says what is counted
    if quantity.unit is None and _DIGITS.match(token.text) and "," not in token.text and "." not in token.text:
        value = int(token.text)
        if 1800 <= value <= 2100 and len(token.text) == 4 and not (nxt is not None and nxt.tag_ == "NNS"):
            return True  # a year
    if prev is not None and prev.lower_ in _MONTHS or nxt is not None and nxt.lower_ in _MONTHS:
        return True
    if nxt is not None and (nxt.lower_ in _CLOCK_WORDS or nxt.text == ":"):
        return True
    if ":" in token.text:
        return True
    if prev is not None and prev.lower_ in _LABEL_WORDS and quantity.start == first_num:
        return True
    # identifiers glued to letters: "Covid-19", "F-16"
    if prev is not None and prev.text == "-" and first_num >= 2 and not doc[first_num - 2].whitespace_ \
            and doc[first_num - 2].is_alpha and doc[first_num - 2].lower_ not in CARDINALS:
        return True
    # ages: "Gilad Korngold, 63," / "Carmel Gat, 40, and ..."
    if prev is not None and prev.text == "," and first_num >= 2 and quantity.unit is None \
            and (doc[first_num - 2].ent_type_ == "PERSON" or doc[first_num - 2].pos_ == "PROPN") \
            and (nxt is None or nxt.text in (",", ".", ";", ")", "and") or nxt.is_sent_end):
        return True
    # hyphenated modifiers that are not lengths: "a three-stage plan", "a one-word rebuke"
    if nxt is not None and nxt.text == "-" and not doc[quantity.end - 1].whitespace_ and quantity.unit is None:
        if after is not None and after.lower_ not in CARDINALS and after.lower_ not in SCALES:
            return True
    # "one of the officials", "one key concession": "one" is rarely a reported figure
    if token.lower_ == "one" and quantity.unit is None and quantity.kind == "exact" and quantity.end == first_num + 1:
        return True
    return False


def first_number_token(doc: Doc, quantity: Quantity) -> int:
    for k in range(quantity.start, quantity.end):
        lower = doc[k].lower_
        if (_DIGITS.match(lower) or _DIGITS_SUFFIX.match(lower) or lower in CARDINALS or lower in _VAGUE
                or lower in _FRACTIONS or lower == "a"):
            return k
    return quantity.start
