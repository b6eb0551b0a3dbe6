"""Positions: where a side stands on an issue of the profile, on whose word, and when.

For every mention of an issue (a profile keyword, see `analyze.issues`) the parse is walked from
the mention up to the sentence root. On the way:

* the **holder** is the side of the first attitude or speech predicate whose subject (or, for a
  noun such as "demand", whose possessor) is a side; "Under the <side> proposal" makes the
  proposal's author the holder, and a sentence inside a quote falls back to the quote's speaker;
* the **attitude** sign flips for every negative predicate ("reject", "object", "refuse"),
  negation ("not", "no", "never") and "without";
* the **content** sign compares the action words near the mention with the proposition's own:
  words come in opposed classes (stay/withdraw, continue/resume, release/hold ...), so "insists
  on a withdrawal" opposes a proposition that forces stay, and supports one that they leave.

support = attitude × content > 0, oppose < 0; conditional when the clause is qualified ("only
after", "as long as", "albeit", "in reduced numbers", "phased") or the holder wants the opposite
only "until" something happens. An issue inside a condition the holder sets ("... only after the
rebels hand over their weapons") is something the holder asks for: support. docs/positions.md
has the whole rule set. Nothing here names a negotiation: issues and sides come from the profile.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..analyze.issues import IssueHit, IssueMatcher
from ..model import Actor, Event, Issue, Position, Profile, Quote, Report, Timex, record_id
from . import Context, extractor
from .common import doc_text, fold, lookup_side, span_text

__all__ = ["find_positions", "positions_of", "proposition_classes", "ACTION_CLASSES", "SHIFT_WORDS"]

log = logging.getLogger(__name__)

# Opposed action words: lemma -> (class, sign). A statement's class word is compared with the
# proposition's: same sign, the statement is about the proposition's content; opposite, its contrary.
ACTION_CLASSES: dict[str, tuple[str, int]] = {}
for _cls, _pos, _neg in [
    ("presence", "stay remain retain keep control presence maintain patrol hold occupy station deploy "
                 "deployment occupation checkpoint troop soldier", "withdraw withdrawal leave pullback pullout pull exit evacuate "
                 "depart departure retreat removal redeploy redeployment"),
    ("continuity", "continue continuation extend extension permanent lasting", "resume restart renew resumption"),
    ("release", "release free freed exchange swap", "detain detention imprison"),
    ("return", "return returnee resettle", ""),
    ("disarm", "disarm disarmament decommission storage store surrender", "rearm rearmament"),
    ("monitor", "monitor monitoring observer observe peacekeeper peacekeeping inspect inspector verify "
                "verification", ""),
    ("screen", "screen screening search check", ""),
]:
    for _w in _pos.split():
        ACTION_CLASSES.setdefault(_w, (_cls, 1))
    for _w in _neg.split():
        ACTION_CLASSES.setdefault(_w, (_cls, -1))

# Predicates whose subject holds an attitude towards their complement.
POSITIVE_ATTITUDE = frozenset("""
insist demand want seek call urge accept agree assent endorse support back welcome favor favour propose offer
require need request ask press push hope vow pledge promise consider allow permit approve prefer plan intend
stick adhere embrace advocate champion float suggest envisage envision stand expect ready willing prepared
eager open keen
""".split())
NEGATIVE_ATTITUDE = frozenset("""
reject object refuse oppose dismiss resist veto block decline balk condemn criticize criticise protest spurn
rebuff rule fight deny
""".split())
SPEECH = frozenset("""
say tell add state announce argue warn claim note declare write reply respond stress explain maintain repeat
reiterate acknowledge assert contend emphasize emphasise signal indicate understand believe insist told
""".split())
# Nouns that carry their possessor's attitude: "the union's demand to ...", "X's objections to ...".
ATTITUDE_NOUNS = {
    "demand": 1, "insistence": 1, "call": 1, "condition": 1, "support": 1, "acceptance": 1, "proposal": 1, "offer": 1, "plan": 1, "request": 1, "wish": 1, "push": 1, "counterproposal": 1,
    "objection": -1, "refusal": -1, "opposition": -1, "rejection": -1, "veto": -1, "non-starter": -1,
}
# Verbs that undo their object: "give up control", "drop the demand", "end the presence".
REVERSERS = {"give": "up", "drop": None, "abandon": None, "end": None, "stop": None, "halt": None, "lift": None,
             "relinquish": None, "cede": None, "scrap": None, "lose": None, "forgo": None, "prevent": None,
             "bar": None, "ban": None}
PROPOSAL_NOUNS = frozenset("proposal plan framework draft offer counterproposal deal text document blueprint "
                           "initiative roadmap accord agreement".split())
# What makes support conditional: qualifiers of the thing supported, and words opening a condition.
_QUALIFIED = re.compile(
    r"\b(albeit|in reduced numbers|reduced|limited|partial(?:ly)?|phased|gradual(?:ly)?|in principle|unarmed|in stages|"
    r"in batches|"
    r"temporar(?:y|ily)|scaled[- ]back)\b", re.I)
# A partial version of an all-or-nothing proposition contradicts it rather than qualifying it.
_PARTIAL = re.compile(r"\b(in stages|in batches|phased|partial(?:ly)?|gradual(?:ly)?|piecemeal)\b", re.I)
_TOTAL = re.compile(r"\b(complete(?:ly)?|entire(?:ly)?|full(?:y)?|all|single|at once|whole)\b", re.I)
_INTRODUCER = re.compile(
    r"\b(only (?:after|if|when|once|with)|as long as|so long as|provided(?: that)?|on (?:the )?condition(?: that)?|"
    r"in step with|conditional on|subject to|in the event (?:that|of)|in exchange for)\b", re.I)
_LOCATIVE_PREPS = frozenset("in at on near inside along across into".split())
_MODALS = frozenset("must should would will could can might may need wo 'll shall ought".split())
_DELAY = frozenset("wait delay postpone defer suspend".split())
_NO_DEAL = re.compile(r"\bno\s+(?:deal|agreement|accord|truce|peace|cease-?fire|settlement)\b", re.I)
_UNTIL = re.compile(r"\b(until|unless|till)\b", re.I)
# Subordinators that introduce a condition the holder sets.
CONDITION_MARKS = frozenset("until unless once if".split())
# Subordinators that time the holder's acceptance: "withdraw ... after X", "before any unit leaves".
TIMING_MARKS = frozenset("after before".split())
SHIFT_WORDS = {
    "toughen": "toughened", "stiffen": "toughened", "harden": "toughened", "tighten": "toughened",
    "soften": "softened", "ease": "softened", "relax": "softened", "moderate": "softened",
    "back": "backed away", "drop": "backed away", "retreat": "backed away", "abandon": "backed away",
    "upend": "upended", "reverse": "upended", "reversal": "upended", "renege": "upended",
}
_SUBJECTS = ("nsubj", "nsubjpass", "csubj", "expl")
# Prepositions that attach a circumstance to a clause; an issue inside one is not its topic.
_ADJUNCT_PREPS = frozenset("as during despite amid since like than via through with".split())
_PRONOUNS = {"he": "person", "she": "person", "it": "group", "they": "group", "we": "speaker", "i": "speaker"}


@dataclass
class _Found:
    side: str
    stance: str
    holder: str | None
    own: bool
    shift: str | None
    anchor: Token | None = None  # the predicate the holder was found at
    root: Token | None = None  # the mention's head


def proposition_classes(issue: Issue) -> dict[str, int]:
    """The action classes a proposition speaks of, with the sign it gives each (first word wins)."""
    return dict(_proposition_classes(issue.proposition))


@functools.lru_cache(maxsize=256)
def _proposition_classes(proposition: str) -> dict[str, int]:
    """`proposition_classes`, worked out once per proposition (every report asks again); not to be changed."""
    classes: dict[str, int] = {}
    for word in re.findall(r"[a-z]+", fold(proposition)):
        for form in (word, word[:-1] if word.endswith("s") else word, word[:-2] if word.endswith("ed") else word,
                     word[:-1] if word.endswith("d") else word, word[:-3] if word.endswith("ing") else word):
            if form in ACTION_CLASSES:
                cls, sign = ACTION_CLASSES[form]
                classes.setdefault(cls, sign)
                break
    return classes


class _Sides:
    """Side of a span of the body: actor mentions first, then the profile's aliases."""

    def __init__(self, doc: Doc, profile: Profile, actors: list[Actor]) -> None:
        self.doc = doc
        self.profile = profile
        self.spans: list[tuple[int, int, str, str]] = []  # start, end, side, kind
        for actor in actors:
            if actor.side:
                for m in actor.mentions:
                    self.spans.append((m.start, m.end, actor.side, actor.kind))
        self.spans.sort()

    def of_span(self, start: int, end: int) -> set[str]:
        sides = {side for s, e, side, _ in self.spans if s < end and e > start}
        if not sides:
            side = lookup_side(self.profile, doc_text(self.doc)[start:end])
            if side is not None:
                sides = {side.name}
        return sides

    def before(self, char: int, kind: str, window: int = 600) -> str | None:
        """The side of the nearest actor mention before `char` (for a pronoun)."""
        best = None
        for s, e, side, actor_kind in self.spans:
            if e <= char and char - e <= window and (kind != "person" or actor_kind == "person"):
                if kind == "group" and actor_kind == "person":
                    continue
                best = side
        return best


