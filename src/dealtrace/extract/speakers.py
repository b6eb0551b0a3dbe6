"""Speakers: the phrase that says something, resolved to an actor, a side or an anonymous source.

A speaker phrase is resolved through the report's actors (their mentions carry offsets): a
mention at the phrase's head names the actor; "he"/"she" goes to the nearest preceding person
mentioned as a subject; "it" to the nearest organisation or state; "they" to the nearest plural
subject; a group noun ("the group", "the militant group") to a profile alias or the most recent
organisation; unnamed officials and sources are anonymous, with their descriptor parsed.
"""

from __future__ import annotations

import re
from itertools import accumulate

from spacy.tokens import Doc, Span, Token

from ..model import Actor, Mention, Speaker
from . import Context
from .common import fold, lookup_side
from .reporting import REPORTING_VERBS

__all__ = ["SpeakerResolver", "parse_count", "ANONYMOUS_NOUNS", "GROUP_NOUNS"]

# Head nouns of unnamed sources: "a senior official", "three people briefed on the talks".
ANONYMOUS_NOUNS = frozenset("""official source officer diplomat person people aide adviser advisor insider staffer
member participant negotiator mediator analyst observer individual figure""".split())
# Head nouns that stand for an organisation already named: "the group", "the movement".
GROUP_NOUNS = frozenset("""group movement organization organisation militia government administration party union
faction company management alliance coalition bloc delegation team ministry office cabinet leadership regime
authority authorities side camp campaign agency council committee""".split())
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "an": 1, "another": 1, "both": 2, "a couple": 2,
            "dozen": 12, "a dozen": 12}
_SENIORITY = re.compile(r"^(senior|top|high-ranking|high-level|senior-level|top-level|ranking|junior|low-level|"
                        r"mid-level|midlevel|chief|lead|leading|former|retired)$", re.I)
_NOT_AFFILIATION = re.compile(r"^(other|several|multiple|many|some|few|various|numerous|more|most|all|"
                              r"additional|anonymous|unnamed|familiar|knowledgeable|current|two|three|four)$", re.I)
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_THING_PRONOUNS = {"it"}
_PLURAL_PRONOUNS = {"they", "them"}
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_WINDOW = 2500  # characters back to look for a pronoun's antecedent


def parse_count(token: Token) -> int | None:
    """The number a modifier gives: 'two' -> 2, '4' -> 4, 'a' -> 1; None for 'several'."""
    word = token.text.lower()
    if word in _NUMBERS:
        return _NUMBERS[word]
    if word.isdigit():
        return int(word)
    return None


def _governing_subject_root(token: Token) -> Token:
    while token.dep_ in ("compound", "appos", "flat", "conj", "poss", "amod") and token.head.i != token.i:
        token = token.head
    return token


def _name_in(span: Span) -> Span | None:
    """A person's name heading the phrase or in its apposition: two or more capitalised proper nouns
    (or one the parser tagged PERSON) that are not an organisation or a place."""
    root = span.root
    heads = [root] + [c for c in root.children if c.dep_ == "appos" and c.i >= span.start and c.i < span.end]
    for head in heads:
        # a name in apposition to a role noun is a person even when tagged ORG ("Its chief negotiator, Nadia Ferrault")
        not_person = ("GPE", "NORP", "FAC", "LOC", "DATE", "TIME") if head is not root and root.pos_ == "NOUN" \
            else ("ORG", "GPE", "NORP", "FAC", "LOC", "DATE", "TIME")
        if head.pos_ != "PROPN" or head.ent_type_ in not_person:
            continue
        parts = [t for t in head.subtree if t.i >= span.start and t.i < span.end and t.i <= head.i
                 and (t.dep_ in ("compound", "flat") or t.i == head.i) and t.pos_ == "PROPN" and t.text[:1].isupper()]
        if parts and parts[-1].i == head.i and (len(parts) >= 2 or head.ent_type_ == "PERSON"):
            return span.doc[parts[0].i:head.i + 1]
    return None


def _misplaced_conj(verb: Token) -> Token | None:
    """The report a finite verb was conjoined to when the parse hung it inside that report's content:
    in "X says he'd meet them and tell them … and tells the crowd …", "tells" goes with "says", not "meet"."""
    base = verb
    while base.dep_ == "conj" and base.head.i != base.i:
        base = base.head
    report = base.head
    if base.dep_ == "ccomp" and report.pos_ == "VERB" and verb.tag_ in ("VBZ", "VBD") \
            and verb.tag_ == report.tag_ and base.tag_ != verb.tag_:
        return report
    return None


