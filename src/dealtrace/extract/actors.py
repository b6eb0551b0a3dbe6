"""Actors: named people, organisations and states in one report, grouped, with roles and sides.

Mentions come from the parse's PERSON / ORG / GPE / NORP entities, corrected by rules (a name
the report tags PERSON elsewhere is a person; a one-word "person" that is a side alias is the
side; "n't", ages and weekdays are not actors), from title-only references ("the <demonym>
prime minister") and from collective phrases ("<demonym> negotiators", "the mediators").
People are grouped by name variants inside the report; `analyze.actors` merges them across
reports. Generic word lists (titles, honorifics, organisation words, countries) live in
``dealtrace/data``; what one negotiation needs (sides, aliases) comes from the profile.

Helpers other extractors call: `actor_for_span`, `person_name_key`, `dateline_end` (and `side_for_text`, from `extract.sides`).
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
import weakref
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..model import Actor, Mention, Profile, Report, Side, record_id
from . import Context, extractor
from .common import PHRASE_CACHE, doc_text, fold, lowered_for_gates, noun_chunk_bounds, noun_chunks, raw_span, span_text
from .sides import (Country, countries, data_lines, demonym_forms, is_demonym_of, side_aliases,  # noqa: F401
                    side_for_text, side_matches)
from .sides import word_set as _words

__all__ = ["find_actors", "group_mentions", "side_for_text", "side_aliases", "actor_for_span", "title_pattern",
           "person_name_key", "data_lines", "titles", "countries", "Country", "demonym_forms"]

log = logging.getLogger(__name__)

KINDS = {"PERSON": "person", "ORG": "organization", "GPE": "country", "NORP": "group"}
SIDE_KINDS = {"GPE": "country", "ORG": "organization", "NORP": "group", "PERSON": "group"}
# Weight of each way of finding a person's side when reports disagree (see analyze.actors).
SIDE_SOURCES = {"profile": 5, "role": 4, "alias": 3, "patron": 3, "home": 2, "context": 1}
_SPEECH = {"say", "tell", "add", "state", "announce", "insist", "argue", "warn", "claim", "note", "declare",
           "write", "reply", "respond", "acknowledge", "confirm", "deny", "stress", "explain", "urge"}
_NOT_NAMES = re.compile(
    r"^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|today|tonight|yesterday|tomorrow)$", re.I)
_PARTICLES = {"bin", "ibn", "bint", "al", "el", "abu", "de", "da", "di", "du", "van", "von", "der", "den", "la",
              "le", "dos", "das", "del"}
_NICKNAME = re.compile(r"\b(?:whose nickname is|nicknamed|known as|dubbed|called)\s+[\"“‘']?"
                       r"([A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)?)")
_HOME = re.compile(r"\b(?:(?:his|her|their)\s+(?:return\s+(?:flight|trip|journey)|way\s+(?:back\s+)?home|"
                   r"return)|returned\s+home|flew\s+(?:back\s+)?home)\s+to\s+([^,.;]{2,40})", re.I)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


# -- titles ---------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def titles() -> dict[str, int]:
    """Role titles and their rank (3 = head of state or government)."""
    out = {}
    for line in data_lines("titles.txt"):
        title, _, rank = line.partition("\t")
        out[title.strip().casefold()] = int(rank or 1)
    return out


@functools.lru_cache(maxsize=None)
def title_pattern() -> re.Pattern[str]:
    words = sorted(titles(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?:s|es)?(?![\w-])", re.I)


# -- names ----------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _honorific_re() -> re.Pattern[str]:
    words = sorted(_words("honorifics.txt"), key=len, reverse=True)
    return re.compile(r"^(?:(?:" + "|".join(map(re.escape, words)) + r")\.?\s+)+", re.I)


@functools.lru_cache(maxsize=None)
def _trailing_honorific_re() -> re.Pattern[str]:
    return re.compile(r"\s+(?:(?:" + "|".join(map(re.escape, _words("honorifics.txt"))) + r")\.?)$", re.I)


def strip_titles(name: str) -> str:
    """A name without leading honorifics ("Mr.", "Gen.") and possessive ending."""
    name = _POSSESSIVE.sub("", name.strip())
    return _honorific_re().sub("", name).strip()


@functools.lru_cache(maxsize=PHRASE_CACHE)
def person_name_key(name: str) -> str:
    """The comparison form of a person's name: no honorifics, no middle initials, folded.

    "Antony J. Blinken" and "Antony Blinken" share a key; so do "Mr. Barnea" and "Barnea".
    """
    tokens = strip_titles(name).split()
    kept = [t for t in tokens if not re.fullmatch(r"[A-Z]\.?", t)] if len(tokens) > 2 else tokens
    return fold(" ".join(kept or tokens))


def _surname(key: str) -> str:
    return key.split()[-1] if key else key


# -- spans ----------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=PHRASE_CACHE)
def _is_title_word(word: str) -> bool:
    """A token's text is a title ("Minister", "envoys"); kept per word: the title pattern is a long
    alternation, and the same words are asked about again and again."""
    return bool(title_pattern().fullmatch(word))


@functools.lru_cache(maxsize=PHRASE_CACHE)
def _holds_title(word: str) -> bool:
    """`title_pattern().search(word)` for one token's text, kept per word as `_is_title_word` is."""
    return bool(title_pattern().search(word))


