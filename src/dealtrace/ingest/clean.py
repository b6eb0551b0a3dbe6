"""Plain-text cleaning: keep the article's prose, move bylines and the like into metadata.

Each line is judged on what it looks like (length, sentence punctuation, stop-word share,
second-person and call-to-action wording, tokens that are slugs or codes, separators, lines
repeated across the corpus) and on where it sits: before the first prose line (the header:
title, byline, outlet tag), inside the prose, or after the last prose line (the footer). No
list of known strings decides alone. Body offsets map back to the raw text through
``offset_map``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .decode import repair

_STOP = frozenset(
    "a an the and or but if of to in on at by for with from as is are was were be been being has have had "
    "do does did not no that this these those it its he she they them his her their we our you your i "
    "who whom which what when where why how than then there here so such can could would should will "
    "might must said says also after before over under about into out up down more most some any all".split()
)
_CALL_TO_ACTION = re.compile(
    r"\b(subscribe|subscriber|subscription|sign up|sign in|log ?in|log into|newsletter|enable javascript|"
    r"javascript|cookies?|advertisement|advertising|share (this|on|via)|leave a (reply|comment)|comments? "
    r"(are|is) closed|email address|required fields|all rights reserved|optimi[sz]ed by|powered by|"
    r"read more|click here|tap here|verify access|reader mode|thank you for your patience|follow us|"
    r"download (the|our) app|related (articles?|stories|coverage)|trouble retrieving|privacy policy|"
    r"terms of (use|service)|skip to (main )?content|most popular|recommended for you|free articles?|"
    r"copy link|print this|sponsored|continue reading|\d+ min(ute)?s? read|image (source|caption)|"
    r"photo(graph)?s?( by)?:|getty images|file photo)\b",
    re.I,
)
_SECOND_PERSON = re.compile(r"\b(you|your|yours)\b", re.I)
_QUOTE_CHARS = re.compile(r"[\"“”«»]")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]」』]*\s*$|[\"”]\s*$")
# A quoted sentence signed with a dash and a name: “We will not sign.” ― Carla Sanchez
_SIGNED_QUOTE = re.compile(r"[.!?…][\"”]\s*[―—–-]\s*[^\W\d][^.!?]{0,60}$")
# Scripts written without spaces: count about one word per two characters.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_BYLINE = re.compile(r"^\s*by\s+(?P<names>[A-Z][^\n]{2,200})$", re.I)
_CONTRIBUTOR = re.compile(
    r"^(?P<names>[A-Z][\w.'’\- ]+(?:(?:,| and| &) [A-Z][\w.'’\- ]+)*?)\s+contributed\s+(?:reporting|research|to this report)"
    r"(?P<rest>.*)$"
)
_SYNDICATION = re.compile(
    r"^(this (article|story|report) (originally )?(appeared|was (first )?published|first appeared)|"
    r"(©|\(c\)|copyright)\s|.*\ball rights reserved\b|distributed by|reprinted (with|by)|"
    r"(additional )?reporting by\s|editing by\s|written by\s|compiled by\s)",
    re.I,
)
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
          r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+)*)"  # TEL AVIV, DOHA, PORT ALDER
    r"(?:,\s*(?P<region>[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*)*))?"  # , Israel
    r"(?:,?\s*(?P<date>" + _MONTH + r" \d{1,2}(?:,? \d{4})?))?"  # , Aug. 20
    r"(?:\s*\((?P<tag>[A-Za-z.]+)\))?"  # (AP)
    r"\s*(?:[–—-]{1,2}|:)\s+"
)
_DATE_IN_LINE = re.compile(r"\b(?:" + _MONTH + r" \d{1,2},? \d{4}|\d{1,2} " + _MONTH + r",? \d{4}|\d{4}-\d{2}-\d{2})\b")
_OUTLET_TAG = re.compile(r"^\(?[A-Z][\w.&' ]{1,40}\)?$")
# Tokens from URLs and CMS slugs ("06mideast", "facebookJumbo"), not units or models ("1080p", "iPhone").
_SLUG_TOKEN = re.compile(r"^(?=\w{7})(?=(?:.*\d){2})(?=(?:.*[a-z]){3})\w+$|^[a-z]{3,}[A-Z]\w*$")
_NAME = re.compile(r"^[A-Z][\w'’\-]+(?: (?:[A-Z]\.|[A-Z][\w'’\-]+|de|la|van|von|al-\w+|bin|el-\w+)){0,3}$")
MAX_LINE = 100_000  # characters; a "line" longer than this is a dump, not a paragraph
_ORG_OR_ROLE = re.compile(
    r"\b(news|press|service|agency|agence|wire|times|post|herald|gazette|journal|tribune|media|network|"
    r"radio|television|tv|broadcasting|reports?|daily|weekly|bureau|desk|staff|writer|correspondent|"
    r"reporter|editor|contributor|columnist|associated|international|group|company|inc|ltd)\b",
    re.I,
)
_SEPARATORS = re.compile(r"\s[|•·»›]\s|^[|»›]|[|•·»›]$")  # menus and breadcrumbs; "- " starts a list item


@dataclass
class Cleaned:
    body: str
    offset_map: list[tuple[int, int, int]] = field(default_factory=list)
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    dateline: str | None = None
    outlet_tag: str | None = None
    date_text: str | None = None  # the first date written in a header/footer line or the dateline
    notes: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


@dataclass
class _Line:
    start: int  # raw offset of the first non-space character
    text: str  # stripped; the physical lines of a hard-wrapped paragraph joined by spaces
    kind: str = ""  # prose | short | soft | junk | byline | contrib | note
    pieces: list[tuple[int, str]] = field(default_factory=list)  # (raw offset, text) per physical line


def split_names(text: str) -> list[str]:
    """'A, B and C' -> [A, B, C]."""
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text.strip().rstrip("."))
    return [p.strip() for p in parts if p.strip()]


def parse_byline(line: str, outlet: str | None = None) -> tuple[list[str], str | None] | None:
    """Authors and a trailing outlet tag from a byline, or None when the line is no byline."""
    match = _BYLINE.match(line.strip())
    if not match:
        return None
    names_text = re.split(r"\s[|•·]\s|\s[–—]\s", match.group("names").strip())[0].strip()
    tag = None
    if paren := re.search(r"\s*\(([^()]{1,40})\)$", names_text):  # "By A and B (AP)"
        names_text, tag = names_text[: paren.start()], paren.group(1)
    for candidate in _outlet_variants(outlet) if tag is None else []:
        if names_text.endswith(" " + candidate) or names_text.endswith(", " + candidate):
            names_text, tag = names_text[: -len(candidate)].strip().rstrip(","), candidate
            break
    names = split_names(names_text)
    if not names:
        return None
    last = names[-1].split()
    # "Julian E. Barnes New York Times": a name is at most 3-4 tokens; the rest is an outlet tag.
    if tag is None and len(last) > 3:
        cut = 3 if len(last) > 2 and re.fullmatch(r"[A-Z]\.", last[1]) else 2
        names[-1], tag = " ".join(last[:cut]), " ".join(last[cut:])
    # "By A, Coastal Wire Service" / "By A, Staff Writer": organisations and roles are not authors.
    while names and _ORG_OR_ROLE.search(names[-1]):
        dropped = names.pop()
        tag = tag or dropped
    if not names:
        return None
    if not all(_NAME.match(n) for n in names):
        return None
    return names, tag


def _outlet_variants(outlet: str | None) -> list[str]:
    if not outlet:
        return []
    base = re.sub(r"\s*\(.*\)$", "", outlet).strip()
    variants = [base]
    if base.lower().startswith("the "):
        variants.append(base[4:])
    return variants


def parse_contributors(line: str) -> list[str] | None:
    """'A contributed reporting from X, and B and C from Y.' -> [A, B, C]."""
    match = _CONTRIBUTOR.match(line.strip()) if len(line) < 600 else None
    if not match:
        return None
    names = split_names(match.group("names"))
    rest = match.group("rest")
    # further names after the place: ", and Vivian Yee and Emad Mekay from Cairo."
    for chunk in re.split(r",\s*and\s+|;\s*", rest)[1:]:
        chunk = re.sub(r"\s+from\s+.*$", "", chunk.strip().rstrip("."))
        names.extend(n for n in split_names(chunk) if _NAME.match(n))
    return [n for n in names if _NAME.match(n)] or None


def parse_dateline(paragraph: str) -> tuple[str, str | None, int] | None:
    """(place, agency tag, length of the dateline prefix) or None."""
    match = _DATELINE.match(paragraph)
    if not match:
        return None
    place = match.group("place").strip()
    if len(place) < 3 or not any(c.isalpha() for c in place) or len(place.split()) > 4:
        return None
    return place, match.group("tag"), match.end()


def _words(line: str) -> list[str]:
    words = re.findall(r"[\w'’\-]+", line)
    unspaced = len(_UNSPACED.findall(line))
    if unspaced > 4:
        words = [w for w in words if not _UNSPACED.search(w)] + ["字"] * (unspaced // 2)
    return words


def _stop_share(words: list[str]) -> float:
    return sum(w.lower() in _STOP for w in words) / len(words) if words else 0.0


def _addresses_reader(line: str, words: list[str]) -> bool:
    """A short unquoted line speaking to "you": a site talking, not the report (outside recipes)."""
    return len(words) < 20 and not _QUOTE_CHARS.search(line) and bool(_SECOND_PERSON.search(line))


def _is_junk(line: str, words: list[str], boilerplate: frozenset[str]) -> bool:
    """Chrome whatever its position: calls to action, corpus boilerplate, slugs, menus."""
    if not words or len(line) > MAX_LINE:
        return True
    if " ".join(line.split()).casefold() in boilerplate:
        return True
    quoted = bool(_QUOTE_CHARS.search(line))
    if _CALL_TO_ACTION.search(line) and len(words) < 40 and not quoted:
        return True
    slugs = sum(bool(_SLUG_TOKEN.match(w)) for w in words)
    ends_sentence = bool(_SENTENCE_END.search(line))
    if slugs >= 2 or (slugs and not ends_sentence):
        return True
    return bool(_SEPARATORS.search(line)) and len(words) < 25


def _is_prose(line: str, words: list[str]) -> bool:
    if _SENTENCE_END.search(line) or _SIGNED_QUOTE.search(line):
        return len(words) >= 4 or bool(_QUOTE_CHARS.search(line))
    # No sentence punctuation: a cut paragraph reads like prose when long and made of function
    # words (English) or of lower-case words (any cased language), unlike titles and lists.
    if len(words) < 15:
        return False
    lower = sum(w[:1].islower() for w in words) / len(words)
    return _stop_share(words) >= 0.3 or lower >= 0.6


def _is_heading(line: str, words: list[str]) -> bool:
    """A subheading inside the prose: a few capitalised words, no code-like tokens."""
    return 2 <= len(words) <= 14 and line[0].isupper() and not line.endswith((":", ",", ";"))


def _repeated_prefixes(lines: list[str]) -> set[str]:
    """Two-word line openings repeated inside one report: site banners ("Example News ...")."""
    seen: dict[str, int] = {}
    for line in lines:
        words = line.split()
        if len(words) >= 3 and not _SENTENCE_END.search(line):
            key = " ".join(words[:2])
            seen[key] = seen.get(key, 0) + 1
    return {k for k, n in seen.items() if n > 1}


def _classify(lines: list[_Line], outlet: str | None, boilerplate: frozenset[str], cleaned: Cleaned) -> None:
    banners = _repeated_prefixes([line.text for line in lines])
    seen_prose = False
    for index, line in enumerate(lines):
        text = line.text
        if len(text) > MAX_LINE:
            line.kind = "junk"
            continue
        words = _words(text)
        if (index < 6 or not seen_prose) and not cleaned.authors and (byline := parse_byline(text, outlet)):
            cleaned.authors, tag = byline
            cleaned.outlet_tag = cleaned.outlet_tag or tag
            line.kind = "byline"
        elif contributors := parse_contributors(text):
            cleaned.contributors.extend(c for c in contributors if c not in cleaned.contributors)
            line.kind = "contrib"
        elif _SYNDICATION.match(text) and len(words) < 40:
            line.kind = "note"
        elif _is_junk(text, words, boilerplate):
            line.kind = "junk"
        elif any(text.startswith(b + " ") for b in banners) or _addresses_reader(text, words):
            line.kind = "soft"
        elif _is_prose(text, words):
            line.kind = "prose"
            seen_prose = True
        else:
            line.kind = "short"
    for line, following in zip(lines, lines[1:]):
        if line.kind == "short" and _introduces_quote(line.text, following):
            line.kind = "prose"


def _introduces_quote(text: str, following: _Line) -> bool:
    """A lead-in that a colon ends and a quoted paragraph follows: "Dr. Ward stated:", "He continued:"."""
    return text.endswith(":") and len(_words(text)) >= 2 and following.kind == "prose" \
        and following.text[:1] in "\"“«„"


def _split_lines(text: str) -> list[_Line]:
    """Logical lines: physical lines, or whole paragraphs when the text is hard-wrapped."""
    physical: list[tuple[int, int, str]] = []  # (line number, raw offset, stripped text)
    offset = 0
    for number, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        if stripped:
            physical.append((number, offset + len(raw) - len(raw.lstrip()), stripped))
        offset += len(raw) + 1
    groups: list[list[tuple[int, int, str]]] = [[item] for item in physical]
    if _hard_wrapped(physical):
        groups = []
        for item in physical:
            if groups and item[0] == groups[-1][-1][0] + 1:
                groups[-1].append(item)
            else:
                groups.append([item])
    return [_Line(group[0][1], " ".join(piece for _, _, piece in group), pieces=[(at, piece) for _, at, piece in group])
            for group in groups]


def _hard_wrapped(physical: list[tuple[int, int, str]]) -> bool:
    """Paragraphs split at a fixed width (email, wire archives): most lines run on into the next."""
    if len(physical) < 6:
        return False
    lengths = sorted(len(piece) for _, _, piece in physical)
    run_on = sum(b[0] == a[0] + 1 for a, b in zip(physical, physical[1:]))
    ending = sum(bool(_SENTENCE_END.search(piece)) for _, _, piece in physical)
    return lengths[int(len(lengths) * 0.9)] <= 100 and run_on >= 0.5 * len(physical) and ending <= 0.5 * len(physical)


def _runs(raw: str, fixed: str, body_pos: int, raw_pos: int) -> list[tuple[int, int, int]]:
    """Offset runs for one line; repair may change its length, so align the two forms."""
    if raw == fixed:
        return [(body_pos, raw_pos, len(fixed))]
    if len(raw) > 5000:  # SequenceMatcher is quadratic at worst; keep the common head and tail
        head = len(os.path.commonprefix([raw, fixed]))
        tail = len(os.path.commonprefix([raw[head:][::-1], fixed[head:][::-1]]))
        return [run for run in ((body_pos, raw_pos, head),
                                (body_pos + len(fixed) - tail, raw_pos + len(raw) - tail, tail)) if run[2]]
    matcher = SequenceMatcher(None, raw, fixed, autojunk=False)
    return [(body_pos + b, raw_pos + a, size) for a, b, size in matcher.get_matching_blocks() if size]


def clean_text(text: str, outlet: str | None = None, boilerplate: frozenset[str] = frozenset(),
               lenient: bool = False) -> Cleaned:
    """Clean one plain-text report; `boilerplate` holds lines repeated across the corpus (casefolded).

    `lenient` is for text an extractor already took from a page's main content (HTML, feeds): its
    short lines stay unless they are plainly chrome, so lists and instructions survive. Scraped
    plain text mixes chrome into the prose, so by default only prose and subheadings stay.
    """
    cleaned = Cleaned(body="")
    lines = _split_lines(text)
    _classify(lines, outlet, boilerplate, cleaned)
    prose_at = [i for i, line in enumerate(lines) if line.kind == "prose"]
    first, last = (prose_at[0], prose_at[-1]) if prose_at else (len(lines), -1)
    # The headline sits above the byline when there is one, else anywhere above the prose.
    header_end = min(first, next((i for i, line in enumerate(lines) if line.kind == "byline"), first))
    parts: list[str] = []
    pos = 0
    for index, line in enumerate(lines):
        keep = line.kind == "prose" or _keep_between(line, index, first, last, lenient)
        if not keep:
            _file_away(line, index, header_end, cleaned)
            continue
        pieces = list(line.pieces)
        # The dateline opens the story's first paragraph, which a dek or two may precede.
        if cleaned.dateline is None and index in prose_at[:3]:
            dateline = parse_dateline(line.text)
            if dateline and dateline[2] < len(pieces[0][1]):
                cleaned.dateline, tag, cut = dateline
                cleaned.outlet_tag = cleaned.outlet_tag or tag
                cleaned.date_text = cleaned.date_text or _DATELINE.match(line.text).group("date")
                pieces[0] = (pieces[0][0] + cut, pieces[0][1][cut:])
        if parts:
            parts.append("\n\n")
            pos += 2
        for number, (raw_start, piece) in enumerate(pieces):
            if number:
                parts.append(" ")
                pos += 1
            fixed = repair(piece)
            cleaned.offset_map.extend(_runs(piece, fixed, pos, raw_start))
            parts.append(fixed)
            pos += len(fixed)
    cleaned.body = "".join(parts)
    return cleaned


def _keep_between(line: _Line, index: int, first: int, last: int, lenient: bool) -> bool:
    """Whether a line that is not prose still belongs to the body.

    Scraped text keeps only subheadings between prose lines. Extracted main content (lenient)
    keeps its lists, captions-turned-text and instructions: everything after the first prose line
    that is not chrome, and the short lines above it except the first (the headline).
    """
    if line.kind not in ("short", "soft"):
        return False
    if not lenient:
        return line.kind == "short" and first < index < last and _is_heading(line.text, _words(line.text))
    if index > first:
        return True
    # Above the prose: keep a standfirst-like line, not the headline or a bare date stamp.
    date = _DATE_IN_LINE.search(line.text)
    return line.kind == "short" and 0 < index and not (date and len(date.group()) * 2 > len(line.text))


def _file_away(line: _Line, index: int, header_end: int, cleaned: Cleaned) -> None:
    """Record a line left out of the body: as the title, a note, a date, or just dropped."""
    text = line.text
    if line.kind == "note":
        cleaned.notes.append(text)
    elif line.kind == "short" and index < header_end and cleaned.title is None and 3 <= len(_words(text)) <= 30:
        cleaned.title = text
    elif line.kind == "short" and index < header_end + 2:
        words = _words(text)
        if _OUTLET_TAG.match(text) and len(words) <= 5:
            cleaned.outlet_tag = cleaned.outlet_tag or text.strip("()")
    if line.kind in ("short", "soft", "junk", "note") and cleaned.date_text is None:
        match = _DATE_IN_LINE.search(text)
        if match and len(_words(text)) < 25:
            cleaned.date_text = match.group()
    cleaned.dropped.append(text)
