"""Attributions that are not statements: stances, beliefs and nominal cues, as Quote(kind="attribution").

News attributes more than speech. "Republicans backed the bill", "she thinks the deal is dead",
"Trump's criticism of the plan", "concerns about the timeline" all tell the reader where an actor
stands, and attribution corpora (PolNeAR) annotate them. They are kept apart from statements
(kind "attribution", hidden from the default quotes listing and not scored as quotes by
`dealtrace eval`) so a quotes table stays a table of things people said.

Called by the `quotes` extractor after direct and indirect quotes, with its finder, so a cue or
content already taken by a statement is not attributed twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from ..model import Quote
from .reporting import REPORTING_VERBS, past_relative, strip_edges

if TYPE_CHECKING:  # the finder lives in quotes.py, which calls this module
    from .quotes import _Finder

__all__ = ["find_attributions", "STANCE_VERBS", "PREP_CUES", "BELIEF_VERBS", "NOMINAL_CUES"]

# Verbs whose noun-phrase object is what the subject stands for or against: praised the bill.
# Chosen on PolNeAR's train split: verbs whose uses are mostly annotated as attributions there
# ("support", "back", "vote" are too often mere facts: "hedge funds supporting her campaign").
STANCE_VERBS = frozenset("""endorse criticize criticise praise defend tout mock thank discuss oppose denounce
decry lambast castigate chide rebuke scold repudiate disavow ridicule express voice highlight
want seek offer see refuse accuse attack plan embrace dismiss reject propose fear blame view name welcome ignore
slam prefer condemn applaud congratulate blast regard bemoan recommend love hate admire""".split())
# (the second and third lines: verbs whose objects PolNeAR's train split annotates at least ~30% of the
# time; "raise", "hire", "sign", "introduce", "release", "appoint", "address" fell below: plain deeds; "push" too,
# 19 of 63 right: "pushed the budget through", "push for" stays a cue)
# Verbs by which a poll, a record or a study attributes something, in a finite form: the poll showed Trump
# leading ("show" in the base form is mostly "show support", "show up").
EVIDENCE_VERBS = frozenset("show find reveal indicate".split())
# Stances that are mostly attributed in a finite form ("Republicans backed the bill") but are plain facts as
# participles and infinitives ("a PAC backing Bush", "urged voters to support him").
FINITE_STANCE_VERBS = frozenset("support back favor favour".split())
_FINITE = ("VBD", "VBZ", "VBP")  # "voters support a ban" as well (PolNeAR train: 20 of 47 new ones right)
# Groups that exist to back someone: "a super PAC backing Bush" states the PAC's stance, where "hedge funds
# supporting her campaign" is a plain fact.
_PARTISAN_GROUPS = frozenset("pac pacs group groups committee committees organization organizations".split())
# Verbs that name or describe their object: "called him divisive", "describes himself as a moderate".
NAMING_VERBS = frozenset("call label dub brand term describe characterize characterise".split())
# "took aim at the plan", "took issue with the report": take + noun + preposition, whose object is the content.
TAKE_PHRASES = {"aim": {"at"}, "issue": {"with"}, "shot": {"at"}, "swipe": {"at"}, "swing": {"at"}, "whack": {"at"},
                "credit": {"for"}}
# Verb + preposition cues whose object is the content: called for a ceasefire, referred to the report.
PREP_CUES = {
    "call": {"for"}, "talk": {"about"}, "refer": {"to"}, "point": {"to"}, "ask": {"about", "for"}, "push": {"for"},
    "argue": {"for", "against"}, "speak": {"about", "of"}, "complain": {"about", "of"}, "advocate": {"for"},
    "warn": {"of", "about", "against"}, "comment": {"on"}, "hope": {"for"}, "lobby": {"for", "against"},
    "object": {"to"}, "apologize": {"for"}, "apologise": {"for"}, "boast": {"about", "of"}, "rail": {"against"},
    "brag": {"about"}, "joke": {"about"}, "testify": {"about"}, "insist": {"on"},
    "criticize": {"for"}, "criticise": {"for"}, "blame": {"for"}, "praise": {"for"}, "vote": {"for", "against"},
    # (PolNeAR train, new attributions right: focus on 33/75, respond to 29/61, speak of 8/13, ask for 8/12,
    # worry about 4/11, agree with 6/9, think about 6/9, side with 4/9, campaign for 6/7, vouch for 3/6,
    # believe in 3/3; not kept: write about 2/7, allude to 0/3, fight for 0/6)
    "focus": {"on"}, "respond": {"to"}, "worry": {"about"}, "agree": {"with"}, "think": {"about"}, "side": {"with"},
    "campaign": {"for"}, "vouch": {"for"}, "believe": {"in"},
    # (round 11: distance from 5/9, hint at 4/6, disagree with 2/3, lash out at 4/6, touch on 4/5, weigh in on 4/7,
    # open up about 3/4; not kept: go after 3/16, stand by 2/6)
    "distance": {"from"}, "hint": {"at"}, "disagree": {"with"}, "lash": {"at"}, "touch": {"on"}, "weigh": {"on"},
    "open": {"about"},
}
_FINITE_PREP_CUES = frozenset({"vote"})  # "voted for Sanders", not "voting for" or "to vote for"
# Verbs of belief or decision with a content clause: thinks the deal is dead.
BELIEF_VERBS = frozenset("think realize realise recognize recognise wonder guess decide insist imply surmise posit"
                         .split())
# Verbs whose infinitive is an intention or preference: prefers to wait, decided to leave.
INTENT_VERBS = frozenset("prefer decide hope".split())
# Verbs of appearance: "Christie seemed to be shrinking", an impression no one is named as holding.
APPEARANCE_VERBS = frozenset("seem appear".split())
# Nouns that attribute a stance, belief or statement to their owner: criticism of, the claim that.
NOMINAL_CUES = frozenset("""criticism claim claims belief hopes allegation allegations accusation accusations
statement warning admission suggestion vow demands promise calls insistence assertion views comments complaint
complaints decision announcement""".split())
# Verbs whose content clause is a plain fact, not an attitude: "it is clear that", "it makes sense that".
_NOT_ATTITUDES = frozenset("be have get go come take make give win lose do hold spend lead run seem appear".split())
# Heads of a subject that can hold an attitude: people, groups, their spokespeople, voters.
_AGENT_PRONOUNS = frozenset("he she they i we".split())
_AGENT_NOUNS = frozenset("""campaign official spokesman spokeswoman spokesperson voter supporter critic democrat
republican aide adviser advisor""".split())
# A copula whose adjective holds an attitude toward its prepositional object or clause: "are wary of the deal",
# "was confident that …" (PolNeAR train: 54 of 96 such new attributions right). An infinitive only after
# adjectives of willingness ("is eager to run"): "is likely to", "is able to" are not attitudes (13 of 91 right).
_PREDICATE_DEPS = frozenset({"ROOT", "conj", "ccomp", "advcl"})
_ATTITUDE_PREPS = frozenset("of about with on over to toward towards by".split())
_WILLING = frozenset("eager ready willing unwilling reluctant determined hesitant anxious keen happy glad afraid loath "
                     "loathe".split())
_NOMINAL_PREPS = frozenset("of for about over against on to with".split())
_SOURCE_PREPS = frozenset("from by among".split())


def find_attributions(finder: "_Finder", taken: list[Quote]) -> list[Quote]:
    """Stance verbs with their object, belief and intention verbs, appearances, nominal cues: kind "attribution"."""
    cues = {q.cue.start for q in taken if q.cue is not None}
    spans = sorted((q.start, q.end) for q in taken)
    found: list[Quote] = []
    for token in finder.doc:
        if finder.inside[token.i] or token.idx in cues:
            continue
        pos = token.pos_
        if pos == "VERB":
            quote = _verbal(finder, token)
        elif pos == "NOUN" and token.lower_ in NOMINAL_CUES:
            quote = _nominal(finder, token)
        elif pos == "AUX" and token.lemma_ == "be" and token.dep_ in _PREDICATE_DEPS:
            quote = _predicative(finder, token)
        else:
            quote = None
        if quote is None or _overlaps(quote, spans):
            continue
        found.append(quote)
        cues.add(quote.cue.start if quote.cue is not None else -1)
    return found


def _overlaps(quote: Quote, spans: list[tuple[int, int]]) -> bool:
    """Half of the content already belongs to a statement."""
    length = quote.end - quote.start
    return any(min(end, quote.end) - max(start, quote.start) >= 0.5 * min(length, end - start)
               for start, end in spans if start < quote.end and end > quote.start)


def _verbal(finder: "_Finder", verb: Token) -> Quote | None:
    lemma = verb.lemma_.lower()
    if lemma in APPEARANCE_VERBS:
        return _appearance(finder, verb)
    if lemma in ("take", "lay"):
        return _phrasal(finder, verb, lemma)
    if lemma not in _LISTED and not _open_clause(verb, lemma):
        return None  # no rule below can take it: its subject is not looked for
    group = lemma in FINITE_STANCE_VERBS and _backs_as_group(verb)
    subject = verb.doc[verb.head.left_edge.i:verb.head.i + 1] if group else finder.resolver.subject_of(verb)
    if subject is None:
        return None
    content: list[Token] = []
    cue = [verb]
    if lemma in BELIEF_VERBS:
        clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
        if clause is not None:
            content = past_relative(list(clause.subtree), verb)
    if not content and lemma in INTENT_VERBS:
        clause = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i), None)
        if clause is not None:
            content = [t for c in verb.children if c.i > verb.i and c.dep_ in ("dobj", "xcomp") for t in c.subtree]
    if not content and (lemma in STANCE_VERBS or lemma in EVIDENCE_VERBS | FINITE_STANCE_VERBS and verb.tag_ in _FINITE
                        or group):
        obj = _nominal_object(verb)
        if obj is not None:
            content = _bare(obj)
            # what the stance is about, right after the object: "mocked Trump for calling himself …",
            # "criticised Trump over his call …", "showed Trump with zero percent support"
            end = max(t.i for t in content)
            for child in sorted(verb.children, key=lambda c: c.i):
                if child.i != end + 1 and not (child.i == end + 2 and verb.doc[end + 1].text == ","):
                    continue
                if child.dep_ == "prep" and child.lower_ in ("for", "over", "as", "with", "to") \
                        or child.dep_ in ("advcl", "xcomp") and child.left_edge.lower_ in ("to", "as"):
                    content += list(child.subtree)
                    end = child.right_edge.i
    if not content and lemma in NAMING_VERBS:
        content = _naming(verb)
    if not content and lemma in PREP_CUES and (lemma not in _FINITE_PREP_CUES or verb.tag_ in _FINITE):
        prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in PREP_CUES[lemma] and c.i > verb.i), None)
        pobj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
        if pobj is not None:
            content = _bare(pobj)
            cue = [verb, prep] if prep.i == verb.i + 1 else [verb]
            # "called for the secretary to release the transcripts": the infinitive is part of what is called for
            follow = next((c for c in verb.children if c.dep_ in ("advcl", "xcomp") and c.left_edge.i == pobj.right_edge.i + 1
                           and c.left_edge.lower_ == "to"), None)
            if follow is not None:
                content += list(follow.subtree)
        elif prep is None:  # the same parsed as a clause: "called [for] [the company to release …]"
            clause = next((c for c in verb.children if c.dep_ in ("advcl", "ccomp") and c.i > verb.i
                           and c.left_edge.i == verb.i + 1 and c.left_edge.lower_ in PREP_CUES[lemma]), None)
            if clause is not None:
                content = [t for t in clause.subtree if t.i != clause.left_edge.i]
                cue = [verb, clause.left_edge]
    if not content and _open_clause(verb, lemma) and _is_agent(subject):
        # any other finite verb of an agent with a content clause: "Trump bet that …", "she hinted …"
        clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
        if clause is not None:
            content = past_relative(list(clause.subtree), verb)
    if not content:
        return None
    return _record(finder, content, cue, subject, verb)


def _backs_as_group(verb: Token) -> bool:
    """A participle that names what a partisan group is for: "the super PAC supporting Cruz"."""
    return verb.tag_ == "VBG" and verb.dep_ == "acl" and verb.head.lower_ in _PARTISAN_GROUPS


def _phrasal(finder: "_Finder", verb: Token, lemma: str) -> Quote | None:
    """ "laid out his plan", "took aim at the plan": the phrase is the cue, its object the content."""
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
    if obj is None:
        return None
    if lemma == "lay":
        particle = next((c for c in verb.children if c.dep_ == "prt" and c.lower_ == "out"), None)
        content, cue = (_bare(obj), [verb, particle]) if particle is not None else ([], [])
    else:
        preps = TAKE_PHRASES.get(obj.lemma_.lower(), set())
        prep = next((c for c in (*verb.children, *obj.children) if c.dep_ == "prep" and c.lower_ in preps and c.i > obj.i),
                    None)
        target = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
        content, cue = (_bare(target) if target.dep_ == "pobj" else list(target.subtree), [verb, obj, prep]) \
            if target is not None else ([], [])
    if not content:
        return None
    subject = finder.resolver.subject_of(verb)
    return _record(finder, content, cue, subject, verb) if subject is not None else None


def _nominal_object(verb: Token) -> Token | None:
    """The verb's direct object after it, when a noun, name or pronoun."""
    return next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i and c.pos_ in ("NOUN", "PROPN", "PRON")),
                None)