def _is_title_token(token: Token) -> bool:
    return _is_title_word(token.text) or token.lower_ in _words("honorifics.txt") \
        or token.lower_.rstrip(".") in _words("honorifics.txt")


def _fix_person_span(doc: Doc, ent: Span) -> Span:
    """Widen a PERSON entity over name tokens the model left out ("Antony" J. Blinken; "bin Jassim Al Thani")."""
    start, end = ent.start, ent.end
    sent = ent.sent  # Span.sent searches the sentence boundaries again on each use
    while start > sent.start:
        tok = doc[start - 1]
        if tok.ent_type_ or not tok.is_title or tok.pos_ != "PROPN" or _is_title_token(tok) or tok.is_sent_start:
            break
        start -= 1
    while end < sent.end - 1:
        tok, nxt = doc[end], doc[end + 1]
        if tok.lower_ in _PARTICLES and nxt.is_title and not nxt.ent_type_ in ("GPE", "ORG", "NORP"):
            end += 2
        elif tok.is_title and tok.pos_ == "PROPN" and not tok.ent_type_ and not _is_title_token(tok) \
                and doc[end - 1].lower_ in _PARTICLES | {"al"}:
            end += 1
        else:
            break
    return doc[start:end]


def _trim(span: Span) -> Span | None:
    """Drop a leading "the" and a trailing possessive from an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    if start < end and doc[start].lower_ == "the":
        start += 1
    while end > start and doc[end - 1].text in ("’s", "'s", "’", "'"):
        end -= 1
    if end <= start:
        return None
    return doc[start:end]


def _bad_name(text: str) -> bool:
    core = strip_titles(text)
    if core.casefold().rstrip(".") in _words("honorifics.txt"):
        return True
    return (not core or not re.search(r"[A-Z]", core) or bool(_NOT_NAMES.match(core))
            or bool(re.fullmatch(r"[\W\d_]+|n[’']t|[’']\w{0,2}", core)) or len(core) < 2)


def _journalists(report: Report) -> set[str]:
    names = set()
    for name in [*report.authors, *report.contributors]:
        names.add(person_name_key(name))
    return names


# -- roles ----------------------------------------------------------------------------------------

_MODIFIERS = {"senior", "former", "deputy", "foreign", "defense", "defence", "chief", "top", "lead", "acting",
              "intelligence", "military", "political", "vice", "interim", "special", "security", "finance",
              "interior", "state", "national", "general", "prime", "head", "executive", "of", "-", "the"}


@dataclass
class _Role:
    text: str | None = None
    phrase: str = ""  # where to look for the side
    office: bool = False  # holds an office (a title word), not just an age or a relative
    kin: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)  # token ranges of the role phrases


def _left_title(doc: Doc, span: Span) -> tuple[int, str] | None:
    """ "Prime Minister", "Velorian intelligence chief Gen.", "Veloria's President" right before a name."""
    i = span.start
    start = i
    sent_start = span.sent.start
    while start > sent_start:
        tok = doc[start - 1]
        ok = (_is_title_token(tok) or tok.lower_ in _MODIFIERS or tok.text in ("’s", "'s", "’")
              or (tok.ent_type_ in ("NORP", "GPE", "ORG") and tok.is_title)
              or (tok.is_upper and len(tok.text) > 1 and tok.pos_ == "PROPN")
              or (tok.is_title and tok.lower_ in _words("org_kinds.txt")))  # "Government spokeswoman"
        if not ok:
            break
        start -= 1
    if start < i and doc[i - 1].lower_ == "of":
        return None  # "the mayor of Hollin": the name is what the title is of, not who holds it
    while start < i and doc[start].lower_ in ("of", "-", "the", "’s", "'s"):
        start += 1
    if start == i:
        return None
    text = doc[start:i].text
    return (start, text) if title_pattern().search(text) else None


_STOPS = {",", ".", ";", ":", "—", "–", ")", "“", "”", '"'}


def _phrase_after(doc: Doc, span: Span) -> Span | None:
    """The appositive after a name: ", the head of Y," / ", a senior X official" (up to the next stop)."""
    i = span.end
    if i >= len(doc) - 1 or doc[i].text != ",":
        return None
    j = i + 1
    sent_end = span.sent.end
    while j < sent_end and doc[j].text not in _STOPS and j - i < 16:
        j += 1
    return doc[i + 1:j] if j > i + 1 else None


def _phrase_before(doc: Doc, span: Span) -> Span | None:
    """The noun phrase before ", NAME": "Hamas’s political leader, Ismail Haniyeh"."""
    i = span.start
    if i < 2 or doc[i - 1].text != ",":
        return None
    head = i - 2
    bounds = noun_chunk_bounds(doc)
    # chunks are in text order and never overlap: only the last one starting at or before `head` can hold it
    k = bisect.bisect_right(bounds, (head, len(doc) + 1)) - 1
    if k >= 0 and bounds[k][0] <= head < bounds[k][1]:
        start, end, label = bounds[k]
        return Span(doc, start, end, label=label)
    return None


def _role_of(doc: Doc, span: Span, persons: list[Span], profile: Profile) -> _Role:
    role = _Role()
    parts: list[str] = []
    left = _left_title(doc, span)
    if left:
        role.spans.append((left[0], span.start))
        parts.append(left[1])
    before = _phrase_before(doc, span)
    if before is not None and title_pattern().search(before.text) and not any(
            p.start >= before.start and p.end <= before.end for p in persons):
        role.spans.append((before.start, before.end))
        parts.append(before.text)
    after = _phrase_after(doc, span)
    if after is not None:
        first = after[0].lower_
        if re.fullmatch(r"\d{1,3}", after.text.strip()):
            pass  # an age
        elif first in ("who", "whose", "which", "that") or after[0].pos_ in ("VERB", "AUX"):
            if first == "whose" and len(after) > 1 and after[1].lower_ in _words("kinship.txt"):
                role.kin = True
                role.text = role.text or "relative of " + " ".join(t.text for t in after[2:]).strip()
            lead = re.match(r"who (?:leads|heads|chairs|runs|commands|directs) (.+)$", after.text)
            if lead:  # "Col. Henrik Saal, who leads the mission,"
                parts.append("head of " + lead.group(1))
        elif title_pattern().search(after.text) or after.root.lower_ in _words("kinship.txt"):
            role.spans.append((after.start, after.end))
            parts.append(after.text)
    tail = span.end
    sent_end = span.sent.end
    if tail + 1 < sent_end and doc[tail].lower_ == "of" and doc[tail + 1].ent_type_ in ("GPE", "ORG", "NORP"):
        ent_end = tail + 1
        while ent_end < sent_end and doc[ent_end].ent_iob_ == "I" or ent_end == tail + 1:
            ent_end += 1
        parts.append(doc[tail:ent_end].text)
    before = [doc[i].lower_ for i in range(max(0, span.start - 2), span.start + 1)]
    if any(re.match(r"(gen|lt|col|maj|capt|cmdr|adm|sgt)\.?$", word) for word in before):
        role.office = True  # a military rank is an office even without a title word
    if parts:
        role.phrase = " ; ".join(parts)
        texts = [p for p in parts if title_pattern().search(p)]
        if texts:
            role.office = True
            if texts[0].startswith("head of "):
                texts = texts[1:] + texts[:1]
            role.text = _clean_role(texts[0], profile)
        elif not role.text:
            role.text = _clean_role(parts[0], profile)
    return role


def _clean_role(text: str, profile: Profile) -> str:
    """ "Hamas’ lead negotiator" -> "lead negotiator"; "the Israeli prime minister" -> "prime minister".

    Side words that qualify the title are dropped (the side is kept apart); those after "of",
    "to" or "for" ("director of the Israeli intelligence service Mossad") stay.
    """
    text = re.sub(r"^(the|a|an|its|his|her|their)\s+", "", text.strip(), flags=re.I)
    patterns = _side_word_patterns(side_aliases(profile))
    lowered = lowered_for_gates(text)
    for pattern, literal, exact in patterns:
        # An alias's pattern runs only where the alias is written (any case unless exact): a substring
        # test per alias costs less than one search of the alternation of them all.
        if literal is not None and (literal not in text if exact else
                                    lowered is not None and literal not in lowered):
            continue
        cleaned = pattern.sub("", text)
        if cleaned != text:
            text, lowered = cleaned, lowered_for_gates(cleaned)
    text = re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.I)
    text = _honorific_re().sub("", text)
    text = _trailing_honorific_re().sub("", text)
    return text.strip(" ,")


@functools.lru_cache(maxsize=64)
def _side_word_patterns(aliases: tuple[tuple[str, str, bool], ...]) -> list[tuple[re.Pattern[str], str | None, bool]]:
    """Per side alias, the pattern `_clean_role` drops it with, the text a match must hold (the alias,
    lower-cased unless exact; None when not ASCII) and whether case counts. Compiled once per profile.
    """
    patterns = []
    for alias, _, exact in aliases:
        source = (r"(?:^|(?<=\s))(?<!of )(?<!to )(?<!for )(?<![\w.])" + re.escape(alias)
                  + r"(?:['’]s|['’])?(?![\w])\s+(?=\S)")
        patterns.append((re.compile(source, 0 if exact else re.I),
                         alias if exact else (alias.lower() if alias.isascii() else None), exact))
    return patterns


# -- the extractor -------------------------------------------------------------------------------

@extractor("actors", assigns=("actors",))
def find_actors(ctx: Context) -> None:
    ctx.found.actors = group_mentions(ctx.doc, ctx.report, ctx.profile)


def _mention(report: Report, span: Span | tuple[int, int, str], label: str, sentence: str | None) -> Mention:
    if isinstance(span, Span):
        start, end, text = span.start_char, span.end_char, span.text
    else:
        start, end, text = span
    raw_start, raw_end = raw_span(report, start, end)
    return Mention(report=report.id, file=report.file, text=text, start=start, end=end, raw_start=raw_start,
                   raw_end=raw_end, label=label, sentence=sentence)


def _agentive(span: Span) -> bool:
    """The mention acts: subject of a non-copular verb (or the agent of a passive one)."""
    root = span.root
    if root.dep_ in ("appos", "compound") and root.head.pos_ in ("NOUN", "PROPN"):
        root = root.head
    if root.dep_ in ("nsubj", "csubj") and root.head.lemma_ != "be":
        return True
    return root.dep_ == "pobj" and root.head.dep_ == "agent"


def _speaks(span: Span) -> bool:
    root = span.root
    if root.dep_ == "appos":
        root = root.head
    return root.dep_ == "nsubj" and root.head.lemma_ in _SPEECH


class _Builder:
    """The actors of one report, built mention by mention."""

    def __init__(self, doc: Doc, report: Report, profile: Profile) -> None:
        self.doc, self.report, self.profile = doc, report, profile
        self.people: dict[str, Actor] = {}
        self.others: dict[str, Actor] = {}
        self.evidence: dict[str, Counter] = {}  # person key -> Counter[(side, source)]
        self.patrons: dict[str, set[str]] = {}  # person key -> keys of people their role names
        self.offices: set[str] = set()
        self.titles: set[int] = set()  # tokens of titles written before a name ("Secretary of State")
        self.roles: set[int] = set()  # tokens of role phrases around a name

    def actor(self, table: dict[str, Actor], key: str, name: str, kind: str, side: str | None = None) -> Actor:
        actor = table.get(key)
        if actor is None:
            actor = table[key] = Actor(id=record_id("actor", self.report.id, key), name=name, kind=kind, side=side)
        return actor

    def side_actor(self, side: Side, label: str) -> Actor:
        actor = self.actor(self.others, "side:" + fold(side.name), side.name, SIDE_KINDS.get(label, "group"), side.name)
        actor.side_source = "profile"
        actor.role = actor.role or side.role
        return actor

    def add(self, actor: Actor, span: Span | tuple[int, int, str], label: str) -> None:
        start = span.start_char if isinstance(span, Span) else span[0]
        sent = self.doc.char_span(start, start + 1, alignment_mode="expand")
        actor.mentions.append(_mention(self.report, span, label, span_text(sent.sent) if sent is not None else None))

    def vote(self, key: str, side: Side | None, source: str) -> None:
        if side is not None:
            self.evidence.setdefault(key, Counter())[(side.name, source)] += 1


def group_mentions(doc: Doc, report: Report, profile: Profile) -> list[Actor]:
    """The actors of one report: people grouped by name variants, sides, organisations, collectives."""
    b = _Builder(doc, report, profile)
    journalists = _journalists(report)
    spans = _entity_spans(doc, profile, report)
    persons = [s for s, label in spans if label == "PERSON"]
    nicknames = _nicknames(doc, persons)
    taken: set[int] = set()  # token indices already part of a mention

    # 1. people with full names first, so bare surnames attach to them
    keys_by_surname: dict[str, set[str]] = {}
    single: list[Span] = []
    for span in persons:
        name = strip_titles(span.text)
        key = person_name_key(name)
        if key in journalists or (len(key.split()) == 1 and key in {_surname(j) for j in journalists}):
            continue  # bylines and contributor lines are never actors
        if len(key.split()) == 1:
            single.append(span)
            continue
        actor = b.actor(b.people, key, name, "person")
        keys_by_surname.setdefault(_surname(key), set()).add(key)
        whole = _note_person(b, key, actor, span, persons)
        b.add(actor, whole, "PERSON")
        taken.update(range(whole.start, whole.end))
    for span in single:
        name = strip_titles(span.text)
        key = person_name_key(name)
        owners = keys_by_surname.get(key, set())
        if key in nicknames:
            key = nicknames[key]
        elif len(owners) == 1:
            key = next(iter(owners))
        elif any(key == fold(a) for a in _first_names(b.people)):
            key = next(k for k in b.people if k.split()[0] == key)
        actor = b.actor(b.people, key, name, "person")
        whole = _note_person(b, key, actor, span, persons)
        b.add(actor, whole, "PERSON")
        taken.update(range(whole.start, whole.end))

    # 2. titles standing for a person, collectives standing for a side
    for chunk in noun_chunks(doc):
        if any(i in taken or i in b.roles for i in range(chunk.start, chunk.end)):
            continue
        root = chunk.root  # Span.root walks the chunk's heads on every use
        if _collective(b, chunk, root) or _title_reference(b, chunk, root, persons):
            taken.update(range(chunk.start, chunk.end))

    # 3. organisations, states and groups
    for span, label in spans:
        if label == "PERSON" or any(i in taken or i in b.titles for i in range(span.start, span.end)):
            continue
        side = side_for_text(profile, span.text, whole=True)
        if side is None and (label != "ORG" or _owned_by_demonym(span, profile)):
            side = side_for_text(profile, span.text)
        if side is not None:
            b.add(b.side_actor(side, label), span, label)
            continue
        name = strip_titles(span.text)
        actor = b.actor(b.others, fold(name), name, KINDS[label])
        if label == "ORG" and actor.side is None:
            owner = _org_owner(doc, span, profile)
            if owner is not None:
                actor.side, actor.side_source = owner.name, "role"
        actor.involved = actor.involved if actor.mentions else False
        actor.involved = actor.involved or _agentive(span)
        if span.start > 0 and doc[span.start - 1].lower_ == "the" and label == "ORG":
            span = doc[span.start - 1:span.end]  # keep "the Relief Collective" as written
        b.add(actor, span, label)

    _resolve_sides(b)
    _resolve_titles(b)
    for key, actor in b.others.items():
        if key.startswith("side:"):
            labels = Counter(m.label for m in actor.mentions if m.label in SIDE_KINDS)
            if labels:
                actor.kind = SIDE_KINDS[labels.most_common(1)[0][0]]
    actors = [*b.people.values(), *b.others.values()]
    for actor in actors:
        aliases = {strip_titles(m.text) for m in actor.mentions if m.label == "PERSON"}
        if actor.kind == "person" and not actor.descriptor and len(actor.name.split()) > 1:
            aliases.add(actor.name.split()[-1])  # the surname alone, as later mentions use it
        aliases |= {m.text for m in actor.mentions if m.label == "TITLE"}
        aliases |= {m.text.split(", ")[0] for m in actor.mentions if m.label == "PERSON" and ", " in m.text
                    and m.text.casefold().startswith("the ")}  # "the Qatari prime minister, Mohammed ..."
        actor.aliases = sorted(aliases - {actor.name})
    return actors


def _first_names(people: dict[str, Actor]) -> set[str]:
    counts = Counter(k.split()[0] for k in people if len(k.split()) > 1)
    return {name for name, n in counts.items() if n == 1}


_LOCATIVE = {"in", "from", "to", "near", "at", "into", "around", "outside", "inside", "toward", "towards", "across"}
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .’'-]{1,40}(?:,\s*[A-Z][\w .’'-]{1,40})?"  # CITY, Country
                       r"\s*(?:\([A-Za-z .]{1,20}\))?\s*[—–-]{1,2}\s")  # (AGENCY) —


_DATELINE_ENDS: "weakref.WeakKeyDictionary[Doc, int]" = weakref.WeakKeyDictionary()


def dateline_end(doc: Doc) -> int:
    """Where a "CITY, Country (AGENCY) —" dateline opening the body ends (0 when there is none).

    Datelines name where a story was filed, not who acts in it, so their names are not mentions.
    Found once per Doc: `_context_side` asks again for each speaker it places.
    """
    end = _DATELINE_ENDS.get(doc)
    if end is None:
        end = _DATELINE_ENDS[doc] = _find_dateline_end(doc_text(doc)[:400])
    return end


def _find_dateline_end(head: str) -> int:
    for m in re.finditer(r"(?:^|\n)([^\n]{0,120})", head):
        line = m.group(1)
        d = _DATELINE.match(line)
        if d:
            return m.start(1) + d.end()
    return 0


def _outlets(report: Report) -> set[str]:
    names = set()
    for name in [report.outlet, *(s.outlet for s in report.sources)]:
        if name:
            names.add(fold(re.sub(r"\s*\(.*?\)\s*$", "", name)))
            names.add(fold(re.sub(r"^the\s+", "", re.sub(r"\s*\(.*?\)\s*$", "", name), flags=re.I)))
    return names


def _untagged_names(doc: Doc) -> list[Span]:
    """Names the model missed after an honorific or rank: "Sgt. Emil Rask", "Col. Henrik Saal"."""
    out = []
    honorifics = _words("honorifics.txt")
    flags = doc.to_array(["IS_TITLE", "LOWER"])
    # the flag and the word's hash first: Token objects only for the few title-case words (and Python
    # integers only for them: converting the whole array of 64-bit hashes costs milliseconds per report)
    for i in flags[:, 0].nonzero()[0].tolist():
        if doc.vocab.strings[int(flags[i, 1])].rstrip(".") not in honorifics:
            continue
        tok = doc[i]
        first = tok.i + 1
        if not tok.text.endswith("."):
            if first >= len(doc) or doc[first].text != ".":
                continue
            first += 1  # "Sgt" "." split by the tokenizer
        j = first
        while j < len(doc) and j - first < 3 and doc[j].is_title and doc[j].pos_ in ("PROPN", "NOUN") \
                and not doc[j].ent_type_:
            j += 1
        if j > first and (j == len(doc) or not doc[j].ent_type_):
            out.append(Span(doc, first, j, label="PERSON"))
    return out


def _split_conjoined(span: Span, profile: Profile) -> list[Span]:
    """ "Calvora and Norvane" tagged as one entity: two sides."""
    cuts = [t.i for t in span if t.lower_ in ("and", ",", "&")]
    if not cuts:
        return [span]
    parts, start = [], span.start
    for cut in [*cuts, span.end]:
        if cut > start:
            parts.append(span.doc[start:cut])
        start = cut + 1
    if all(side_for_text(profile, p.text, whole=True) is not None for p in parts):
        return parts
    return [span]


def _entity_spans(doc: Doc, profile: Profile, report: Report | None = None) -> list[tuple[Span, str]]:
    """Entity spans with the model's labels corrected by the report itself and the profile."""
    skip_to = dateline_end(doc)
    outlets = _outlets(report) if report is not None else set()
    # where the outlet's own name is written ("The Brannock Bulletin" header, copyright line)
    blocked = [(m.start(), m.end()) for name in outlets if len(name) > 3
               for m in re.finditer(re.escape(name), doc_text(doc), flags=re.I)]
    raw: list[tuple[Span, str]] = []
    for ent in [*doc.ents, *_untagged_names(doc)]:
        if ent.label_ not in KINDS or ent.start_char < skip_to:
            continue
        if any(lo <= ent.start_char and ent.end_char <= hi for lo, hi in blocked):
            continue
        span = _fix_person_span(doc, ent) if ent.label_ == "PERSON" else ent
        if ent.label_ == "PERSON":  # "Veloria hardens": a name has no lower-case words but particles
            end = span.end
            while end > span.start + 1 and span.doc[end - 1].is_lower and span.doc[end - 1].lower_ not in _PARTICLES:
                end -= 1
            span = span.doc[span.start:end]
        span = _trim(span)
        if span is None or _bad_name(span.text) or fold(span.text) in outlets:
            continue
        if span[-1].lower_ in _words("place_words.txt") and len(span) > 1:
            continue  # "Brannock Corridor", "Kestrel City": places
        for part in _split_conjoined(span, profile) if ent.label_ in ("ORG", "GPE") else [span]:
            raw.append((part, ent.label_))
    person_keys = {person_name_key(s.text) for s, label in raw
                   if label == "PERSON" and side_for_text(profile, s.text, whole=True) is None}
    surnames = {_surname(k) for k in person_keys if len(k.split()) > 1}
    # One-word "people" mostly written after "in", "from", "near" are places ("in Hollin").
    places: Counter = Counter()
    for span, label in raw:
        if label == "PERSON" and len(span) == 1 and person_name_key(span.text) not in surnames:
            prev = doc[span.start - 1] if span.start else None
            places[span.text] += 1 if prev is not None and prev.lower_ in _LOCATIVE else -1
    out = []
    for span, label in raw:
        key = person_name_key(span.text)
        nxt = span.doc[span.end] if span.end < len(span.doc) else None
        prev = span.doc[span.start - 1] if span.start > 0 else None
        if label == "PERSON":
            if side_for_text(profile, span.text, whole=True) is not None:
                label = "ORG"  # a one-word "person" that is a side alias is the side
            elif nxt is not None and nxt.lower_ in _words("org_kinds.txt"):
                label = "ORG"  # "Shin Bet intelligence service"
            elif prev is not None and prev.lower_ == "the" and nxt is not None and nxt.pos_ == "NOUN" \
                    and nxt.is_lower:
                continue  # "the Rafah crossing": a place or thing named after someone, not a person
            elif nxt is not None and nxt.lower_ in ("administration", "government", "cabinet", "campaign"):
                continue  # "the Biden administration" names the government, used as side evidence
            elif prev is not None and prev.lower_ == "the":
                label = "ORG"  # "the Relief Collective": people do not take an article
            elif places.get(span.text, 0) > 0:
                label = "GPE"
        elif key in person_keys or (len(key.split()) == 1 and key in surnames):
            label = "PERSON"  # "Blinken" tagged GPE once is still the person
        elif prev is not None and prev.lower_ == "the" and nxt is not None and nxt.pos_ == "NOUN" \
                and nxt.is_lower and nxt.lower_ not in _words("org_kinds.txt") \
                and side_for_text(profile, span.text, whole=True) is None:
            continue  # "the Brannock highway": a name used to qualify a thing
        out.append((span, label))
    return out