def _np_span(token: Token) -> tuple[int, int]:
    """The noun phrase of a subject/possessor, without relative clauses or appositions."""
    left = token.left_edge.idx
    right = token.idx + len(token.text)
    for child in token.rights:
        if child.dep_ in ("relcl", "acl", "appos", "punct", "cc", "conj", "prep"):
            break
        right = child.right_edge.idx + len(child.right_edge.text)
    return left, right


def _subject(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return child
    if token.dep_ == "acomp":  # "X was ready to send observers"
        return _subject(token.head)
    # "X will not accept" -> aux chain: subject on the head for xcomp/conj verbs
    if token.dep_ in ("xcomp", "conj") and token.head.pos_ in ("VERB", "AUX"):
        return _subject(token.head)
    return None


def _negated(token: Token) -> bool:
    for child in token.children:
        if child.dep_ == "neg" or child.lower_ in ("never", "no", "neither", "nor"):
            return True
        if child.dep_ in ("attr", "dobj", "nsubj") and child.i > token.i and \
                any(g.dep_ == "det" and g.lower_ == "no" for g in child.children):
            return True  # "there will be no agreement"
    return False


class _Walker:
    """Walks the parse from an issue mention to the root, collecting holder, signs and markers."""

    def __init__(self, ctx_doc: Doc, sides: _Sides, quotes: list[Quote]) -> None:
        self.doc = ctx_doc
        self.sides = sides
        self.quotes = quotes

    def side_of_token(self, token: Token) -> tuple[str | None, str | None]:
        """(side, holder text) of a subject or possessor token; None when no single side."""
        lower = token.lower_
        if lower in _PRONOUNS:
            kind = _PRONOUNS[lower]
            if kind == "speaker":
                quote = self.quote_at(token.idx)
                return (quote.speaker.side, quote.speaker.name) if quote and quote.speaker.side else (None, None)
            side = self.sides.before(token.idx, kind) if kind == "person" else \
                (self.governing_subject(token) or self.previous_subject(token))
            return side, token.text if side else None
        if lower in ("his", "her", "its", "their"):
            side = self.sides.before(token.idx, "person" if lower in ("his", "her") else "group")
            return side, token.text if side else None
        start, end = _np_span(token)
        found = self.sides.of_span(start, end)
        if len(found) == 1:
            return next(iter(found)), doc_text(self.doc)[start:end]
        return None, None

    def governing_subject(self, token: Token) -> str | None:
        """'X said that it ...': the side of the subject of a verb above the pronoun in its sentence."""
        head = token.head
        while head.head.i != head.i:
            head = head.head
            subj = _subject(head)
            if subj is not None and subj.lower_ not in _PRONOUNS and subj.i < token.i:
                start, end = _np_span(subj)
                found = self.sides.of_span(start, end)
                return next(iter(found)) if len(found) == 1 else None
        return None

    def previous_subject(self, token: Token) -> str | None:
        """'it'/'they': the side of the main subject of the previous sentence (a simple centering guess)."""
        sent = token.sent
        if sent.start == 0:
            return None
        previous = self.doc[sent.start - 1].sent
        subj = _subject(previous.root)
        if subj is None or subj.lower_ in _PRONOUNS:
            return None
        start, end = _np_span(subj)
        found = self.sides.of_span(start, end)
        return next(iter(found)) if len(found) == 1 else None

    def quote_at(self, char: int) -> Quote | None:
        for quote in self.quotes:
            if quote.kind == "direct" and quote.start <= char < quote.end and quote.speaker.side:
                return quote
        return None

    def proposal_author(self, token: Token) -> tuple[str | None, str | None]:
        """'Under the new <side> proposal, ...': the proposal's side as the holder of its terms."""
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("under", "in"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.lemma_.lower() in PROPOSAL_NOUNS:
                        for mod in pobj.children:
                            if mod.dep_ in ("compound", "amod", "poss", "nmod"):
                                side, _ = self.side_of_token(mod)
                                if side:
                                    start, end = _np_span(pobj)
                                    return side, doc_text(self.doc)[start:end]
        return None, None


def _content_sign(tokens: list[Token], classes: dict[str, int]) -> tuple[int, bool]:
    """+1 when the nearest class word agrees with the proposition, -1 when opposed; and whether found."""
    for token in tokens:
        lemma = token.lemma_.lower()
        text = token.lower_
        for form in (lemma, text):
            if form in ACTION_CLASSES:
                cls, sign = ACTION_CLASSES[form]
                if cls in classes:
                    return sign * classes[cls], True
    return 1, False


def _is_reverser(token: Token) -> bool:
    lemma = token.lemma_.lower()
    if lemma not in REVERSERS:
        return False
    particle = REVERSERS[lemma]
    return particle is None or any(c.dep_ == "prt" and c.lower_ == particle for c in token.children)


def _timed(token: Token) -> bool:
    """`token` heads an "after ..."/"before ..." clause or phrase."""
    if token.dep_ == "advcl":
        return any(c.dep_ == "mark" and c.lower_ in TIMING_MARKS for c in token.children)
    return token.dep_ == "prep" and token.lower_ in TIMING_MARKS


def _in_condition(token: Token) -> str | None:
    """The subordinator when `token` heads a condition clause ("after", "until", "if" ...)."""
    if token.dep_ == "advcl":
        for child in token.children:
            if child.dep_ == "mark" and child.lower_ in CONDITION_MARKS:
                return child.lower_
    if token.dep_ == "prep" and token.lower_ in CONDITION_MARKS:
        return token.lower_
    return None


def _evaluate(walker: _Walker, hit_root: Token, classes: dict[str, int], total: bool = False) -> _Found | None:
    """The stance one mention expresses, and whose, or None when no side holds it."""
    sent = hit_root.sent
    path = [hit_root]
    while path[-1].head.i != path[-1].i:
        path.append(path[-1].head)
    attitude = 1
    holder: tuple[str, str] | None = None
    anchor: Token | None = None
    own = True
    content: int | None = _class_sign([hit_root, *[c for c in hit_root.children if c.dep_ in ("amod", "compound")]],
                                      classes)
    in_condition = _introduced_condition(sent, hit_root) or _no_x_no_deal(sent, hit_root)
    timed = False
    before = _noun_before(walker, hit_root, sent.start)
    if before is not None:
        holder, anchor = before[:2], before[2]
    for i, token in enumerate(path):
        below = path[i - 1] if i else None
        if below is not None and below.dep_ == "prep" and token.pos_ in ("VERB", "AUX"):
            if below.lower_ in _ADJUNCT_PREPS:
                return None  # a circumstance of the clause ("as part of", "during"), not what it is about
            lemma = token.lemma_.lower()
            if i == 2 and below.lower_ in _LOCATIVE_PREPS and _class_sign([token], classes) is None and \
                    holder is None and (below.lower_ != "on" or lemma not in POSITIVE_ATTITUDE | NEGATIVE_ATTITUDE):
                return None  # where something else happens ("allowed in the corridor"), not the issue's action
        if holder is not None:
            lemma = token.lemma_.lower()
            if lemma == "back" and any(c.lower_ in ("away", "down", "off") for c in token.children):
                return None  # walking back a stance: the history records the shift, not a new stance
            if (lemma in SPEECH or lemma == "accord") and below is not None and \
                    below.dep_ in ("ccomp", "xcomp", "pobj", "prep", "advcl", "parataxis"):
                subj = _subject(token)
                if subj is not None and walker.side_of_token(subj)[0] != holder[0]:
                    own = False
            continue
        if i and content is None:
            content = _class_sign([token, *[c for c in token.children if c.dep_ == "dobj"]], classes)
        if below is not None and _timed(below):
            timed = True
        if below is not None and not in_condition and _in_condition(below):
            in_condition = True  # an issue inside a condition the holder sets: the holder asks for it
            attitude = 1
        elif not in_condition:
            lemma = token.lemma_.lower()
            if i and (lemma in NEGATIVE_ATTITUDE or (token.pos_ == "NOUN" and ATTITUDE_NOUNS.get(lemma) == -1)):
                attitude *= -1
            if token.lower_ == "without" or (i and _is_reverser(token)):
                attitude *= -1
            if _negated(token):
                attitude *= -1
            if lemma == "back" and any(c.lower_ in ("away", "down", "off") for c in token.children):
                return None  # walking back a stance: the history records the shift, not a new stance
        found = _holder_at(walker, token, path[:i])
        if found is not None:
            holder, anchor = found, token
        elif _unresolved_holder(walker, token):
            return None  # someone the profile cannot place holds this view
    if holder is None:
        quote = walker.quote_at(hit_root.idx)
        if quote is None or not (_stance_like(path) or in_condition):
            return None  # a quote that describes rather than demands
        holder = (quote.speaker.side, quote.speaker.name or quote.speaker.descriptor)
    scope = list((anchor or sent.root).subtree)
    if anchor is not None and anchor.i > hit_root.i and scope[0].i > hit_root.i:
        scope = list(sent)
    scope_text = doc_text(walker.doc)[scope[0].idx: scope[-1].idx + len(scope[-1])]
    content = 1 if content is None else content
    if in_condition:
        stance = "support" if content > 0 else "oppose"
    else:
        value = attitude * content
        stance = "support" if value > 0 else "oppose"
        if value > 0 and total and _PARTIAL.search(scope_text):
            stance = "oppose"  # "released in stages" against "all freed at once"
        elif value > 0 and (timed or _QUALIFIED.search(scope_text) or _INTRODUCER.search(scope_text)):
            stance = "conditional"
        elif value > 0 and _UNTIL.search(scope_text) and any(t.lemma_.lower() in _DELAY for t in path[:8]):
            stance = "conditional"  # "returns must wait until ..."
        elif content < 0 and attitude > 0 and _UNTIL.search(scope_text):
            stance = "conditional"  # wanting the contrary only until something happens
    return _Found(side=holder[0], stance=stance, holder=holder[1], own=own, shift=_shift(sent, holder[0], walker),
                  anchor=anchor)


def _class_sign(tokens: list[Token], classes: dict[str, int]) -> int | None:
    sign, found = _content_sign(tokens, classes)
    return sign if found else None


def _introduced_condition(sent: Span, hit_root: Token) -> bool:
    """Whether the mention sits in a phrase a condition word opens ("only after ...", "in step with ...")."""
    text = span_text(sent)
    offset = hit_root.idx - sent.start_char
    for match in _INTRODUCER.finditer(text):
        if match.end() <= offset and not re.search(r"[,;:]", text[match.end():offset]):
            return True
    return False


def _no_x_no_deal(sent: Span, hit_root: Token) -> bool:
    """"No <issue>, no deal": the issue is the speaker's precondition."""
    if not any(c.dep_ == "det" and c.lower_ == "no" for c in hit_root.children):
        return False
    return bool(_NO_DEAL.search(span_text(sent)[hit_root.idx + len(hit_root.text) - sent.start_char:]))


def _unresolved_holder(walker: _Walker, token: Token) -> bool:
    """An attitude predicate whose named subject is no single side ("both sides agreed")."""
    lemma = token.lemma_.lower()
    if token.pos_ not in ("VERB", "AUX") or not (lemma in POSITIVE_ATTITUDE or lemma in NEGATIVE_ATTITUDE):
        return False
    subj = _subject(token)
    if subj is None or subj.lower_ in _PRONOUNS or subj.lower_ in ("who", "that", "which"):
        return False
    # A plural or coordinated subject the profile cannot place ("both sides", "the mediators") holds it;
    # a singular one ("the government") may be the reporting speaker's own side, so the walk goes on.
    return subj.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subj.children)


def _stance_like(path: list[Token]) -> bool:
    """Reported content that states a stance, not a fact: a modal, an attitude word or a negation."""
    for token in path:
        if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in token.children) or token.lower_ in _MODALS:
            return True
        lemma = token.lemma_.lower()
        if lemma in POSITIVE_ATTITUDE or lemma in NEGATIVE_ATTITUDE or lemma in ATTITUDE_NOUNS or _negated(token):
            return True
    return False