def _naming(verb: Token) -> list[Token]:
    """The object and what it is called, both after the verb: "called [him] [a liar]", "described [it] [as a
    mistake]"; nothing when the verb has no such complement ("called the office", "described the plan")."""
    obj = _nominal_object(verb)
    if obj is None:
        return []
    label = next((c for c in verb.children if c.i > obj.i and (c.dep_ == "oprd" or c.dep_ == "prep" and c.lower_ == "as")),
                 None)
    return _bare(obj) + list(label.subtree) if label is not None else []


_LISTED = NAMING_VERBS | BELIEF_VERBS | INTENT_VERBS | STANCE_VERBS | EVIDENCE_VERBS | FINITE_STANCE_VERBS | frozenset(PREP_CUES)


def _open_clause(verb: Token, lemma: str) -> bool:
    """A finite verb outside the lists with a content clause after it: "Trump bet that …", "she hinted …"."""
    return verb.tag_ in _FINITE and lemma not in _NOT_ATTITUDES and lemma not in REPORTING_VERBS \
        and any(c.dep_ == "ccomp" and c.i > verb.i for c in verb.children)


def _predicative(finder: "_Finder", copula: Token) -> Quote | None:
    """An agent's attitude in a predicate adjective: "Republicans are wary of the deal", "she is eager to run",
    "they were convinced that …". The cue is the copula and the adjective (with its preposition)."""
    adjective = next((c for c in copula.children if c.dep_ == "acomp" and c.pos_ == "ADJ" and c.i > copula.i), None)
    if adjective is None:
        return None
    subject = finder.resolver.subject_of(copula)
    if subject is None or not _is_agent(subject):
        return None
    willing = adjective.lemma_.lower() in _WILLING
    content, prep = _complement(adjective, _ATTITUDE_PREPS,
                                lambda child: child.dep_ == "ccomp" or child.dep_ == "xcomp" and willing)
    if not content:
        return None
    cue = [copula, adjective, prep] if prep is not None else [copula, adjective]
    return _record(finder, content, cue, subject, copula)