def _misplaced_participle(verb: Token) -> Token | None:
    """The report a trailing participle goes with when the parse hung it on that report's content:
    in "X insisted that the union has kept …, claiming that …", X claims, not the union."""
    clause = verb.head
    report = clause.head
    if verb.dep_ == "advcl" and verb.tag_ == "VBG" and clause.dep_ == "ccomp" and report.i < clause.i < verb.i \
            and report.pos_ == "VERB" and report.lemma_ in REPORTING_VERBS:
        return report
    return None


def _is_agent(token: Token) -> bool:
    """A noun that can say things itself: a name, a group, an official (not a statement or an ad)."""
    return token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or token.lemma_.lower() in ANONYMOUS_NOUNS \
        or token.pos_ == "PRON"


class SpeakerResolver:
    """Resolves speaker phrases of one report against its actors and profile."""

    def __init__(self, ctx: Context, inside: list[bool]) -> None:
        self.doc: Doc = ctx.doc
        self.report = ctx.report
        self.profile = ctx.profile
        self.inside = inside
        self.actors: list[Actor] = list(ctx.found.actors)
        self.mentions: list[tuple[Mention, Actor]] = sorted(
            ((m, a) for a in self.actors for m in a.mentions if m.report == self.report.id),
            key=lambda pair: pair[0].start)
        self.anonymous_seen: list[tuple[str, Speaker]] = []  # (head lemma, speaker) for "one of the officials"
        # white-space tokens before each position: a phrase never runs over a paragraph break
        self._spaces_before = list(accumulate(self.doc.to_array("IS_SPACE").tolist(), initial=0))

    # -- phrases -----------------------------------------------------------------------------------
    def subject_of(self, verb: Token | None) -> Span | None:
        """The phrase that does the saying: the verb's subject, or the subject it shares."""
        token = verb
        for _ in range(5):
            if token is None:
                return None
            subject = next((c for c in token.children if c.dep_ in _SUBJECT_DEPS and not self.inside[c.i]), None)
            if subject is not None:
                if subject.dep_ == "nsubjpass":
                    agent = next((c for c in token.children if c.dep_ == "agent"), None)
                    if agent is None and token is not verb and token.tag_ == "VBN":
                        # "X was forced into … and said", "X were left wondering": X does the saying (PolNeAR
                        # train: 22 more gold attributions matched, 27 more system attributions)
                        return self.noun_phrase(subject)
                    pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
                    return self.noun_phrase(pobj) if pobj is not None else None
                if subject.lower_ == "that" and token.dep_ == "relcl":
                    # "the poll that shows …": annotators name the noun, rarely the bare "that"
                    return self.noun_phrase(token.head)
                if subject.lower_ in ("who", "which") and token.dep_ == "relcl":
                    return self.doc[subject.i:subject.i + 1]  # resolved to the clause's noun in `resolve`
                if subject.pos_ == "PRON" and subject.lower_ in ("what", "this", "there"):
                    return None
                return self.noun_phrase(subject)
            # "led officials to suspect …", "urged Park to insist …": the object does what the infinitive says
            # (PolNeAR train: 4 more gold attributions matched, one fewer system attribution)
            controller = next((c for c in token.head.children if c.dep_ == "dobj" and c.i < token.i), None) \
                if token.dep_ == "xcomp" and token.head.i != token.i else None
            if controller is not None and _is_agent(controller) and not self.inside[controller.i]:
                return self.noun_phrase(controller)
            if token.dep_ == "conj" and (report := _misplaced_conj(token)) is not None:
                token = report
            elif token is verb and (report := _misplaced_participle(token)) is not None and not self.inside[report.i]:
                token = report
            elif token.dep_ in ("conj", "xcomp", "advcl", "pcomp", "ccomp") and token.head.i != token.i \
                    or token.dep_ == "dep" and token.pos_ == "VERB" and token.head.pos_ == "VERB" and token.head.i < token.i:
                # ("dep": "Clinton paused, then revealed …", a conjunct the parse left unlabelled)
                token = token.head
            elif token.dep_ == "prep" and token.head.pos_ in ("VERB", "AUX"):
                token = token.head  # "responded by saying …": the preposition joins the report to its clause
            elif token.dep_ == "prep" and token.lower_ == "of" and token.head.dep_ == "dobj" \
                    and token.head.head.pos_ == "VERB":
                # "made a point of saying …", "took the step of criticizing …" (PolNeAR train: 5 more matched)
                token = token.head.head
            elif token.dep_ == "acomp" and token.head.i != token.i:
                token = token.head  # "voters are more likely to say …"
            elif token.dep_ == "acl" and _is_agent(token.head):
                return self.noun_phrase(token.head)  # "an ad showing Trump saying …": Trump says it
            elif token.dep_ == "acl" and token.tag_ == "VBG" and token.head.pos_ in ("NOUN", "PROPN") \
                    and not (token.head.dep_ in ("dobj", "attr") and token.head.head.pos_ == "VERB"):
                # "the share of voters saying …", "there were emails showing …": the noun says it, not the clause's
                # subject (PolNeAR train: 31 more gold attributions matched, 14 fewer)
                return self._before_participle(token)
            elif token.dep_ == "acl" and token.head.dep_ in ("dobj", "pobj", "attr") and token.head.head.i != token.head.i:
                token = token.head.head  # "Hamas issued a statement criticizing …"
            else:
                break
        return self._stray_subject(verb) if verb is not None else None

    def _before_participle(self, participle: Token) -> Span:
        """The noun phrase a participle modifies, up to the participle: "voters" in "voters saying …"."""
        phrase = self.noun_phrase(participle.head)
        end = participle.i
        while end > phrase.start + 1 and self.doc[end - 1].is_punct:
            end -= 1
        return self.doc[phrase.start:end] if phrase.start < end <= phrase.end else phrase

    def _stray_subject(self, verb: Token) -> Span | None:
        """A subject the parse hung elsewhere: "X, making his visit, emerged … and announced",
        or the noun phrase right before a trailing "…, U.S. and regional officials said"."""
        sent = verb.sent
        for token in reversed(self.doc[sent.start:verb.i]):
            if token.dep_ == "nsubj" and token.head.tag_ in ("VBG", "VBN") and token.head.dep_ == "advcl" \
                    and not self.inside[token.i]:
                return self.noun_phrase(token)
        # “…,” Flynn, a top surrogate, said — the parse hung the name inside the quote
        if verb.i > 0 and not self.inside[verb.i]:
            j = verb.i - 1
            while j >= 0 and not self.inside[j] and "\n" not in self.doc[j].whitespace_:
                j -= 1
            if j >= 0 and self.inside[j] and j < verb.i - 1:
                words = [t for t in self.doc[j + 1:verb.i]]
                while words and (words[0].is_punct or words[0].is_space):
                    words = words[1:]
                phrase = []
                for t in words:
                    if t.text == ",":
                        break
                    phrase.append(t)
                # (a phrase ending in an adjective with a determiner: “…,” the 43-year-old asked)
                if phrase and (phrase[-1].pos_ in ("PROPN", "NOUN", "PRON")
                               or phrase[-1].pos_ == "ADJ" and phrase[0].pos_ == "DET" and len(phrase) > 1):
                    return self.doc[phrase[0].i:phrase[-1].i + 1]
        # "Said Ellis: “…”" — inverted, the name after the verb
        after = []
        for t in self.doc[verb.i + 1:sent.end]:
            if t.pos_ != "PROPN" or self.inside[t.i]:
                break
            after.append(t)
        if after and verb.i == sent.start or after and self.doc[verb.i - 1].is_punct:
            return self.doc[after[0].i:after[-1].i + 1]
        inverted = self._inverted_phrase(verb) if verb.i > 0 and self.doc[verb.i - 1].is_punct else None
        if inverted is not None:
            return inverted
        # “…,” read one — the parse took the inverted subject for an object
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "attr") and c.i > verb.i), None)
        if obj is not None and verb.i > 0 and self.inside[verb.i - 1] and obj.pos_ in ("NOUN", "PROPN", "NUM"):
            return self.noun_phrase(obj)
        if verb.dep_ not in ("ROOT", "conj", "parataxis", "ccomp"):
            return None
        apposed = self._apposed_before(verb) or self._subject_of_aside(verb)
        if apposed is not None:
            return apposed
        i = verb.i - 1
        while i >= sent.start and self.doc[i].pos_ in ("ADV", "AUX", "PART"):
            i -= 1
        if i < sent.start or self.doc[i].pos_ not in ("NOUN", "PROPN", "NUM") or self.inside[i]:  # "4 in 10 say"
            return None
        end = i
        while i > sent.start and not self.doc[i - 1].is_punct and not self.inside[i - 1] \
                and "\n" not in self.doc[i - 1].whitespace_ \
                and self.doc[i - 1].pos_ in ("NOUN", "PROPN", "ADJ", "CCONJ", "DET", "NUM"):
            i -= 1
        return self.doc[i:end + 1]

    def _inverted_phrase(self, verb: Token) -> Span | None:
        """The noun phrase after a verb that follows a quote or a comma, closed by punctuation: “…,” said
        retired machinist Ruth Calder, …; “…,” said the cashier. (the parse made it anything but a subject)"""
        words = []
        for t in self.doc[verb.i + 1:verb.sent.end]:
            if self.inside[t.i] or t.is_punct or t.is_space or not (
                    t.pos_ in ("PROPN", "NOUN", "ADJ", "NUM") or t.pos_ == "DET" and not words
                    or t.dep_ in ("amod", "compound")):
                break
            words.append(t)
        if not words or words[-1].pos_ not in ("PROPN", "NOUN") or "\n" in words[-1].whitespace_:
            return None
        end = words[-1].i + 1
        if end < verb.sent.end and not self.doc[end].is_punct:
            return None  # "…, said the bill would …": the phrase opens the clause said
        return self.doc[words[0].i:end]

    def _apposed_before(self, verb: Token) -> Span | None:
        """A subject the parse hung as an apposition to the phrase before it, set off by a comma before the
        verb: "In a statement to the Observer, her senior adviser, Jake Sullivan, said: …"."""
        comma = verb.i - 1
        if comma <= verb.sent.start or self.doc[comma].text != ",":
            return None
        token = self.doc[comma - 1]
        while token.dep_ != "appos" and token.head.i != token.i and token.head.i < comma \
                and token.head.right_edge.i == comma - 1:
            token = token.head
        if token.dep_ != "appos" or token.pos_ not in ("NOUN", "PROPN") or self.inside[token.i]:
            return None
        return self.noun_phrase(token)

    def _subject_of_aside(self, verb: Token) -> Span | None:
        """A subject the parse gave to a comma-set clause before the verb: in "One attendee, who spoke on the
        condition of anonymity, said …", the clause became the verb's complement and "attendee" its subject."""
        for clause in verb.children:
            if clause.dep_ != "ccomp" or clause.i > verb.i or self.inside[clause.i]:
                continue
            subject = next((c for c in clause.children if c.dep_ == "nsubj" and c.i < clause.i), None)
            if subject is not None and subject.pos_ in ("NOUN", "PROPN") and subject.i + 1 < clause.i \
                    and self.doc[subject.i + 1].text == ",":
                return self.noun_phrase(subject)
        return None

    def noun_phrase(self, token: Token) -> Span:
        """The token's phrase without relative clauses: "four officials familiar with the talks"."""
        dropped: set[int] = set()
        for t in token.subtree:
            if t.i != token.i and (t.dep_ == "relcl" or t.dep_ == "prep" and t.lower_ == "such"
                                   or t.dep_ == "advcl"):
                start = t.left_edge.i
                # the comma (and "who") before a relative clause goes with it
                while start > token.i and self.doc[start - 1].is_punct:
                    start -= 1
                dropped.update(range(start, t.right_edge.i + 1))
        # never across a paragraph break ("6:05 p.m.\n\nDonald Trump says"): no space token in between
        spaces = self._spaces_before
        kept = [t for t in token.subtree if t.i not in dropped
                and spaces[max(t.i, token.i)] == spaces[min(t.i, token.i)]]
        run = [token]
        for t in sorted(kept, key=lambda t: -t.i):  # extend left
            if t.i == run[0].i - 1:
                run.insert(0, t)
        for t in sorted(kept, key=lambda t: t.i):  # extend right
            if t.i == run[-1].i + 1:
                run.append(t)
        while len(run) > 1 and (run[-1].is_punct or run[-1].is_space):
            run.pop()
        while len(run) > 1 and (run[0].is_punct or run[0].is_space):
            run.pop(0)
        return self.doc[run[0].i:run[-1].i + 1]

    # -- resolution ------------------------------------------------------------------------------
    def resolve(self, span: Span | None) -> Speaker:
        if span is None or not len(span):
            return Speaker()
        raw_start, raw_end = self.report.raw_span(span.start_char, span.end_char)
        speaker = Speaker(name=span.text, start=span.start_char, end=span.end_char, raw_start=raw_start,
                          raw_end=raw_end)
        self._fill(speaker, span)
        return speaker

    def _fill(self, speaker: Speaker, span: Span, depth: int = 0) -> None:
        root = span.root
        if len(span) == 1 and root.lower_ in ("who", "that", "which") and root.head.dep_ == "relcl":
            if depth == 0:  # "Mr. King, who said …": the speaker is the noun the clause describes
                self._fill(speaker, self.noun_phrase(root.head.head), depth=1)
                speaker.via = "relative"
            return
        if root.pos_ == "PRON" and root.lower_ in _PERSON_PRONOUNS | _THING_PRONOUNS | _PLURAL_PRONOUNS:
            if depth == 0:
                self._pronoun(speaker, root)
            return
        named = any(a.kind == "person" and m.start >= span.start_char and m.end <= span.end_char
                    for m, a in self.mentions)
        name = _name_in(span)
        if not named and name is None and self._anonymous(speaker, span):
            return
        actor, mention = self._actor_at(span)
        if actor is not None:
            self._take_actor(speaker, actor, mention)
            speaker.via = speaker.via or "mention"
            return
        if name is not None and not lookup_side(self.profile, name.text):
            # a person the entity recogniser missed: "Its chief negotiator, Nadia Ferrault,"
            speaker.name = name.text
            speaker.via = "name"
            return
        if root.lemma_.lower() in GROUP_NOUNS and self._group(speaker, span):
            return
        side = lookup_side(self.profile, span.text)
        if side is not None:
            speaker.side = side.name
            owner = self._actor_of_side(side.name)
            if owner is not None:
                self._take_actor(speaker, owner, None)
            speaker.via = "alias"

    def _take_actor(self, speaker: Speaker, actor: Actor, mention: Mention | None) -> None:
        speaker.actor = actor.id
        speaker.name = actor.name
        side = actor.side
        if side is None and mention is not None and actor.kind != "person":
            found = lookup_side(self.profile, mention.text)
            side = found.name if found else None
        speaker.side = side

    def _actor_at(self, span: Span) -> tuple[Actor | None, Mention | None]:
        """The actor mentioned at the head of the phrase (or named in its apposition)."""
        inside = [(m, a) for m, a in self.mentions if m.start >= span.start_char and m.end <= span.end_char]
        if not inside:
            return None, None
        root = span.root
        nxt = root.nbor(1) if root.i + 1 < span.end else None
        if nxt is not None and nxt.text in ("’", "'", "'s", "’s"):
            # "Khalil al-Hayya, Hamas’ lead negotiator" misparsed with the possessor as head
            for m, a in inside:
                if a.kind == "person" and m.start == span.start_char:
                    return a, m
        for m, a in inside:
            if m.start <= root.idx < m.end:
                return self._prefer_person(a), m
        # "a former general, Samir Farag": the name is in the apposition
        for child in root.children:
            if child.dep_ == "appos":
                for m, a in inside:
                    if a.kind == "person" and child.idx <= m.start < child.right_edge.idx + len(child.right_edge):
                        return a, m
        people = {a.id: (a, m) for m, a in inside if a.kind == "person"}
        if len(people) == 1 and root.pos_ == "NOUN":  # "a former general, Samir Farag," parsed loosely
            return next(iter(people.values()))
        return None, None

    def _prefer_person(self, actor: Actor) -> Actor:
        """A surname tagged as a place ("Blinken" as GPE) belongs to the person of that surname."""
        if actor.kind == "person" or len(actor.name.split()) != 1:
            return actor
        key = fold(actor.name)
        people = [a for a in self.actors if a.kind == "person" and fold(a.name.split()[-1]) == key]
        return people[0] if len(people) == 1 else actor

    def _actor_of_side(self, side: str) -> Actor | None:
        owners = [a for a in self.actors if a.side == side and a.kind != "person"]
        return max(owners, key=lambda a: len(a.mentions)) if owners else None

    def _is_quoted(self, char: int) -> bool:
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return span is not None and len(span) > 0 and self.inside[span[0].i]

    def _is_subject(self, mention: Mention) -> bool:
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or not len(span):
            return False
        # "attr": the subject of an inverted copula ("Among those freed was Sgt. Emil Rask")
        return _governing_subject_root(span.root).dep_ in (*_SUBJECT_DEPS, "attr")

    def _pronoun(self, speaker: Speaker, pronoun: Token) -> None:
        speaker.via = "pronoun"
        word = pronoun.lower_
        if word in _PLURAL_PRONOUNS:
            antecedent = self._plural_antecedent(pronoun)
            if antecedent is not None:
                self._fill(speaker, antecedent, depth=1)
                speaker.via = "pronoun"
            return
        kinds = {"person"} if word in _PERSON_PRONOUNS else {"organization", "group", "country"}
        floor = pronoun.idx - _WINDOW
        candidates = [(m, a) for m, a in self.mentions
                      if floor <= m.start and m.end <= pronoun.idx and a.kind in kinds and not self._is_quoted(m.start)]
        subjects = [(m, a) for m, a in candidates if self._is_subject(m)]
        unnamed = self._unrecognised_subject(pronoun, floor) if kinds == {"person"} else None
        best = (subjects or candidates)[-1] if subjects or candidates else None
        if unnamed is not None and (best is None or not subjects or unnamed.start_char > best[0].start):
            speaker.name = unnamed.text
            return
        if best is None:
            return
        mention, actor = best
        self._take_actor(speaker, self._prefer_person(actor), mention)

    def _unrecognised_subject(self, pronoun: Token, floor: int) -> Span | None:
        """The nearest earlier subject naming a person the actor layer does not know."""
        known = [(m.start, m.end) for m, a in self.mentions if a.kind == "person"]
        start = self.doc.char_span(max(floor, 0), pronoun.idx, alignment_mode="expand")
        first = start.start if start is not None else 0
        for token in reversed(self.doc[first:pronoun.i]):
            if token.dep_ not in (*_SUBJECT_DEPS, "attr") or self.inside[token.i]:
                continue
            name = _name_in(self.noun_phrase(token))
            if name is not None and not any(s <= name.start_char < e for s, e in known):
                return name
        return None

    def _plural_antecedent(self, pronoun: Token) -> Span | None:
        """The nearest earlier plural subject outside quotes: "U.S. officials said that they …"."""
        floor = max(0, pronoun.sent.start - 200)
        for token in reversed(self.doc[floor:pronoun.i]):
            if token.dep_ in _SUBJECT_DEPS and token.pos_ in ("NOUN", "PROPN") and not self.inside[token.i] \
                    and (token.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in token.children)):
                return self.noun_phrase(token)
        return None

    def _group(self, speaker: Speaker, span: Span) -> bool:
        """ "the group", "the militant group": a profile alias, else the last organisation named."""
        side = lookup_side(self.profile, span.text)
        if side is not None:
            owner = self._actor_of_side(side.name)
            speaker.side = side.name
            if owner is not None:
                self._take_actor(speaker, owner, None)
            speaker.via = "group noun"
            return True
        if not any(t.lower_ in ("the", "its", "their", "this", "that") for t in span.root.children):
            return False
        earlier = [(m, a) for m, a in self.mentions if m.end <= span.start_char and a.kind in ("organization", "group")
                   and not self._is_quoted(m.start)]
        if not earlier:
            return False
        mention, actor = earlier[-1]
        self._take_actor(speaker, actor, mention)
        speaker.via = "group noun"
        return True

    # -- anonymous sources -------------------------------------------------------------------------
    def _anonymous(self, speaker: Speaker, span: Span) -> bool:
        root = span.root
        head, count, anaphoric = root, None, False
        if root.lower_ in _NUMBERS or root.lower_ in ("some", "many", "several", "most", "all", "none") \
                or root.like_num:
            of = next((c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if pobj is None:
                return False
            head, count, anaphoric = pobj, parse_count(root), True
        word = head.lemma_.lower()
        loose = False
        if word not in ANONYMOUS_NOUNS and head.lower_ not in ANONYMOUS_NOUNS:
            last = span[-1]
            if last.pos_ != "NOUN" or last.lemma_.lower() not in ANONYMOUS_NOUNS or head.pos_ == "PROPN":
                return False
            head, word, loose = last, last.lemma_.lower(), True  # the parse lost the phrase's head
        left = [c for c in head.children if c.i < head.i]
        if loose:
            left = [t for t in span if t.i < head.i and t.pos_ in ("PROPN", "ADJ", "NUM", "DET", "NOUN")]
        if count is None:
            count = next((parse_count(c) for c in left if c.dep_ in ("nummod", "det", "quantmod", "predet")
                          and parse_count(c) is not None), None)
            if count is None and head.tag_ == "NN":
                count = 1
        anaphoric = anaphoric or any(c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in left)
        seniority = [c.text for c in left if _SENIORITY.match(c.text)]
        affiliation = self._affiliation(head, left)
        dropped = {t.i for c in head.children if c.dep_ in ("appos", "relcl") for t in c.subtree}
        descriptor = re.sub(r"\s+", " ", "".join(t.text_with_ws for t in span if t.i not in dropped)).strip(" ,")
        speaker.anonymous = True
        speaker.via = "descriptor"
        speaker.descriptor = descriptor
        speaker.count = count
        speaker.seniority = " ".join(seniority) or None
        speaker.affiliation = affiliation
        speaker.side = self._side_of(affiliation, head, left)
        speaker.name = descriptor
        if any(c.dep_ == "conj" for c in head.children):
            speaker.count = None  # "another Israeli official and multiple U.S. officials"
            speaker.side = self._side_of(span.text, head, left, whole=span)
        if anaphoric and speaker.affiliation is None:
            earlier = self._antecedent_source(word, speaker)
            if earlier is not None:
                speaker.affiliation = earlier.affiliation
                speaker.side = speaker.side or earlier.side
                speaker.seniority = speaker.seniority or earlier.seniority
        self.anonymous_seen.append((word, speaker))
        return True

    def _antecedent_source(self, word: str, speaker: Speaker) -> Speaker | None:
        """The source "the two officials" / "one of the senior officials" points back to."""
        earlier = [s for lemma, s in self.anonymous_seen if lemma == word]
        if not earlier:
            return None

        def fit(source: Speaker) -> int:
            score = 0
            if speaker.count and speaker.count > 1 and source.count == speaker.count:
                score += 2
            if speaker.seniority and source.seniority == speaker.seniority:
                score += 1
            return score

        best = max(fit(s) for s in earlier)
        return [s for s in earlier if fit(s) == best][-1]

    def _affiliation(self, head: Token, left: list[Token]) -> str | None:
        """Who the source works for: "U.S.", "Israeli", "from one of the mediating countries"."""
        parts = [c for c in left if (c.dep_ in ("amod", "compound", "nmod", "poss", "npadvmod") or c.head.i != head.i)
                 and c.pos_ != "DET" and not _SENIORITY.match(c.text) and not _NOT_AFFILIATION.match(c.text)
                 and not c.like_num]
        if parts:
            start = min(t.i for c in parts for t in c.subtree if not _SENIORITY.match(t.text) and t.dep_ != "det")
            end = min(max(t.i for c in parts for t in c.subtree), head.i - 1)
            tokens = [t for t in self.doc[start:end + 1] if not _SENIORITY.match(t.text)]
            text = " ".join(t.text for t in tokens).replace(" - ", "-")
            if text:
                return text
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("from", "at", "in", "of", "with") and child.i > head.i:
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is None or pobj.lemma_.lower() in ("condition", "anonymity", "talk", "negotiation", "matter",
                                                            "discussion", "plan", "deal"):
                    continue
                return self.doc[child.i:child.right_edge.i + 1].text
        return None

    def _side_of(self, affiliation: str | None, head: Token, left: list[Token], whole: Span | None = None) -> str | None:
        """The one side an affiliation names (None when it names none or several)."""
        if not affiliation:
            return None
        sides: set[str] = set()
        start = min((t.idx for c in left for t in c.subtree), default=head.idx)
        end = head.idx
        if whole is not None:
            start, end = whole.start_char, whole.end_char
        for m, a in self.mentions:
            if start <= m.start and m.end <= end and a.side:
                sides.add(a.side)
        for part in re.split(r"\s+(?:and|or)\s+|,\s*", affiliation):
            side = lookup_side(self.profile, part)
            if side is not None:
                sides.add(side.name)
        return next(iter(sides)) if len(sides) == 1 else None