def _holder_at(walker: _Walker, token: Token, below: list[Token] | None = None) -> tuple[str, str] | None:
    lemma = token.lemma_.lower()
    attitude = lemma in POSITIVE_ATTITUDE or lemma in NEGATIVE_ATTITUDE
    if token.dep_ == "xcomp" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children):
        return None  # "refused to allow": the head verb holds the attitude, and its sign counts
    if token.pos_ in ("VERB", "AUX", "ADJ") and (attitude or (lemma in SPEECH and _reports_stance(below))):
        subj = _subject(token)
        if subj is not None:
            side, text = walker.side_of_token(subj)
            if side:
                return side, text
    if token.pos_ in ("NOUN", "PROPN") and lemma in ATTITUDE_NOUNS:
        for child in token.children:
            if child.dep_ in ("poss", "compound", "amod") and child.lemma_.lower() not in ATTITUDE_NOUNS:
                side, text = walker.side_of_token(child)
                if side:
                    return side, text
            if child.dep_ == "prep" and child.lower_ == "for":  # "a non-starter for X"
                for pobj in child.children:
                    side, text = walker.side_of_token(pobj)
                    if side:
                        return side, text
    side, text = walker.proposal_author(token)
    if side:
        return side, text
    return None


def _reports_stance(below: list[Token] | None) -> bool:
    """The path below a speech verb is reported content that states a stance (read only for speech verbs)."""
    return bool(below) and below[-1].dep_ in ("ccomp", "xcomp", "parataxis", "dobj") and _stance_like(below)


