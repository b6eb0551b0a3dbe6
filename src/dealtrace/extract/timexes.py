"""Timexes: temporal expressions, resolved against the report's publication date.

Rules find the expressions (explicit dates, weekdays, "last week", "in late May", "earlier this
month", years, durations ...) in the body text; the anchoring is our own: news prefers the past,
so "on Monday" is the most recent Monday on or before publication unless the clause is in the
future tense ("will meet on Monday"). Values follow TimeML (2024-08-19, 2024-W34, 2024-07, 2024,
2024-08-19TNI, P6W, PRESENT_REF). A report without a publication date keeps its relative
expressions unresolved (value None). Ages ("25-year-old") are not timexes.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta

import dateparser
from spacy.tokens import Doc, Token

from ..model import Report, Timex, record_id
from . import Context, extractor
from .common import doc_text, lowered_for_gates
from .wordstarts import WordStarts, finditer_at

__all__ = ["find_timexes", "timexes_of", "resolve_timexes", "anchor_of", "first_day", "is_future", "tense_of"]

log = logging.getLogger(__name__)

MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
          "oct": 10, "nov": 11, "dec": 12}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
           "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}
VAGUE = {"several", "a few", "few", "many", "some", "a couple of", "couple of", "multiple"}
PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
UNITS = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "fortnight": "W",
         "month": "M", "year": "Y", "decade": "DE", "century": "CE", "weekend": "WE", "quarter": "Q"}
# Verbs whose complement is still to come: "is scheduled to meet on Monday".
FUTURE_LEMMAS = {"schedule", "plan", "due", "set", "slate", "intend", "expect", "prepare", "aim"}

_MONTH = (r"(?P<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
          r"Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
_NUM = r"(?P<n>\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|" \
       r"twenty|thirty|forty|fifty|several|a few|few|many|a couple of|couple of|multiple)"
_UNIT = r"(?P<unit>second|minute|hour|day|week|fortnight|month|year|decade|century)"
_WEEKDAY = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MOD = r"(?:(?P<mod>(?i:early|mid|late|the end of|the beginning of|the start of|the middle of))[\s-]+)?"
_YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"

# (name, pattern); longer matches win over shorter overlapping ones.
_RULES: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    ("slash", re.compile(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<year>\d{4}|\d{2})\b")),
    ("month_day", re.compile(_MOD + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?!\s*(?:%|percent))"
                             r"(?:,?\s+" + _YEAR + r"\b)?")),
    ("day_month", re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"\b(?:,?\s+"
                             + _YEAR + r"\b)?")),
    ("month", re.compile(r"\b(?:(?P<rel>(?i:last|next|this|this past|this coming|past|coming))\s+)?" + _MOD + _MONTH
                         + r"(?!\w)(?:,?\s+(?:of\s+)?" + _YEAR + r"\b)?")),
    ("weekday", re.compile(r"\b(?:(?P<rel>(?i:last|next|this|this past|this coming|coming|past))\s+)?(?:(?i:early|late)\s+)?"
                           + _WEEKDAY + r"(?:'s)?(?:\s+(?P<part>morning|afternoon|evening|night))?\b")),
    ("deictic", re.compile(r"\b(?P<word>today|yesterday|tomorrow|tonight|last night|this (?P<part>morning|afternoon|"
                           r"evening)|(?P<word2>yesterday|tomorrow) (?P<part2>morning|afternoon|evening|night))\b",
                           re.I)),
    ("relative", re.compile(r"\b(?:(?P<pre>earlier|later|early|late|the end of|the start of|the beginning of|"
                            r"the middle of)\s+)?(?P<rel>this|last|next|the coming|the previous|the following|"
                            r"the current|this past|this coming|the same)\s+(?P<unit>week|weekend|month|year|"
                            r"quarter|spring|summer|fall|autumn|winter)\b", re.I)),
    ("past_unit", re.compile(r"\b(?:the\s+)?(?:past|last|previous|next|coming|first|final)\s+" + _NUM + r"?\s*"
                             r"(?P<unit>days|weeks|months|years|decades|hours|day|week|month|year|decade)\b"
                             r"(?!\s+ago)", re.I)),
    ("ago", re.compile(r"\b" + _NUM + r"\s+" + _UNIT + r"s?\s+(?P<dir>ago|earlier|before|later)\b", re.I)),
    ("a_unit_ago", re.compile(r"\b(?P<n>a)\s+" + _UNIT + r"\s+(?P<dir>ago|earlier|later)\b", re.I)),
    ("duration", re.compile(r"\b" + _NUM + r"[\s-]+" + _UNIT + r"s?(?P<long>[\s-]long)?\b(?P<old>[\s-]old)?",
                            re.I)),
    ("long_plural", re.compile(r"\b(?P<unit>hour|day|week|month|year|decade)(?P<pl>s)?long\b", re.I)),
    ("vague_plural", re.compile(r"\b(?P<skip>(?:for|after|over|in|of)\s+)(?:(?P<q>several|many|the past|the last|"
                                r"recent)\s+)?(?P<unit>hours|days|weeks|months|years|decades)\b", re.I)),
    ("quarter", re.compile(r"\b(?:the\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter\b"
                           r"(?:\s+of\s+" + _YEAR + r")?", re.I)),
    ("the_quarter", re.compile(r"\bthe\s+(?:(?P<q>latest|most recent|recent|past|last|previous|just-ended|current|"
                               r"same|year-earlier|year-ago)\s+)?(?:fiscal\s+)?quarter\b", re.I)),
    ("set", re.compile(r"\b(?P<set>daily|weekly|monthly|annually|yearly|every (?:day|week|month|year)|"
                       r"each (?:day|week|month|year))\b", re.I)),
    ("decade", re.compile(r"\b(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?P<dec>1[6-9]\d|20\d)0s\b")),
    ("year", re.compile(r"\b(?:(?P<fy>fiscal|FY)\s*)?" + _YEAR + r"\b(?!\s*(?:%|percent|people|hostages|[-–]\d))")),
    ("ref", re.compile(r"\b(?P<ref>now|currently|recently|the past|the future|these days|nowadays)\b", re.I)),
]
# Words a rule cannot match without (any one of them), so a text lacking them all skips the rule:
# (words, case-insensitive). Most rules are alternations tried at every character; a substring test is not.
_MONTH_WORDS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_RULE_NEEDS: dict[str, tuple[tuple[str, ...], bool]] = {
    "month_day": (_MONTH_WORDS, False), "day_month": (_MONTH_WORDS, False), "month": (_MONTH_WORDS, False),
    "weekday": (("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), False),
    "deictic": (("today", "yesterday", "tomorrow", "night", "morning", "afternoon", "evening"), True),
    "ago": (("ago", "earlier", "before", "later"), True),
    "a_unit_ago": (("ago", "earlier", "later"), True),
    "long_plural": (("long",), True),
    "vague_plural": (("hours", "days", "weeks", "months", "years", "decades"), True),
    "quarter": (("quarter",), True),
    "the_quarter": (("quarter",), True),
    "set": (("daily", "weekly", "monthly", "annually", "yearly", "every", "each"), True),
    "decade": (("0s",), False),
    "ref": (("now", "currently", "recently", "past", "future", "these days"), True),
}
# Rules whose matches all hold a stretch a cheaper pattern finds: one that starts with a digit or a
# capital, which `re` skips to (a rule that starts with \b or a case-insensitive word is tried at
# every character). A text without that stretch skips the rule.
_MONTH_START = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_RULE_GATES: dict[str, re.Pattern] = {
    "iso": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "slash": re.compile(r"\d/\d"),
    "month_day": re.compile(_MONTH_START + r"[a-z.]*\s+\d"),
    "day_month": re.compile(r"\d[a-z]*\s+(?:of\s+)?" + _MONTH_START),
}
# The words (lower-cased) a rule's match can begin with, and whether it can begin with a number:
# the rule runs only at those words (`wordstarts.finditer_at`) instead of at every character.
_NUMBER_WORDS = frozenset("a an one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty "
                          "forty fifty several few many couple multiple".split())
_MONTH_NAMES = frozenset("jan january feb february mar march apr april may jun june jul july aug august sep sept "
                         "september sepember oct october nov november dec december".split())
_WEEKDAY_NAMES = frozenset(WEEKDAYS)
_FIRST_WORDS: dict[str, tuple[frozenset[str], bool]] = {
    "iso": (frozenset(), True), "slash": (frozenset(), True), "day_month": (frozenset(), True),
    "month": (frozenset("last next this past coming early mid late the".split()) | _MONTH_NAMES, False),
    "weekday": (frozenset("last next this past coming early late".split()) | _WEEKDAY_NAMES, False),
    "deictic": (frozenset("today yesterday tomorrow tonight last this".split()), False),
    "relative": (frozenset("earlier later early late the this last next".split()), False),
    "past_unit": (frozenset("the past last previous next coming first final".split()), False),
    "ago": (_NUMBER_WORDS, True), "a_unit_ago": (frozenset({"a"}), False), "duration": (_NUMBER_WORDS, True),
    "vague_plural": (frozenset("for after over in of".split()), False),
    "quarter": (frozenset("the first second third fourth".split()), True), "the_quarter": (frozenset({"the"}), False),
    "set": (frozenset("daily weekly monthly annually yearly every each".split()), False),
    "decade": (frozenset("the early mid late".split()), True),
    "ref": (frozenset("now currently recently the these nowadays".split()), False),
}
_ANY_FIRST_WORD = frozenset().union(*(words for words, _ in _FIRST_WORDS.values()))
_YEAR_CONTEXT = re.compile(r"\b(in|since|until|by|of|during|from|before|after|through|to|early|late|mid|"
                           r"fiscal|FY|and|between|summer|spring|fall|winter|autumn)\W*$", re.I)
_MONTH_CONTEXT = re.compile(r"\b(in|since|until|by|of|during|from|before|after|through|to|early|late|mid|"
                            r"last|next|this|between|and|or|on|until|till|the end of|the start of)\W*$", re.I)


@dataclass
class _Hit:
    rule: str
    start: int
    end: int
    groups: dict


def anchor_of(published: str | None) -> date | None:
    """The report's publication day, or None when unknown or unreadable."""
    if not published:
        return None
    try:
        return date.fromisoformat(str(published)[:10])
    except ValueError:
        return None