def _nicknames(doc: Doc, persons: list[Span]) -> dict[str, str]:
    """Nickname -> person key, from "X, whose nickname is Y" / "X, known as Y" statements."""
    out = {}
    for m in _NICKNAME.finditer(doc_text(doc)):
        before = [p for p in persons if p.end_char <= m.start() and m.start() - p.end_char < 40]
        if not before:
            continue
        owner = person_name_key(before[-1].text)
        nick = fold(m.group(1))
        if nick != owner and nick not in owner.split():
            out[nick] = owner
    # a bare surname used as the owner: resolve it to the full name in the report
    full = {_surname(person_name_key(p.text)): person_name_key(p.text) for p in persons
            if len(person_name_key(p.text).split()) > 1}
    return {nick: full.get(owner, owner) for nick, owner in out.items()}


def _note_person(b: _Builder, key: str, actor: Actor, span: Span, persons: list[Span]) -> Span:
    """Role, side evidence and involvement from one person mention; returns the whole mention.

    The mention covers the title or appositive written before the name ("Calvoran Foreign
    Minister Helena Ravik", "Veloria's foreign minister, Irena Castell", "Mr. Barnea").
    """
    role = _role_of(b.doc, span, persons, b.profile)
    first = span.start
    while first > 0 and not _is_title_word(b.doc[first - 1].text) and (
            _is_title_token(b.doc[first - 1]) or (b.doc[first - 1].text == "." and first > 1
                                                  and _is_title_token(b.doc[first - 2]))):
        first -= 2 if b.doc[first - 1].text == "." else 1  # honorifics: "Mr.", "Gen.", "Sgt" "."
    for start, end in role.spans:
        b.roles.update(range(start, end))
        if end in (span.start, first):
            b.titles.update(range(start, end))
            first = min(first, start)
        elif end == span.start - 1 and b.doc[end].text == ",":
            first = min(first, start)  # "the Front's chief negotiator, Nadia Ferrault"
        elif b.doc[start].lower_ == "the" and title_pattern().search(b.doc[start:end].text):
            # "Benjamin Netanyahu, the Israeli prime minister,": the title refers to him too
            b.add(actor, b.doc[start:end], "TITLE")
    if role.text and (actor.role is None or (role.office and key not in b.offices)):
        actor.role = role.text
    if role.office:
        b.offices.add(key)
    side = side_for_text(b.profile, role.phrase) if role.phrase else None
    b.vote(key, side, "role")
    if side is None and role.phrase:
        for other in persons:
            lo, hi = other.start_char, other.end_char
            inside = any(b.doc[s].idx <= lo and hi <= b.doc[e - 1].idx + len(b.doc[e - 1]) for s, e in role.spans)
            if inside and person_name_key(other.text) != key:
                b.patrons.setdefault(key, set()).add(person_name_key(other.text))
    home = _HOME.search(span_text(span.sent))
    if home is not None:
        b.vote(key, side_for_text(b.profile, home.group(1)), "home")
    if _speaks(span) and role.office and side is None:
        b.vote(key, _context_side(b, span), "context")
    actor.involved = (actor.involved if len(actor.mentions) else False) or role.office or _agentive(span)
    return b.doc[first:span.end]


