"""Events: who did what to whom, where and when, with PLOVER-compatible types.

Triggers are verbs ("met", "rejected", "called for") and nouns in event frames ("issued a rebuke",
"a meeting with X", "X's visit to Y") from the lexicons in ``data/event_verbs.json`` and
``data/event_nouns.json``. PROPOSE (present/submit/draft a proposal) extends PLOVER.
Actors come from the report's actor mentions (the subject), recipients from the object or a
"with"/"to"/"of" phrase, the date from the timex attached to the clause (or, for a dated story told
over two sentences, the previous sentence's date when the same actor carries on). While extracting,
``Event.actors``/``recipients`` hold the report's local actor ids (or a side name when only a side
alias names them); ``analyze.timeline.merge_events`` turns them into corpus actor names.
"""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass, field
from importlib import resources

from spacy.tokens import Doc, Span, Token

from ..model import Actor, Event, Profile, Report, Timex, record_id
from . import Context, extractor
from .common import lookup_side, span_text
from .timexes import anchor_of, first_day

__all__ = ["find_events", "events_of", "lexicon"]

log = logging.getLogger(__name__)

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
MODALS = {"would", "could", "might", "may", "should", "must"}
FUTURE = {"will", "shall", "'ll", "wo"}
PERSON_PRONOUNS = {"he", "she", "him", "her"}
GROUP_PRONOUNS = {"it"}
PLACE_LABELS = ("GPE", "LOC", "FAC")


@dataclass(frozen=True)
class Lexicon:
    verbs: dict
    nouns: dict
    light_verbs: dict
    proposal_nouns: frozenset
    communication_nouns: frozenset
    discussion_verbs: frozenset
    person_nouns: frozenset
    not_refusals: frozenset
    say_verbs: frozenset
    obligation_modals: frozenset
    phase_verbs: frozenset

    @functools.cached_property
    def verb_heads(self) -> frozenset[str]:
        """Every lemma some verb entry starts with ("hand" for "hand over"), for a quick miss."""
        return frozenset(key[:i] for key in self.verbs for i in range(len(key) + 1) if i == len(key) or key[i] == " ")


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The trigger lexicons shipped in dealtrace/data (generic English, no negotiation names)."""
    data = resources.files("dealtrace") / "data"
    verbs = json.loads((data / "event_verbs.json").read_text(encoding="utf-8"))
    nouns = json.loads((data / "event_nouns.json").read_text(encoding="utf-8"))
    light = {k: v for k, v in nouns["light_verbs"].items() if not k.startswith("_")}
    return Lexicon(verbs={k: v for k, v in verbs.items() if not k.startswith("_")}, nouns=nouns["nouns"],
                   light_verbs=light, proposal_nouns=frozenset(nouns["proposal_nouns"]),
                   communication_nouns=frozenset(nouns["communication_nouns"]),
                   discussion_verbs=frozenset(nouns["discussion_verbs"]),
                   person_nouns=frozenset(nouns["person_nouns"]), not_refusals=frozenset(nouns["not_refusals"]),
                   say_verbs=frozenset(nouns["say_verbs"]), obligation_modals=frozenset(nouns["obligation_modals"]),
                   phase_verbs=frozenset(nouns["phase_verbs"]))


@dataclass
class _Candidate:
    token: Token  # the trigger's head word
    type: str
    mode: str | None
    trigger: str
    agent: Token | None = None  # where the actor is read, when not the trigger's own subject
    extra: list[Token] = field(default_factory=list)  # more recipient phrases ("X said Y must ...": Y)
    passive_is_active: bool = False
    parties: Token | None = None  # a "between X and Y" phrase naming everyone taking part


class _Mentions:
    """Which actor each token belongs to, and the last actor of each kind before a position."""

    def __init__(self, doc: Doc, actors: list[Actor]):
        self.by_token: dict[int, str] = {}
        self.ordered: list[tuple[int, str, str]] = []  # (token index, actor id, kind)
        for actor in actors:
            for mention in actor.mentions:
                span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
                if span is None:
                    continue
                for token in span:
                    self.by_token[token.i] = actor.id
                self.ordered.append((span.start, actor.id, actor.kind))
        self.ordered.sort()

    def in_tokens(self, tokens) -> list[str]:
        found: list[str] = []
        for token in tokens:
            actor = self.by_token.get(token.i)
            if actor and actor not in found:
                found.append(actor)
        return found

    def last_before(self, i: int, person: bool) -> str | None:
        best = None
        for start, actor, kind in self.ordered:
            if start >= i:
                break
            if (kind == "person") == person:
                best = actor
        return best


def _phrase_tokens(token: Token) -> list[Token]:
    """A noun phrase's tokens, without its relative clauses (their actors are someone else)."""
    skip: set[int] = set()
    for child in token.children:
        if child.dep_ == "relcl":
            skip.update(t.i for t in child.subtree)
    return [t for t in token.subtree if t.i not in skip]