def _complement(word: Token, preps: frozenset[str], is_clause) -> tuple[list[Token], Token | None]:
    """What a stance word is about: the object of its first preposition in `preps` or its first clause
    `is_clause` accepts, whichever comes first after it; and the preposition when it follows the word
    directly (then part of the cue: "wary of", "support for")."""
    for child in word.children:
        if child.i < word.i:
            continue
        if child.dep_ == "prep" and child.lower_ in preps:
            pobj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                return list(pobj.subtree), child if child.i == word.i + 1 else None
        if is_clause(child):
            return list(child.subtree), None
    return [], None


def _is_agent(subject: Span) -> bool:
    """A subject that can think or say: a person, an organisation or a people, a personal pronoun, a role."""
    head = subject.root
    return head.ent_type_ in ("PERSON", "ORG", "NORP") or head.lower_ in _AGENT_PRONOUNS \
        or head.lemma_.lower() in _AGENT_NOUNS


def _appearance(finder: "_Finder", verb: Token) -> Quote | None:
    """ "The talks seemed to stall": an impression with no one to hold it (PolNeAR's source-less
    attribution). The content runs from the subject to the end of the infinitive, cue included; a predicate
    instead of the infinitive ("seemed unmoved", "seemed like a waste of time") too (PolNeAR train: 14 more
    attributions, 8 more matched; with the parse's "oprd" adjectives as well, 44 more and 15 more matched, at
    the break-even, so those are left out). A subject that can hold an attitude ("Obama seemed to recognize
    …") is the source: the reporter hedges what that person thinks or does (PolNeAR train: 68 attributions
    given a source, 6 more matched, none lost)."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    clause = next((c for c in verb.children if c.i > verb.i and (c.dep_ == "xcomp"
                   and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children) or c.dep_ in ("acomp", "attr")
                   or c.dep_ == "prep" and c.lower_ == "like")), None)
    if subject is None or clause is None or subject.pos_ == "PRON" and subject.lower_ in ("it", "there"):
        return None
    tokens = strip_edges(finder._clip(list(finder.doc[subject.left_edge.i:clause.right_edge.i + 1]), verb))
    comma = next((t.i for t in tokens if t.i > clause.i and t.text == ","), None)
    if comma is not None:  # "… appears to have plummeted from the levels, when …": the impression ends there
        tokens = strip_edges([t for t in tokens if t.i < comma])
    if len(tokens) < 4 or any(finder.inside[t.i] for t in tokens):
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    holder = finder.doc[subject.left_edge.i:subject.i + 1]
    return finder.quote_record("attribution", start, end, finder.text[start:end], [verb],
                               holder if _is_agent(holder) else None, verb.sent)


def _bare(head: Token) -> list[Token]:
    """A noun phrase without a comma-set apposition or relative clause: "Ben Carson, a neurosurgeon who …"
    is Ben Carson; the description is the reporter's."""
    drop: set[int] = set()
    for child in head.children:
        if child.dep_ in ("appos", "relcl") and child.i > head.i and head.doc[child.left_edge.i - 1].text == ",":
            drop.update(range(child.left_edge.i - 1, child.right_edge.i + 1))
    return [t for t in head.subtree if t.i not in drop]