def _context_side(b: _Builder, span: Span) -> Side | None:
    """The side a speaker's surroundings are about: the sentence and the one before, one side dominant."""
    sents = list(b.doc.sents)
    idx = next((i for i, s in enumerate(sents) if s.start <= span.start < s.end), 0)
    counts: Counter = Counter()
    skip_to = dateline_end(b.doc)
    for sent in sents[max(0, idx - 2):idx + 1]:
        for ent in sent.ents:
            if ent.label_ in ("GPE", "ORG", "NORP") and ent.start_char >= skip_to:
                side = side_for_text(b.profile, ent.text)
                if side is not None:
                    counts[side.name] += 1
    ranked = counts.most_common(2)
    if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > 2 * ranked[1][1]):
        return next(s for s in b.profile.sides if s.name == ranked[0][0])
    return None


def _collective(b: _Builder, chunk: Span, root: Token) -> bool:
    """ "Israeli negotiators", "U.S. officials", "the mediators": mentions of a side (or of the mediators)."""
    if root.lower_ not in _words("collectives.txt") or root.pos_ not in ("NOUN", "PROPN"):
        return False
    sides = []
    for token in chunk:
        if token.i == root.i or token.dep_ == "det":
            continue
        side = side_for_text(b.profile, token.text) if token.ent_type_ or token.is_title else None
        if side is not None and side not in sides:
            sides.append(side)
    if not sides:
        phrase = b.doc[chunk.start:root.i].text
        side = side_for_text(b.profile, phrase)
        sides = [side] if side is not None else []
    if sides:
        for side in sides:
            b.add(b.side_actor(side, "NORP"), chunk, "COLLECTIVE")
        return True
    if root.lower_ == "mediators" and all(t.dep_ in ("det", "amod") or t.i == root.i for t in chunk):
        actor = b.actor(b.others, "collective:mediators", "mediators", "collective")
        actor.role = "mediator"
        b.add(actor, chunk, "COLLECTIVE")
        return True
    return False