def _number(text: str | None) -> float | None:
    if text is None:
        return 1
    key = text.lower()
    if key in VAGUE:
        return None
    if key in NUMBERS:
        return NUMBERS[key]
    try:
        return float(key)
    except ValueError:
        return None


def _month_of(text: str) -> int:
    return MONTHS[text[:3].lower()]


def _scan(text: str, date_starts: frozenset[int] = frozenset()) -> list[_Hit]:
    """Every rule match, then the longest non-overlapping ones (earliest first)."""
    hits = []
    lowered = lowered_for_gates(text)
    # Word starts stand in for every character only where case-insensitive matching is plain ASCII.
    word_starts = WordStarts(text, _ANY_FIRST_WORD) if lowered is not None else None
    for name, pattern in _RULES:
        words, folded = _RULE_NEEDS.get(name, ((), False))
        if words and (lowered is not None or not folded) and \
                not any(word in (lowered if folded else text) for word in words):
            continue
        gate = _RULE_GATES.get(name)
        if gate is not None and not gate.search(text):
            continue
        first = _FIRST_WORDS.get(name)
        matches = pattern.finditer(text) if first is None or word_starts is None else \
            finditer_at(pattern, text, word_starts.starts(*first))
        for match in matches:
            groups = {k: v for k, v in match.groupdict().items() if v is not None}
            if not _plausible(name, match, groups, text, date_starts):
                continue
            start = match.end("skip") if "skip" in groups else match.start()  # the preposition stays out
            hits.append(_Hit(name, start, match.end(), groups))
    hits.sort(key=lambda h: (-(h.end - h.start), h.start))
    kept: list[_Hit] = []
    for hit in hits:
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def _plausible(name: str, match: re.Match, groups: dict, text: str, date_starts: frozenset[int]) -> bool:
    before = text[max(0, match.start() - 25):match.start()]
    if name in ("month", "month_day", "day_month"):
        month = groups["month"]
        if not month[0].isupper():
            return False
        if name == "month" and month in ("May", "March") and not (
                groups.get("year") or groups.get("mod") or groups.get("rel") or _MONTH_CONTEXT.search(before)):
            return False  # the modal verb "May" or the verb "March" at a sentence start
        if name == "month" and not (groups.get("year") or groups.get("mod") or groups.get("rel")
                                    or _MONTH_CONTEXT.search(before)):
            return False
        if name == "month_day" and not 1 <= int(groups["day"]) <= 31:
            return False
        if name == "day_month" and not 1 <= int(groups["day"]) <= 31:
            return False
    if name == "year" and not (groups.get("fy") or _YEAR_CONTEXT.search(before) or match.start() in date_starts):
        return False  # a bare number that may be a count, not a year
    if name == "duration":
        if groups.get("old") or re.match(r"[\s-]old\b", text[match.end():match.end() + 4]):
            return False  # an age: "a 25-year-old", "three years old"
        if re.match(r"-old", text[match.end():match.end() + 4]):
            return False
    if name == "ref" and groups["ref"].lower() == "the past" and re.match(r"\s+\w+", text[match.end():]) and \
            re.match(r"\s+(few|several|two|three|four|five|six|week|month|year|day|decade)", text[match.end():],
                     re.I):
        return False
    return True