def _noun_before(walker: _Walker, hit_root: Token, sent_start: int) -> tuple[str, str, Token] | None:
    """"<side>'s demand to <issue>" read left to right, for parses that attach the clause elsewhere."""
    for i in range(hit_root.i - 1, max(sent_start, hit_root.i - 3) - 1, -1):
        token = hit_root.doc[i]
        if token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in ATTITUDE_NOUNS:
            found = _holder_at(walker, token)
            return (*found, token) if found else None
        if token.pos_ in ("VERB", "NOUN", "PROPN"):
            return None
    return None


def _shift(sent: Span, side: str, walker: _Walker) -> str | None:
    """A shift word in the sentence whose subject is the same side ("X toughened its stance")."""
    for token in sent:
        lemma = token.lemma_.lower()
        if lemma not in SHIFT_WORDS:
            continue
        if lemma == "back" and not any(c.lower_ in ("away", "down", "off") for c in token.children):
            continue
        if lemma == "drop" and not any("demand" in c.lower_ or "condition" in c.lower_ for c in token.subtree):
            continue
        subj = _subject(token)
        subj_side = walker.side_of_token(subj)[0] if subj is not None else None
        if subj_side in (None, side):
            return SHIFT_WORDS[lemma]
    return None


def _date_of(sent: Span, timexes: list[Timex], report: Report, events: list[Event] = ()) -> str | None:
    """A dated timex in the sentence, else the date the events layer gave an event in it (it carries
    dates across sentences of one story), else the report's publication date."""
    for timex in timexes:
        if sent.start_char <= timex.start < sent.end_char and timex.value and re.match(r"\d{4}-\d{2}(-\d{2})?", timex.value):
            match = re.match(r"\d{4}-\d{2}-\d{2}|\d{4}-\d{2}", timex.value)
            return match.group(0) if match else None
    for event in events:
        if sent.start_char <= event.start < sent.end_char and event.date and re.match(r"\d{4}-\d{2}", event.date):
            return event.date[:10]
    return report.published