def _title_reference(b: _Builder, chunk: Span, root: Token, persons: list[Span]) -> bool:
    """ "the Israeli prime minister", "the C.I.A. director": a person named only by role and side."""
    doc = b.doc
    if chunk[0].lower_ not in ("the",) and not chunk[0].text.endswith(("’s", "'s")) and chunk[0].dep_ != "poss":
        return False
    if root.tag_ in ("NNS", "NNPS") or not _holds_title(root.text):
        return False
    match = title_pattern().search(doc[chunk.start:chunk.end].text)
    if match is None:
        return False
    nxt = doc[chunk.end] if chunk.end < len(doc) else None
    prev = doc[chunk.start - 1] if chunk.start > 0 else None
    if nxt is not None and (nxt.ent_type_ == "PERSON" or (nxt.text == "," and chunk.end + 1 < len(doc)
                                                          and doc[chunk.end + 1].ent_type_ == "PERSON")):
        return False  # a role written next to the name, already read by _role_of
    if prev is not None and prev.text == "," and any(p.end == chunk.start - 1 for p in persons):
        return False
    side = side_for_text(b.profile, chunk.text)
    title = [m.group(1).casefold() for m in title_pattern().finditer(chunk.text)][-1]
    if side is None:
        # "The general", "the intelligence chief": the one person here whose role has that title
        holders = [p for p in b.people.values() if not p.descriptor and re.search(
            rf"(?<!\w){re.escape(title)}(?!\w)", " ".join([p.role or "", *_ranks(p)]), re.I)]
        if len(holders) != 1 or chunk[0].lower_ != "the":
            return False
        b.add(holders[0], chunk, "TITLE")
        return True
    key = f"title:{fold(side.name)}:{title}"
    actor = b.actor(b.people, key, f"{side.name} {title}", "person", side.name)
    actor.descriptor, actor.role, actor.side_source = True, title, "role"
    b.add(actor, chunk, "TITLE")
    return True