def is_future(doc: Doc | None, start: int, end: int) -> bool:
    """Whether the clause that governs the span at [start, end) is about the future."""
    return tense_of(doc, start, end) == "future"


def tense_of(doc: Doc | None, start: int, end: int) -> str | None:
    """The tense of the clause governing a span: "future", "past", "present", or None (no verb, no parse)."""
    if doc is None or not doc.has_annotation("DEP"):
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    token: Token = span.root
    steps = 0
    while token.pos_ not in ("VERB", "AUX") and token.head is not token and steps < 6:
        token = token.head
        steps += 1
    if token.pos_ not in ("VERB", "AUX"):
        return None
    below = None
    for verb in [token, *list(token.ancestors)[:3]]:
        if verb.pos_ not in ("VERB", "AUX", "ADJ"):
            break
        for child in verb.children:
            if child.dep_ in ("aux", "auxpass") and child.lower_ in ("will", "shall", "'ll", "wo"):
                return "future"
        # "is scheduled to meet", "plans to travel": only through the complement, and not in the past.
        if below is not None and below.dep_ == "xcomp" and verb.tag_ != "VBD" and (
                verb.lemma_ in FUTURE_LEMMAS or verb.lower_ == "going"):
            return "future"
        if verb.dep_ not in ("xcomp", "ccomp", "conj"):
            break
        below = verb
    auxes = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
    if token.tag_ in ("VBD", "VBN") or any(a.tag_ == "VBD" or a.lemma_ == "have" for a in auxes):
        return "past"
    if token.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "present"
    return None