def _object(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ in ("dobj", "obj", "attr", "oprd"):
            return child
    for child in token.children:  # "agreed to the plan", "pushed for a truce"
        if child.dep_ == "prep" and child.lower_ in ("to", "for", "on"):
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _particle(token: Token) -> str | None:
    for child in token.children:
        if child.dep_ in ("prt",) or (child.dep_ == "advmod" and child.i == token.i + 1
                                     and child.lower_ in ("away", "down", "off", "out", "back")):
            return child.lower_
    for child in token.children:
        if child.dep_ == "prep" and child.i == token.i + 1:
            return child.lower_
    return None


def _is_proposal(token: Token | None, lex: Lexicon) -> bool:
    if token is None:
        return False
    words = {token.lemma_.lower(), token.lower_}
    words.update(c.lower_ for c in token.children if c.dep_ == "compound")
    return bool(words & lex.proposal_nouns)


def _place_after(token: Token, preps=("to", "in", "at", "into")) -> Token | None:
    """A place named in a to/in/at phrase of the token: 'traveled to Egypt', 'was in Doha'."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            for pobj in child.children:  # the place is the phrase itself, not a modifier ("the U.S. proposal")
                if pobj.dep_ == "pobj" and pobj.ent_type_ in PLACE_LABELS:
                    return pobj
    return None


def _place_in_clause(token: Token) -> Token | None:
    """A place in an in/at phrase hung lower in the clause: 'met with X in Geneva'."""
    for child in token.children:
        if child.dep_ in ("prep", "dobj") and child.lower_ not in ("of", "for", "about", "over", "from"):
            for t in child.subtree:
                if t.dep_ == "prep" and t.lower_ in ("in", "at") and not any(
                        a.dep_ in ("relcl", "acl") for a in t.ancestors if a.i != token.i and token in a.ancestors):
                    place = _place_after(t.head, ("in", "at"))
                    if place is not None:
                        return place
    return None


def _verb_candidate(token: Token, lex: Lexicon) -> _Candidate | None:
    lemma = token.lemma_.lower()
    if lemma not in lex.verb_heads:
        return None  # no entry is this lemma, alone or with a particle or "to"
    particle = _particle(token)
    entry = None
    trigger = token.text
    infinitive = any(c.dep_ == "xcomp" and any(a.tag_ == "TO" for a in c.children) for c in token.children)
    if particle and f"{lemma} {particle}" in lex.verbs:
        entry = lex.verbs[f"{lemma} {particle}"]
        trigger = f"{token.text} {particle}"
    elif infinitive and f"{lemma} to" in lex.verbs:  # "offered to hand over"
        entry = lex.verbs[f"{lemma} to"]
        trigger = f"{token.text} to"
    elif lemma in lex.verbs:
        entry = lex.verbs[lemma]
    if entry is None:
        return None
    kind = entry["type"]
    needs = entry.get("needs")
    # In the passive the thing done is the subject: "the accord was signed by X".
    obj = _object(token) or next((c for c in token.children if c.dep_ == "nsubjpass"), None)
    if needs == "proposal_object" and not _is_proposal(obj, lex):
        return None
    if needs == "place" and _place_after(token) is None:
        return None
    if needs == "object" and obj is None:
        return None
    if needs == "with" and not any(c.dep_ == "prep" and c.lower_ == "with" for c in token.children):
        return None
    if needs == "complement":  # "declined the offer", not "declined to comment"
        complements = [c for c in token.children if c.dep_ in ("xcomp", "dobj")]
        if not complements or any(c.lemma_.lower() in lex.not_refusals for c in complements):
            return None
    if needs == "person_object" and not (obj is not None and (
            obj.ent_type_ == "PERSON" or obj.lemma_.lower() in lex.person_nouns or obj.lower_ in lex.person_nouns)):
        return None  # "released the hostages", not "released a video"
    if needs == "actor_object":
        if obj is None or obj.ent_type_ not in ("PERSON", "ORG", "GPE", "NORP") or any(
                c.dep_ in ("oprd", "xcomp", "ccomp") for c in token.children) or obj.dep_ == "oprd":
            return None
    if entry.get("on_proposal") and _is_proposal(obj, lex):
        kind = entry["on_proposal"]
    return _Candidate(token, kind, entry.get("mode"), trigger, passive_is_active=bool(entry.get("passive_is_active")))


def _obligation(token: Token, lex: Lexicon) -> _Candidate | None:
    """'X said Y must withdraw': a demand of X on Y."""
    if token.lemma_.lower() not in lex.say_verbs:
        return None
    for clause in token.children:
        if clause.dep_ != "ccomp":
            continue
        if any(c.dep_ == "aux" and c.lower_ in lex.obligation_modals for c in clause.children):
            subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            return _Candidate(token, "REQUEST", None, f"{token.text} … {clause.text}",
                              extra=[subject] if subject is not None else [])
    return None


def _be_in_place(token: Token, lex: Lexicon) -> _Candidate | None:
    """'X was in Doha to discuss the document': a visit for talks."""
    if token.lemma_ != "be" or _place_after(token, ("in", "at")) is None:
        return None
    for child in token.children:
        if child.dep_ in ("xcomp", "advcl") and child.lemma_.lower() in lex.discussion_verbs:
            return _Candidate(token, "CONSULT", "visit", f"{token.text} in")
    return None


def _noun_candidate(token: Token, lex: Lexicon) -> _Candidate | None:
    key = token.lower_ if token.lower_ in lex.nouns else token.lemma_.lower()
    entry = lex.nouns.get(key)
    if entry is None:
        return None
    kind = entry["type"]
    head = token.head
    between = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "between"), None)
    if kind == "CONSULT" and between is not None:
        # "a telephone call between X and Y", "talks between X and Y resumed": the parties are named.
        return _Candidate(token, kind, entry.get("mode"), token.text, parties=between)
    if kind == "CONSULT" and token.dep_ == "nsubj" and head.lemma_.lower() in lex.phase_verbs:
        return _Candidate(token, kind, entry.get("mode"), f"{token.text} {head.text}")
    # Object of a light verb: "issued a rebuke", "held talks", "presented a counterproposal".
    if token.dep_ in ("dobj", "obj") and head.pos_ in ("VERB", "AUX"):
        allowed = lex.light_verbs.get(head.lemma_.lower())
        if allowed and ("*" in allowed or kind in allowed):
            if head.lemma_.lower() == "offer" and kind not in ("PROPOSE", "CONCEDE"):
                return None
            return _Candidate(token, kind, entry.get("mode"), f"{head.text} … {token.text}", agent=head)
        return None
    if token.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ == "VERB":
        verb = head.head
        allowed = lex.light_verbs.get(verb.lemma_.lower())
        has_with = any(c.dep_ == "prep" and c.lower_ == "with" for c in token.children)
        if kind == "CONSULT" and (has_with or (allowed and kind in allowed)):
            return _Candidate(token, kind, entry.get("mode"), token.text, agent=verb)
        return None
    # Noun phrases naming their parties: "a meeting with X", "X's rebuke of Y", "a visit to Y by X".
    has_agent = any(c.dep_ == "poss" for c in token.children) or any(
        c.dep_ == "prep" and c.lower_ == "by" for c in token.children)
    has_with = any(c.dep_ == "prep" and c.lower_ == "with" for c in token.children)
    if kind == "CONSULT" and (has_with or has_agent or _place_after(token, ("to",)) is not None) \
            and token.dep_ not in ("nsubj", "nsubjpass"):
        return _Candidate(token, kind, entry.get("mode"), token.text, agent=head if head.pos_ == "VERB" else None)
    if kind in ("ACCUSE",) and has_agent:
        return _Candidate(token, kind, entry.get("mode"), token.text)
    return None


def _candidates(sent: Span, lex: Lexicon) -> list[_Candidate]:
    found = []
    for token in sent:
        candidate = None
        if token.pos_ in ("VERB",) or (token.pos_ == "AUX" and token.lemma_ == "be"):
            candidate = _be_in_place(token, lex) if token.lemma_ == "be" else (
                _verb_candidate(token, lex) or _obligation(token, lex))
        elif token.pos_ in ("NOUN", "PROPN") and token.ent_type_ == "":
            candidate = _noun_candidate(token, lex)
        if candidate is not None:
            found.append(candidate)
    return found


def _subject_of(token: Token) -> tuple[Token | None, bool]:
    """The token heading the doer of `token`'s clause, climbing through controlled clauses.

    Returns (head of the doer phrase, passive?)."""
    node = token
    for _ in range(6):
        for child in node.children:
            if child.dep_ in ("nsubj", "csubj"):
                if node.dep_ == "relcl" and child.lower_ in ("which", "who", "that"):
                    return node.head, False  # "Hamas, which has called for ..."
                return child, False
            if child.dep_ == "nsubjpass":
                for agent in node.children:
                    if agent.dep_ == "agent":
                        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                        if pobj is not None:
                            return pobj, False
                return child, True
        if node.dep_ == "relcl":  # "Hamas, which rejected the plan"
            return node.head, False
        for child in node.children:  # a subject parsed into a fronted participle: "X, making a visit, met Y"
            if child.dep_ == "advcl" and child.i < node.i:
                subject = next((c for c in child.children if c.dep_ == "nsubj" and c.i < child.i), None)
                if subject is not None:
                    return subject, False
        if node.dep_ in ("xcomp", "advcl", "conj", "pcomp", "ccomp", "acl", "prep", "pobj", "dobj", "advmod") \
                and node.head is not node:
            node = node.head
            continue
        break
    return None, False


def _resolve_actor(head: Token | None, mentions: _Mentions, profile: Profile) -> list[str]:
    if head is None:
        return []
    if head.lower_ in ("they", "it", "he", "she"):
        # "X said they welcome ...", "X said ... what it had agreed to": the speaker speaks of itself.
        says = lexicon().say_verbs
        for ancestor in head.ancestors:
            if ancestor.dep_ == "ccomp" and (ancestor.head.lemma_.lower() in says or ancestor.head.pos_ == "VERB"):
                speaker, _ = _subject_of(ancestor.head)
                if speaker is not None and speaker.i != head.i and speaker.lower_ not in ("they", "it", "he", "she"):
                    return _resolve_actor(speaker, mentions, profile)
                break
    if head.lower_ in PERSON_PRONOUNS:
        actor = mentions.last_before(head.i, person=True)
        return [actor] if actor else []
    tokens = _phrase_tokens(head)
    found = _names_in(tokens, mentions, profile)
    if found:
        return found
    if _all_sides(head, profile):
        return _all_sides(head, profile)
    side = lookup_side(profile, " ".join(t.text for t in tokens))
    if side is not None:
        return [side.name]
    if head.lower_ in GROUP_PRONOUNS or (head.lower_ in ("group", "movement", "union", "government")
                                         and any(c.lower_ == "the" for c in head.children)):
        actor = mentions.last_before(head.i, person=False)  # "the group", "it": the last organisation named
        return [actor] if actor else []
    return []


def _names_in(tokens: list[Token], mentions: _Mentions, profile: Profile) -> list[str]:
    """Actors named in some words: their actor mentions, and side names for proper nouns the actor
    extractor left out ("Norvane and the Southern Littoral Union", "the Front's counterproposal")."""
    found = mentions.in_tokens(tokens)
    run: list[Token] = []
    for token in sorted(tokens, key=lambda t: t.i) + [None]:  # type: ignore[list-item]
        if token is not None and token.pos_ == "PROPN" and token.i not in mentions.by_token and (
                not run or token.i == run[-1].i + 1):
            run.append(token)
            continue
        if token is not None and token.pos_ == "NOUN" and token.i not in mentions.by_token:
            # "the union", "the company": a side alias written as a common noun phrase
            words = [c for c in token.lefts if c.dep_ in ("det", "compound", "amod")] + [token]
            side = lookup_side(profile, " ".join(t.text for t in words)) if len(words) > 1 else None
            if side is not None and side.name not in found:
                found.append(side.name)
        if run:
            side = lookup_side(profile, " ".join(t.text for t in run))
            if side is not None and side.name not in found:
                found.append(side.name)
        run = [token] if token is not None and token.pos_ == "PROPN" and token.i not in mentions.by_token else []
    return found


def _all_sides(head: Token, profile: Profile) -> list[str]:
    """'both sides', 'the two sides', 'the parties': every party of the negotiation."""
    if head.lemma_.lower() not in ("side", "party") or head.tag_ != "NNS":
        return []
    if not any(c.lower_ in ("both", "two", "the") for c in head.children):
        return []
    return [side.name for side in profile.sides if side.role == "party"]


def _named_phrase(head: Token | None) -> list[str]:
    """An unlisted doer named by a proper noun ("The UNITA militarist wing"): its words, as a name."""
    if head is None or head.pos_ != "PROPN" and not any(t.pos_ == "PROPN" for t in head.children
                                                       if t.dep_ in ("compound", "amod", "poss")):
        return []
    words = [t for t in head.subtree if t.i <= head.i and t.dep_ not in ("det", "punct", "case")
             and not any(a.dep_ in ("relcl", "appos", "prep") and a.i > head.i for a in t.ancestors)]
    text = " ".join(t.text for t in words[-6:])
    return [text] if text else []


RECIPIENT_PREPS = ("with", "to", "against", "of", "on", "from", "for", "into")


def _party_tokens(head: Token) -> list[Token]:
    """The phrases of a word that may name whom it is done to: object, dative, with/to/against ... phrases."""
    tokens: list[Token] = []
    obj = _object(head)
    if obj is not None and head.pos_ in ("VERB", "AUX"):
        tokens.extend(_phrase_tokens(obj))
    for child in head.children:
        if (child.dep_ == "prep" and child.lower_ in RECIPIENT_PREPS) or child.dep_ == "dative":
            tokens.extend(_phrase_tokens(child))
    return tokens


def _recipients(candidate: _Candidate, mentions: _Mentions, exclude: list[str], profile: Profile) -> list[str]:
    token = candidate.token
    if candidate.extra:  # "said Y must ...": only Y, not the whole reported clause
        tokens = [t for extra in candidate.extra for t in _phrase_tokens(extra)]
    else:
        tokens = _party_tokens(token)
    if candidate.agent is not None:
        for child in candidate.agent.children:  # "emerged from a meeting with X", "issued an ultimatum to X"
            if child.dep_ == "prep" and child.lower_ in ("with", "to", "against"):
                tokens.extend(_phrase_tokens(child))
    found = _actors_not_places(tokens, mentions, exclude, profile)
    if not found and not candidate.extra:
        # "threatened to break relations with X", "demanded that X withdraw": the complement names X.
        for clause in token.children:
            if clause.dep_ not in ("xcomp", "ccomp"):
                continue
            inner = [t for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") for t in _phrase_tokens(c)]
            # Its own and its object's with/to/against phrases, not the whole object phrase ("give up control
            # of X's border with Y" names no recipient).
            obj = _object(clause)
            for head in [clause, *([obj] if obj is not None else [])]:
                for child in head.children:
                    if child.dep_ == "prep" and child.lower_ in ("with", "to", "against", "for", "on", "into"):
                        inner.extend(_phrase_tokens(child))
            if obj is not None and obj.i in mentions.by_token:
                inner.extend(_phrase_tokens(obj))
            found = _actors_not_places(inner, mentions, exclude, profile)
            if found:
                break
    return found


def _actors_not_places(tokens: list[Token], mentions: _Mentions, exclude: list[str], profile: Profile) -> list[str]:
    places = {t.i for t in tokens if t.ent_type_ in PLACE_LABELS and _in_place_phrase(t)}
    return [a for a in _names_in([t for t in tokens if t.i not in places], mentions, profile) if a not in exclude]


def _in_place_phrase(token: Token) -> bool:
    """A place reached by 'to/in/at' ('traveled to Egypt') is a location, not a recipient."""
    for ancestor in token.ancestors:
        if ancestor.dep_ == "prep":
            return ancestor.lower_ in ("in", "at", "to", "into", "from")
        if ancestor.pos_ in ("VERB", "AUX"):
            return False
    return False


def _flags(token: Token, sent: Span) -> tuple[bool, bool, bool]:
    """(negated, future, hypothetical) of the clause around the trigger."""
    negated = future = hypothetical = False
    chain = [token]
    node = token
    while node.dep_ in ("xcomp", "conj", "dobj") and node.head is not node and len(chain) < 5:
        node = node.head
        chain.append(node)
    for index, node in enumerate(chain):
        for child in node.children:
            if child.dep_ == "neg" or (child.lower_ in ("never", "no") and child.dep_ in ("neg", "advmod", "det")):
                negated = negated or index == 0 or node.pos_ in ("VERB", "AUX")
            if child.dep_ in ("aux", "auxpass"):
                if child.lower_ in FUTURE:
                    future = True
                elif child.lower_ in MODALS:
                    hypothetical = True
            if child.dep_ == "mark" and child.lower_ in ("if", "unless"):
                hypothetical = True
        if node.lemma_ in ("refuse", "fail", "decline") and index > 0:
            negated = True
        if node.lemma_ in ("plan", "schedule", "expect", "intend", "due") and index > 0:
            future = True
        if node.lemma_ in ("threaten", "want", "seek", "propose", "demand", "urge", "ask", "hope", "try") and index > 0:
            hypothetical = True
    if token.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.tag_ == "TO" for c in token.children) \
            and token.dep_ in ("acl", "advcl", "relcl", "ccomp", "xcomp", "conj") and not future:
        hypothetical = True  # "a deal to release hostages", "travel ... to discuss": an aim, not a fact
    if token.dep_ == "pcomp" and (token.head.lower_ in ("without", "than", "before") or (
            token.head.lower_ == "of" and token.head.head.lower_ in ("instead", "rather"))):
        hypothetical = True  # "without withdrawing", "rather than striking a deal"
    for ancestor in token.ancestors:  # inside an "if" clause
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in ancestor.children) \
                and ancestor.dep_ == "advcl":
            hypothetical = True
    return negated, future, hypothetical


def _timex_anchors(doc: Doc, timexes: list[Timex], triggers: set[int]) -> dict[int, Timex]:
    """The token each timex modifies: its nearest verb or event noun above it."""
    anchors: dict[int, Timex] = {}
    for timex in timexes:
        if timex.type not in ("DATE", "TIME") or (timex.value or "").endswith("_REF"):
            continue  # unresolved ones (no publication date) still name the event's time: kept as date_text
        span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        node = span.root
        for _ in range(6):
            if node.head is node:
                break
            node = node.head
            if node.pos_ in ("VERB", "AUX") or node.i in triggers:
                break
        anchors.setdefault(node.i, timex)
    return anchors


def _date_of(token: Token, anchors: dict[int, Timex], fronted: Timex | None) -> Timex | None:
    """The timex of the trigger's clause; else a date fronted before the main clause ("On Monday, ...")."""
    verb = None
    for node in [token, *token.ancestors]:
        if node.i in anchors:
            return anchors[node.i]
        if verb is None and node.pos_ in ("VERB", "AUX"):
            verb = node
        if node.dep_ == "relcl":
            return None
        if node.dep_ == "conj" and any(c.dep_ in SUBJECTS for c in node.children):
            return None  # a second clause with its own subject has its own time
    if verb is not None:
        # A date hung lower in the same clause: "repeated those demands in a message played on Tuesday".
        # Not through another clause, nor a participle on a thing ("the proposal introduced last week");
        # a message's own date is the date of what it says ("a message played on Tuesday").
        says = lexicon().communication_nouns
        inside = [i for i in anchors if verb.doc[i] in verb.subtree and not any(
            a.dep_ in ("relcl", "ccomp", "advcl", "pcomp") or (a.dep_ == "acl" and a.head.lower_ not in says)
            for a in _path_up(verb.doc[i], verb))]
        if inside:
            return anchors[min(inside, key=lambda i: abs(i - token.i))]
    return fronted


def _path_up(token: Token, top: Token) -> list[Token]:
    """The tokens from `token` up to (not including) `top`."""
    path = []
    node = token
    while node.i != top.i and node.head is not node:
        path.append(node)
        node = node.head
    return path


def _paragraph_pieces(sent: Span) -> list[Span]:
    """The sentence cut at paragraph breaks (newlines), each piece a span of its own."""
    pieces = []
    start = sent.start
    for token in sent:
        if "\n" in token.whitespace_ or (token.is_space and "\n" in token.text):
            pieces.append(sent.doc[start:token.i + 1])
            start = token.i + 1
    if start < sent.end:
        pieces.append(sent.doc[start:sent.end])
    return [piece for piece in pieces if len(piece)] or [sent]


def _fronted(sent: Span, timexes: list[Timex]) -> Timex | None:
    for timex in timexes:
        if not (timex.value or "").endswith("_REF") and timex.type in ("DATE", "TIME") \
                and timex.start - sent.start_char <= 4 and "," in span_text(sent)[timex.end - sent.start_char:][:3]:
            return timex
    return None


def _event_date(timex: Timex | None) -> str | None:
    if timex is None or timex.value is None:
        return None
    if timex.granularity == "day":
        return timex.value[:10]
    return timex.value


def events_of(doc: Doc, report: Report, actors: list[Actor], timexes: list[Timex], profile: Profile) -> list[Event]:
    """The events of one parsed report, in text order."""
    lex = lexicon()
    mentions = _Mentions(doc, actors)
    sides_of = {actor.id: actor.side for actor in actors}
    kinds_of = {actor.id: actor.kind for actor in actors}
    sides_of.update({side.name: side.name for side in profile.sides})
    events: list[Event] = []
    previous: tuple[int, int, list[Event]] | None = None  # (sentence end, sentence start, dated events)
    for sent in doc.sents:
        candidates = _candidates(sent, lex)
        if not candidates:  # no event here, so nothing dated to carry on either
            previous = None
            continue
        triggers = {c.token.i for c in candidates}
        in_sent = [t for t in timexes if sent.start_char <= t.start < sent.end_char]
        anchors = _timex_anchors(doc, in_sent, triggers)
        pieces = _paragraph_pieces(sent)  # the parser sometimes runs a sentence across a paragraph break
        fronted_in = {piece.start: _fronted(piece, [t for t in in_sent if piece.start_char <= t.start < piece.end_char])
                      for piece in pieces}
        dated_here: list[Event] = []
        sent_events: list[Event] = []
        for candidate in candidates:
            token = candidate.token
            doer, passive = _subject_of(candidate.agent or token)
            if candidate.agent is not None and candidate.token.dep_ != "dobj" and doer is None:
                doer, passive = _subject_of(token)
            if candidate.type in ("ACCUSE",) and token.pos_ == "NOUN":
                poss = next((c for c in token.children if c.dep_ == "poss"), None)
                doer = doer or poss
            if doer is not None and doer.head.lower_ in lex.communication_nouns:
                doer, passive = _subject_of(doer.head)
            if doer is None and token.dep_ == "acl" and token.head.lower_ in lex.communication_nouns:
                doer, passive = _subject_of(token.head)  # "issued a statement criticizing the plan"
            actors_here = _resolve_actor(doer, mentions, profile) or _named_phrase(doer)
            if candidate.parties is not None:
                actors_here = _names_in(_phrase_tokens(candidate.parties), mentions, profile) or actors_here
                passive = False
            if passive and not candidate.passive_is_active:
                recipients = actors_here
                actors_here = []
            else:
                recipients = _recipients(candidate, mentions, actors_here, profile)
            negated, future, hypothetical = _flags(token, sent)
            kind = candidate.type
            piece = next(p for p in pieces if p.start <= token.i < p.end)
            fronted = fronted_in[piece.start]
            say = _reporting_clause(token, lex)
            if say is not None and not piece.start <= say.i < piece.end:
                say = None
            backshifted = say is not None and hypothetical and _backshifted(token, say)
            if negated and kind in ("AGREE", "SUPPORT"):
                kind, negated = "REJECT", False  # "will not accept", "refused to endorse": a rejection
            if negated and kind == "CONSULT" and (future or backshifted):
                kind, negated = "REJECT", False  # "will not negotiate": a refusal to talk
            if backshifted:
                # A commitment reported in the past: the concession/demand was made; a visit is to come.
                hypothetical = False
                future = kind not in SPEECH_ACTS
            if say is not None and kind in SPEECH_ACTS and not passive:
                speaker, _ = _subject_of(say)
                for name in _resolve_actor(speaker, mentions, profile):
                    named = (doer is not None and doer.pos_ == "PROPN") or any(
                        kinds_of.get(a) == "person" for a in actors_here)
                    if name not in actors_here and (not actors_here or _same_side(name, actors_here, sides_of, named)):
                        actors_here = [*actors_here, name]  # "Renvald told them Port Alder would allow ..."
            if kind in ("REJECT", "ACCUSE") and not recipients and _anaphoric_object(token, lex):
                recipients = _responded_to(events, actors_here)
            timex = _date_of(token, {i: t for i, t in anchors.items() if piece.start <= i < piece.end}, fronted)
            place_token = _place_after(token) or (_place_after(candidate.agent) if candidate.agent else None) \
                or (_place_in_clause(token) if candidate.type == "CONSULT" else None)
            place = None
            if place_token is not None:
                place = next((e.text for e in doc.ents if e.start <= place_token.i < e.end), place_token.text)
            published, begins = anchor_of(report.published), first_day(timex.value if timex else None)
            if published is not None and begins is not None and begins > published and not negated:
                future = True  # dated after publication: scheduled
            start, end = token.idx, token.idx + len(token.text)
            raw_start, raw_end = report.raw_span(start, end)
            event = Event(id=record_id("event", report.id, start, kind), report=report.id,
                          file=report.file, type=kind, trigger=candidate.trigger, mode=candidate.mode,
                          actors=actors_here, recipients=recipients, place=place, date=_event_date(timex),
                          date_text=timex.text if timex else None, negated=negated, future=future,
                          hypothetical=hypothetical, sentence=span_text(piece).strip(), start=start, end=end,
                          raw_start=raw_start, raw_end=raw_end)
            if event.date is None and previous is not None and not (future or hypothetical or negated):
                _carry_date(event, previous, say if say is not None else token, sides_of)
            if event.date and timex is not None:
                dated_here.append(event)
            sent_events.append(event)
        events.extend(sent_events)
        previous = (sent.end_char, sent.start_char, dated_here) if dated_here else None
    return [e for e in events if e.actors or e.recipients]


def _carry_date(event: Event, previous: tuple[int, int, list[Event]], verb: Token,
                sides_of: dict[str, str | None]) -> None:
    """A story told over two sentences: 'On Friday, X arrived in Y. X met Z.' shares Friday, when the
    second is in the past (or reported in the past) and shares an actor with a dated event of the first."""
    _, _, dated = previous
    passive_past = verb.tag_ == "VBN" and any(c.dep_ == "auxpass" and c.tag_ == "VBD" for c in verb.children)
    if verb.tag_ not in ("VBD", "NN", "NNS") and not passive_past:  # not "have said": a perfect has no one day
        return
    def parties(names: list[str]) -> set[str]:  # the actors and their sides: "the union's leader" is the union's
        return set(names) | {side for side in (sides_of.get(n) for n in names) if side}

    for before in dated:
        if parties(before.actors) & parties(event.actors) and before.date and len(before.date) == 10:
            event.date = before.date
            event.date_text = before.date_text
            event.place = event.place or before.place
            return


SPEECH_ACTS = {"AGREE", "SUPPORT", "CONCEDE", "REQUEST", "REJECT", "ACCUSE", "THREATEN", "PROPOSE"}


def _same_side(name: str, others: list[str], sides_of: dict[str, str | None], named: bool) -> bool:
    """Whether a speaker may speak for the clause's actors: the same side, or (for a clause whose actor is
    only "the government", "it") a speaker whose side is not known."""
    side = sides_of.get(name)
    if side is None:
        return not named
    return any(sides_of.get(other) in (side, None) for other in others)


def _reporting_clause(token: Token, lex: Lexicon) -> Token | None:
    """The verb of saying whose reported clause holds the trigger ("X told Y that Z would allow ...")."""
    for node in [token, *token.ancestors]:
        if node.dep_ == "ccomp" and node.head.lemma_.lower() in lex.say_verbs:
            return node.head
        if node.dep_ == "relcl":
            return None
    return None


def _backshifted(token: Token, say: Token) -> bool:
    """'said it would allow': reported speech turns "will" into "would"; not a hypothetical without an if."""
    if say.tag_ != "VBD":
        return False
    chain = [token, *[a for a in token.ancestors if a.i != say.i and say in a.ancestors]]
    if not any(c.dep_ == "aux" and c.lower_ == "would" for node in chain for c in node.children):
        return False
    conditions = [c for node in chain for c in node.children if c.dep_ == "advcl"] + chain
    return not any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for node in conditions for m in node.children)