def _owned_by_demonym(span: Span, profile: Profile) -> bool:
    """ "Israeli Defense Forces", "Velorian army": a side's adjective before an organisation word.

    "University of Port Alder" or "Port Alder Harbour Company" only say where an organisation is.
    """
    found = side_matches(profile, span.text)
    return any(re.fullmatch(r"[A-Z][a-z]+(?:an|i|ese|ish)s?", alias, flags=re.I) and pos == 0
               for pos, _, _, alias in found) and span[-1].lower_ in _words("org_kinds.txt")


_RANKS = {"gen": "general", "col": "colonel", "lt": "lieutenant", "maj": "major", "capt": "captain",
          "adm": "admiral", "sgt": "sergeant", "cmdr": "commander"}


def _ranks(person: Actor) -> list[str]:
    """Military ranks written before a person's name ("Gen. Oskar Drevin" -> general)."""
    words = {w.casefold().rstrip(".") for m in person.mentions for w in m.text.split()}
    return [rank for abbr, rank in _RANKS.items() if abbr in words]


def _org_owner(doc: Doc, span: Span, profile: Profile) -> Side | None:
    """The side an organisation belongs to: "the <demonym> intelligence service X", "X, <side>'s agency"."""
    i = span.start
    sent_start = span.sent.start
    while i > sent_start and (doc[i - 1].lower_ in _words("org_kinds.txt")
                              or doc[i - 1].lower_ in ("intelligence", "security", "military", "spy")):
        i -= 1
    if i < span.start and i > sent_start:
        side = side_for_text(profile, doc[i - 1].text)
        if side is not None:
            return side
    after = _phrase_after(doc, span)
    if after is not None and (after[0].lower_ in ("the", "a", "an") or after[0].dep_ == "poss") \
            and after.root.lower_ in _words("org_kinds.txt"):
        return side_for_text(profile, after.text)
    return None