def _nominal(finder: "_Finder", noun: Token) -> Quote | None:
    """ "Trump's criticism of the plan", "support for the bill from Republicans", "the claim that …"."""
    content, prep = _complement(noun, _NOMINAL_PREPS, lambda child: child.dep_ in ("acl", "ccomp") and any(
        c.dep_ == "mark" and c.lower_ == "that" for c in child.children))
    if not content:
        return None
    source = _owner(finder, noun)
    if source is None:
        return None
    return _record(finder, content, [noun, prep] if prep is not None else [noun], source, noun)


def _owner(finder: "_Finder", noun: Token) -> Span | None:
    """Whose stance the noun is: its possessor, "from X", or the subject of the verb that expresses it."""
    for child in noun.children:
        if child.dep_ == "poss":
            return finder.resolver.noun_phrase(child)
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in _SOURCE_PREPS:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and (pobj.pos_ == "PROPN" or pobj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")):
                return finder.resolver.noun_phrase(pobj)
    head = noun.head
    if noun.dep_ in ("dobj", "attr") and head.pos_ == "VERB":
        return finder.resolver.subject_of(head)
    return None


def _record(finder: "_Finder", content: list[Token], cue: list[Token], source: Span, anchor: Token) -> Quote | None:
    if any(t.i >= source.start and t.i < source.end for t in content):
        return None
    if len(content) == 1 and content[0].pos_ == "PRON":
        return None  # "praised him": the stance is in the cue, the pronoun says nothing
    tokens = strip_edges(finder._clip(content, anchor))
    if not tokens:
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    span = finder.doc[tokens[0].i:tokens[-1].i + 1]
    if not any(t.is_alpha for t in span) or sum(len(t) for t in span if finder.inside[t.i]) > 0.5 * (end - start):
        return None  # a bare mark, or words a direct quote already holds
    return finder.quote_record("attribution", start, end, finder.text[start:end], cue, source, anchor.sent)