def _linked(a: Token, b: Token) -> bool:
    """One token lies in the other's phrase."""
    return a.i == b.i or a.is_ancestor(b) or b.is_ancestor(a)


def _weak(keyword: str) -> bool:
    """A one-word keyword that is a generic action word: too common to name an issue alone."""
    word = fold(keyword)
    return " " not in word and any(form in ACTION_CLASSES for form in (word, word.rstrip("s"), word[:-2], word[:-3]))


@functools.lru_cache(maxsize=256)
def _total(proposition: str) -> bool:
    """Whether a proposition asks for all of something at once ("all hostages", "complete withdrawal")."""
    return bool(_TOTAL.search(proposition))


def _hit_root(doc: Doc, hit: IssueHit) -> Token | None:
    span = doc.char_span(hit.start, hit.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return span.root


def positions_of(doc: Doc, report: Report, profile: Profile, actors: list[Actor], quotes: list[Quote],
                 timexes: list[Timex], matcher: IssueMatcher | None = None,
                 events: list[Event] = ()) -> list[Position]:
    """Every position one report states or reports."""
    if not profile.issues or not profile.sides:
        return []
    matcher = matcher or IssueMatcher(profile.issues)
    classes = {issue.id: _proposition_classes(issue.proposition) for issue in profile.issues}
    totals = {issue.id: _total(issue.proposition) for issue in profile.issues}
    walker = _Walker(doc, _Sides(doc, profile, actors), quotes)
    sents = list(doc.sents)
    positions: list[Position] = []
    seen: set[tuple] = set()
    for sent, hits in zip(sents, matcher.find_sentences([(span_text(s), s.start_char) for s in sents])):
        roots = [_hit_root(doc, hit) if hit.keyword != "~similar" else sent.root for hit in hits]
        strong = [(hit.issue, root) for hit, root in zip(hits, roots)
                  if root is not None and not (root.pos_ == "VERB" and _weak(hit.keyword))]
        findings: list[tuple[IssueHit, _Found]] = []
        for hit, root in zip(hits, roots):
            if root is None:
                continue
            if root.pos_ == "VERB" and _weak(hit.keyword) and not any(issue == hit.issue and _linked(root, other) for issue, other in strong):
                continue  # a bare action verb ("release") names the issue only next to its theme
            found = _evaluate(walker, root, classes.get(hit.issue, {}), totals.get(hit.issue, False))
            if found is not None:
                found.root = root
            if found is not None and profile.side(found.side) is not None:
                findings.append((hit, found))
        for hit, found in findings:
            if any(other.issue == hit.issue and o.anchor is not None and found.anchor is not None
                   and o.anchor != found.anchor and found.anchor.is_ancestor(o.anchor) and found.root is not None
                   and (o.anchor.is_ancestor(found.root) or found.root.i > o.anchor.i) for other, o in findings):
                continue  # a nested holder of the same issue speaks more closely to it
            key = (found.side, hit.issue, found.stance, sent.start_char)
            if key in seen:
                continue
            seen.add(key)
            raw_start, raw_end = report.raw_span(sent.start_char, sent.end_char)
            positions.append(Position(
                id=record_id(report.id, found.side, hit.issue, found.stance, sent.start_char),
                side=profile.side(found.side).name, issue=hit.issue, stance=found.stance, report=report.id,
                file=report.file, sentence=span_text(sent), start=sent.start_char, end=sent.end_char, raw_start=raw_start,
                raw_end=raw_end, date=_date_of(sent, timexes, report, events), own=found.own, holder=found.holder,
                shift=found.shift))
    return positions


@extractor("positions", requires=("actors", "quotes", "events", "timexes"), assigns=("positions",))
def find_positions(ctx: Context) -> None:
    """Positions per side × issue in one report (quotes, actors and timexes used when present)."""
    matcher = IssueMatcher(ctx.profile.issues, embeddings=ctx.settings.embeddings)
    ctx.found.positions = positions_of(ctx.doc, ctx.report, ctx.profile, ctx.found.actors or [],
                                       ctx.found.quotes or [], ctx.found.timexes or [], matcher,
                                       ctx.found.events or [])