def _resolve_sides(b: _Builder) -> None:
    """Each person's side from the strongest evidence; then aides take their patron's side."""
    alias_words = _alias_words(side_aliases(b.profile))
    # "the Biden administration" in the text, when the profile knows it: (word, index) of each such name
    governments = [(b.doc[i].lower_, i) for i in _before_words(b.doc, ("administration", "government", "cabinet"))]
    for key, actor in b.people.items():
        if actor.descriptor:
            continue
        votes = b.evidence.get(key, Counter())
        surname = key.split()[-1] if key else ""
        if len(surname) > 2:
            for side_name in alias_words.get(surname, ()):
                votes[(side_name, "alias")] += 1
        for word, i in governments:
            if word == surname:
                named = _side_name(b, b.doc[i:i + 2].text)
                if named is not None:
                    votes[(named, "alias")] += 1
        if votes:
            (side, source), _ = max(votes.items(), key=lambda kv: (SIDE_SOURCES[kv[0][1]], kv[1]))
            actor.side, actor.side_source = side, source
    for key, patrons in b.patrons.items():
        actor = b.people.get(key)
        for patron in patrons:
            other = b.people.get(patron) or next((a for k, a in b.people.items() if _surname(k) == patron), None)
            if actor is not None and other is not None and actor.side is None and other.side:
                actor.side, actor.side_source = other.side, "patron"