def _anaphoric_object(token: Token, lex: Lexicon) -> bool:
    """'rejected that demand', 'dismissed the proposal', 'rejected it': an answer to something said before."""
    obj = _object(token)
    if obj is None:  # a parse that lost the object: look at the words right after the verb
        after = token.doc[token.i + 1:min(token.i + 3, token.sent.end)]
        return len(after) == 2 and after[0].lower_ in ("that", "this", "the", "these", "those") and \
            after[1].lemma_.lower() in lex.proposal_nouns
    if obj.lower_ in ("it", "this", "that", "them"):
        return True
    return _is_proposal(obj, lex) and any(c.dep_ == "det" and c.lower_ in ("that", "this", "the", "these", "those")
                                          for c in obj.children)


def _responded_to(events: list[Event], actors: list[str]) -> list[str]:
    """Who a rejection answers when the text only says 'that demand': the last proposer or requester."""
    for event in reversed(events):
        if event.type in ("PROPOSE", "REQUEST") and event.actors and not set(event.actors) & set(actors):
            return list(event.actors)
    return []


@extractor("events", requires=("actors", "timexes"), assigns=("events",))
def find_events(ctx: Context) -> None:
    ctx.found.events = events_of(ctx.doc, ctx.report, ctx.found.actors, ctx.found.timexes, ctx.profile)