def first_day(value: str | None) -> date | None:
    """The first day a TimeML date value covers: 2024-08-19(TNI), 2024-W34 (its Monday), 2024-07, 2024."""
    if not value:
        return None
    try:
        if len(value) >= 10 and value[4] == "-" and value[7] == "-":
            return date.fromisoformat(value[:10])
        if "-W" in value:
            year, week = value.split("-W")
            return date.fromisocalendar(int(year), int(week[:2]), 1)
        if len(value) == 7 and value[4] == "-" and value[5:].isdigit():
            return date(int(value[:4]), int(value[5:]), 1)
        if "-Q" in value and value[:4].isdigit() and value[-1].isdigit():
            return date(int(value[:4]), 3 * int(value[-1]) - 2, 1)
        if len(value) == 4 and value.isdigit():
            return date(int(value), 1, 1)
    except ValueError:
        return None
    return None


def _week_value(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _pick_year(anchor: date, month: int, day: int | None, tense: str | None) -> int:
    """The most recent such day/month on or before publication (news prefer the past), the next one in
    a future clause, and the nearest one in a present-tense clause ("talks resume on Jan. 14")."""
    probe = (month, day or 1)
    here = (anchor.month, anchor.day if day else 1)
    if tense == "future":
        return anchor.year if probe >= here else anchor.year + 1
    past = anchor.year if probe <= here else anchor.year - 1
    if tense != "present":
        return past
    candidates = [past, past + 1]
    reference = anchor.replace(day=1) if day is None else anchor
    return min(candidates, key=lambda year: abs((_safe_day(year, month, day or 1) - reference).days))


def _safe_day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, 28)