def _before_words(doc: Doc, words: tuple[str, ...]) -> list[int]:
    """Indices of the tokens followed by one of `words` (lower case), read from the Doc's LOWER array."""
    keys = {doc.vocab.strings[word] for word in words}
    lowers = doc.to_array("LOWER").tolist()
    return [i for i in range(len(lowers) - 1) if lowers[i + 1] in keys]


@functools.lru_cache(maxsize=64)
def _alias_words(aliases: tuple[tuple[str, str, bool], ...]) -> dict[str, list[str]]:
    """Each word of a side's many-word aliases -> that side, once per alias holding it (in alias order)."""
    words: dict[str, list[str]] = {}
    for alias, side_name, _ in aliases:
        parts = alias.casefold().split()
        if len(alias.split()) > 1:
            for word in dict.fromkeys(parts):
                words.setdefault(word, []).append(side_name)
    return words


def _side_name(b: _Builder, text: str) -> str | None:
    side = side_for_text(b.profile, text)
    return side.name if side else None


def _resolve_titles(b: _Builder) -> None:
    """Fold "the <side> <title>" references into the person of that side holding that title here."""
    for key in [k for k, a in b.people.items() if a.descriptor]:
        ref = b.people[key]
        holder = _holder(list(b.people.values()), ref)
        if holder is not None:
            holder.mentions.extend(ref.mentions)
            holder.aliases = sorted(set(holder.aliases) | {m.text for m in ref.mentions})
            del b.people[key]


def _holder(people: list[Actor], ref: Actor) -> Actor | None:
    """The named person a title reference points to: same side, same title (or the side's leader)."""
    title = (ref.role or "").casefold()
    candidates = []
    for person in people:
        if person.descriptor or person.side not in (ref.side, None) or not person.role:
            continue
        role = person.role.casefold()
        found = title_pattern().findall(role)
        if title in role or (title in ("leader", "head") and any(titles().get(t.casefold(), 1) >= 3 for t in found)):
            candidates.append(person)
    sided = [p for p in candidates if p.side == ref.side]
    if not sided and len(candidates) == 1:
        candidates[0].side, candidates[0].side_source = ref.side, "role"  # the title names the side
        sided = candidates
    if not sided:
        return None
    return max(sided, key=lambda p: len(p.mentions))


# -- helpers for other extractors ---------------------------------------------------------------

def actor_for_span(ctx: Context, start: int, end: int) -> Actor | None:
    """The report-local actor a body span names or refers to, or None.

    Checks, in order: a mention overlapping the span (people first, the tightest mention wins);
    a person whose name, surname or nickname the span's text is; the side the text names
    ("Israeli officials" -> the Israel actor). Quotes and events call this to resolve speakers.
    """
    best: tuple[int, int, Actor] | None = None
    for actor in ctx.found.actors:
        for m in actor.mentions:
            if m.start < end and start < m.end:
                rank = (0 if actor.kind == "person" else 1, m.end - m.start)
                if best is None or rank < best[:2]:
                    best = (*rank, actor)
    if best is not None:
        return best[2]
    text = doc_text(ctx.doc)[start:end]
    key = person_name_key(text)
    if key:
        for actor in ctx.found.actors:
            if actor.kind != "person":
                continue
            names = {person_name_key(actor.name), *(person_name_key(a) for a in actor.aliases)}
            if key in names or (len(key.split()) == 1 and key == _surname(person_name_key(actor.name))):
                return actor
    side = side_for_text(ctx.profile, text)
    if side is not None:
        return next((a for a in ctx.found.actors if a.kind != "person" and a.side == side.name
                     and a.name == side.name), None)
    return None