def _resolve(hit: _Hit, anchor: date | None, tense: str | None) -> tuple[str | None, str | None, str]:
    """(value, granularity, type) of one hit."""
    g = hit.groups
    future = tense == "future"
    rule = hit.rule
    if rule in ("iso", "slash"):
        year = int(g["year"])
        year = year + (2000 if year < 50 else 1900) if year < 100 else year
        try:
            return date(year, int(g["m"]), int(g["d"])).isoformat(), "day", "DATE"
        except ValueError:
            return None, "day", "DATE"
    if rule in ("month_day", "day_month"):
        month, day = _month_of(g["month"]), int(g["day"])
        if "year" in g:
            year = int(g["year"])
        elif anchor is None:
            return None, "day", "DATE"
        else:
            year = _pick_year(anchor, month, day, tense)
        try:
            return date(year, month, day).isoformat(), "day", "DATE"
        except ValueError:
            return None, "day", "DATE"
    if rule == "month":
        month = _month_of(g["month"])
        if "year" in g:
            return f"{int(g['year']):04d}-{month:02d}", "month", "DATE"
        if anchor is None:
            return None, "month", "DATE"
        rel = (g.get("rel") or "").lower()
        if rel in ("next", "coming", "this coming"):
            tense = "future"
        elif rel in ("last", "past", "this past"):
            tense = "past"
        elif rel == "this":
            tense = None
        year = _pick_year(anchor, month, None, tense)
        if rel in ("last", "this past", "past") and year == anchor.year and month == anchor.month:
            year -= 1
        return f"{year:04d}-{month:02d}", "month", "DATE"
    if rule == "weekday":
        if anchor is None:
            return None, "day", "DATE"
        target = WEEKDAYS[g["wd"].lower()]
        rel = (g.get("rel") or "").lower()
        delta_back = (anchor.weekday() - target) % 7
        if rel in ("next", "coming", "this coming") or (future and rel not in ("last", "past", "this past")):
            ahead = (target - anchor.weekday()) % 7
            if rel == "next" or ahead == 0 and future:
                ahead = ahead or 7
            day = anchor + timedelta(days=ahead)
        elif rel == "this":
            day = anchor + timedelta(days=target - anchor.weekday())
        else:
            if rel in ("last", "past", "this past") and delta_back == 0:
                delta_back = 7
            day = anchor - timedelta(days=delta_back)
        part = PARTS.get((g.get("part") or "").lower())
        if part:
            return f"{day.isoformat()}T{part}", "day", "TIME"
        return day.isoformat(), "day", "DATE"
    if rule == "deictic":
        word = (g.get("word2") or g.get("word") or "").lower()
        part = PARTS.get((g.get("part2") or g.get("part") or "").lower())
        if anchor is None:
            return None, "day", "DATE"
        offset = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(word, 0)
        day = anchor + timedelta(days=offset)
        if word in ("tonight", "last night"):
            part = "NI"
        if part:
            return f"{day.isoformat()}T{part}", "day", "TIME"
        return day.isoformat(), "day", "DATE"
    if rule == "relative":
        if anchor is None:
            return None, _granularity(g["unit"]), "DATE"
        rel = g["rel"].lower()
        unit = g["unit"].lower()
        step = {"last": -1, "the previous": -1, "this past": -1, "next": 1, "the coming": 1, "the following": 1,
                "this coming": 1}.get(rel, 0)
        if unit in ("week", "weekend"):
            day = anchor + timedelta(weeks=step)
            value = _week_value(day) + ("-WE" if unit == "weekend" else "")
            return value, "week", "DATE"
        if unit == "month":
            year, month = _shift_month(anchor.year, anchor.month, step)
            return f"{year:04d}-{month:02d}", "month", "DATE"
        if unit == "year":
            return f"{anchor.year + step:04d}", "year", "DATE"
        if unit == "quarter":
            year, month = _shift_month(anchor.year, anchor.month, 3 * step)
            return f"{year:04d}-Q{(month - 1) // 3 + 1}", "quarter", "DATE"
        season = SEASONS[unit]
        year = anchor.year + step
        return f"{year:04d}-{season}", "season", "DATE"
    if rule in ("ago", "a_unit_ago"):
        unit = g["unit"].lower()
        n = _number(g.get("n"))
        if g["dir"].lower() == "later":
            # "two days later" counts forward from another event: keep the amount.
            return _duration(n, unit), None, "DURATION"
        if n is None:
            return "PAST_REF", _granularity(unit), "DATE"
        if anchor is None:
            return None, _granularity(unit), "DATE"
        return _ago(anchor, int(n), unit)
    if rule == "past_unit":
        unit = g["unit"].lower().rstrip("s")
        return _duration(_number(g.get("n")), unit), None, "DURATION"
    if rule == "duration":
        return _duration(_number(g.get("n")), g["unit"].lower()), None, "DURATION"
    if rule == "long_plural":
        return _duration(None if g.get("pl") else 1, g["unit"].lower()), None, "DURATION"
    if rule == "vague_plural":
        if (g.get("q") or "").lower() == "recent":
            return "PAST_REF", None, "DATE"
        return _duration(None, g["unit"].lower().rstrip("s")), None, "DURATION"
    if rule == "quarter":
        quarter = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}[
            g["ord"].lower()]
        if "year" in g:
            return f"{g['year']}-Q{quarter}", "quarter", "DATE"
        if anchor is None:
            return None, "quarter", "DATE"
        current = (anchor.month - 1) // 3 + 1
        year = anchor.year if (quarter <= current or future) else anchor.year - 1
        return f"{year:04d}-Q{quarter}", "quarter", "DATE"
    if rule == "the_quarter":
        if anchor is None:
            return None, "quarter", "DATE"
        current = (anchor.month - 1) // 3 + 1
        q = (g.get("q") or "").lower()
        if q == "current":
            year, quarter = anchor.year, current
        else:  # news reports on the quarter just ended
            year, quarter = (anchor.year, current - 1) if current > 1 else (anchor.year - 1, 4)
            if q in ("year-earlier", "year-ago"):
                year -= 1
        return f"{year:04d}-Q{quarter}", "quarter", "DATE"
    if rule == "set":
        word = g["set"].lower().split()[-1]
        unit = {"daily": "D", "day": "D", "weekly": "W", "week": "W", "monthly": "M", "month": "M"}.get(word, "Y")
        return f"P1{unit}", None, "SET"
    if rule == "decade":
        return g["dec"], "decade", "DATE"
    if rule == "year":
        return f"{int(g['year']):04d}", "year", "DATE"
    if rule == "ref":
        word = g["ref"].lower()
        ref = {"recently": "PAST_REF", "the past": "PAST_REF", "the future": "FUTURE_REF"}.get(word, "PRESENT_REF")
        return ref, None, "DATE"
    return None, None, "DATE"


def _ago(anchor: date, n: int, unit: str) -> tuple[str | None, str | None, str]:
    """ "three weeks ago": the publication date moved back, at the unit's granularity."""
    if unit == "day":
        return (anchor - timedelta(days=n)).isoformat(), "day", "DATE"
    if unit in ("week", "fortnight"):
        return _week_value(anchor - timedelta(weeks=n * (2 if unit == "fortnight" else 1))), "week", "DATE"
    if unit == "month":
        year, month = _shift_month(anchor.year, anchor.month, -n)
        return f"{year:04d}-{month:02d}", "month", "DATE"
    if unit == "year":
        return f"{anchor.year - n:04d}", "year", "DATE"
    if unit == "decade":
        return f"{(anchor.year - 10 * n) // 10:03d}", "decade", "DATE"
    return None, None, "DATE"


def _granularity(unit: str) -> str | None:
    unit = unit.lower().rstrip("s")
    return {"day": "day", "week": "week", "weekend": "week", "month": "month", "year": "year",
            "quarter": "quarter", "decade": "decade"}.get(unit, "season" if unit in SEASONS else None)


def _duration(n: float | None, unit: str) -> str:
    """A TimeML duration: P6W, PT3H, PXM (vague amounts get X)."""
    unit = unit.lower().rstrip("s")
    code = UNITS.get(unit, "D")
    amount = "X" if n is None else (str(int(n)) if float(n).is_integer() else str(n))
    if unit == "fortnight" and n is not None:
        amount = str(int(n * 2))
    if unit in ("second", "minute", "hour"):
        return f"PT{amount}{code}"
    return f"P{amount}{code}"


def _fallback_dates(doc: Doc, taken: list[tuple[int, int]], anchor: date | None) -> list[tuple[int, int, str, str]]:
    """Absolute dates the rules missed but the parser tagged (e.g. "3rd of July 2024"), read by dateparser."""
    found = []
    for ent in doc.ents:
        if ent.label_ != "DATE" or any(not (ent.end_char <= s or ent.start_char >= e) for s, e in taken):
            continue
        if not re.search(r"\b(1[6-9]\d\d|20\d\d)\b", ent.text) or not re.search(r"[A-Za-z]{3}", ent.text):
            continue
        settings = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["year", "month", "day"]}
        if anchor is not None:
            settings["RELATIVE_BASE"] = _as_datetime(anchor)
        try:
            parsed = dateparser.parse(ent.text, languages=["en"], settings=settings)
        except (ValueError, OverflowError):
            parsed = None
        if parsed is not None:
            found.append((ent.start_char, ent.end_char, parsed.date().isoformat(), "day"))
    return found


def _as_datetime(day: date):
    from datetime import datetime
    return datetime(day.year, day.month, day.day, 12, 0)


def resolve_timexes(text: str, published: str | None, doc: Doc | None = None) -> list[tuple[int, int, str | None, str | None, str]]:
    """(start, end, value, granularity, type) of every temporal expression in `text`."""
    anchor = anchor_of(published)
    found = []
    parsed = doc is not None and doc_text(doc) == text  # the parse is of this text
    date_starts = frozenset(t.idx for ent in doc.ents if ent.label_ == "DATE" for t in ent) \
        if parsed else frozenset()
    for hit in _scan(text, date_starts):
        value, granularity, kind = _resolve(hit, anchor, tense_of(doc, hit.start, hit.end))
        found.append((hit.start, hit.end, value, granularity, kind))
    if parsed:
        taken = [(s, e) for s, e, *_ in found]
        for start, end, value, granularity in _fallback_dates(doc, taken, anchor):
            found.append((start, end, value, granularity, "DATE"))
    return sorted(found)


def timexes_of(doc: Doc, report: Report) -> list[Timex]:
    """The Timex records of one parsed report."""
    records = []
    text = doc_text(doc)
    for start, end, value, granularity, kind in resolve_timexes(text, report.published, doc):
        raw_start, raw_end = report.raw_span(start, end)
        records.append(Timex(id=record_id("timex", report.id, start, end), report=report.id, file=report.file,
                             text=text[start:end], start=start, end=end, raw_start=raw_start,
                             raw_end=raw_end, value=value, granularity=granularity, type=kind))
    return records


@extractor("timexes", requires=(), assigns=("timexes",))
def find_timexes(ctx: Context) -> None:
    ctx.found.timexes = timexes_of(ctx.doc, ctx.report)
