"""Proposals: the offers on the table in one report, who made them, their terms and who answered how.

A mention is a noun phrase headed by a proposal word ("the new <side> proposal", "bridging
proposal", "counterproposal", "three-stage framework", "revisions", "the <Name> Framework").
Its author is, in order: a side named in the phrase ("<side>'s", "<demonym>", "<side>-led"), the
subject of an authoring verb it is the object of ("X presented a counterproposal", "X and Y drafted
revisions"), or the agent of such a verb ("a framework drawn up by X and Y"). Mentions of one
report that are the same proposal (same author and head, a definite "the plan"/"the document",
or an anaphor such as "that demand" after a proposal) become one Proposal; `analyze.proposals`
resolves them across reports. Responses are the side-held verbs that take a proposal as their
object: accept / assent / reject / dismiss / counter, with dates.
"""

from __future__ import annotations

import logging
import re

from spacy.tokens import Doc, Span, Token

from ..model import Actor, Mention, Position, Profile, Proposal, Report, Response, Timex, record_id
from . import Context, extractor
from .common import doc_text, fold, lookup_side, span_text

__all__ = ["find_proposals", "proposals_of", "PROPOSAL_HEADS", "RESPONSE_VERBS"]

log = logging.getLogger(__name__)

PROPOSAL_HEADS = frozenset("proposal counterproposal counteroffer framework plan offer draft revision initiative "
                           "roadmap blueprint accord".split())
# Definite references back to the last proposal: "the document", "that demand".
ANAPHORS = frozenset("document text demand demands terms idea deal".split()) | PROPOSAL_HEADS
AUTHORING = frozenset("present submit draft propose table offer unveil publicize publicise float hand deliver send "
                      "circulate broker craft write prepare put introduce issue finalize finalise complete "
                      "announce lay outline".split())
RESPONSE_VERBS = {
    "accept": "accept", "endorse": "accept", "welcome": "accept", "approve": "accept", "back": "accept",
    "embrace": "accept", "sign": "accept", "agree": "assent", "assent": "assent", "reject": "reject",
    "rebuff": "reject", "spurn": "reject", "refuse": "reject", "oppose": "reject", "dismiss": "dismiss",
    "criticize": "dismiss", "criticise": "dismiss", "denounce": "dismiss", "condemn": "dismiss", "counter": "counter",
}
# Words of a mention that make its name (descriptors), as opposed to articles and side names.
_DESCRIPTORS = frozenset("new latest final revised bridging interim updated three-stage two-phase three-phase "
                         "previous original draft written cease-fire ceasefire peace truce hostage".split())
_DEFINITE = ("the", "that", "this", "these", "those")
_PRONOUNS = {"he", "she", "it", "they", "its", "their", "his", "her", "we", "i"}
_AUTHOR_SUFFIX = re.compile(r"[-‐](led|drafted|brokered|authored|proposed|sponsored)$", re.I)


def _side_of_text(profile: Profile, actors_at, start: int, end: int, text: str) -> str | None:
    found = actors_at(start, end)
    if len(found) == 1:
        return next(iter(found))
    side = lookup_side(profile, text)
    return side.name if side else None


class _Reader:
    def __init__(self, doc: Doc, report: Report, profile: Profile, actors: list[Actor], timexes: list[Timex]):
        self.doc = doc
        self.report = report
        self.profile = profile
        self.timexes = timexes
        self.spans = [(m.start, m.end, a.side) for a in actors if a.side for m in a.mentions]

    def sides_at(self, start: int, end: int) -> set[str]:
        return {side for s, e, side in self.spans if s < end and e > start}

    def side(self, token: Token) -> str | None:
        """Side of a noun phrase headed by `token` (a pronoun climbs to the reporting verb's subject)."""
        if token.lower_ in _PRONOUNS:
            return self._pronoun(token)
        left = token.left_edge.idx
        right = token.idx + len(token.text)
        text = doc_text(self.doc)[left:right]
        return _side_of_text(self.profile, self.sides_at, left, right, text)

    def _pronoun(self, token: Token) -> str | None:
        head = token.head
        while head.head.i != head.i:
            head = head.head
            subj = _subject(head)
            if subj is not None and subj.lower_ not in _PRONOUNS:
                return self.side(subj)
        sent = token.sent
        if sent.start > 0:
            previous = self.doc[sent.start - 1].sent
            subj = _subject(previous.root)
            if subj is not None and subj.lower_ not in _PRONOUNS:
                return self.side(subj)
        return None

    def sides(self, token: Token) -> list[str]:
        """The sides of a (possibly coordinated) noun phrase: "X and Y"."""
        out = []
        for item in [token, *token.conjuncts]:
            side = self.side(item)
            if side and side not in out:
                out.append(side)
        return out

    def date(self, sent: Span) -> str | None:
        for timex in self.timexes:
            if sent.start_char <= timex.start < sent.end_char and timex.value:
                match = re.match(r"\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|\d{4}-W\d{2}", timex.value)
                if match:
                    return match.group(0)
        return self.report.published


def _subject(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    if token.dep_ in ("xcomp", "conj") and token.head.i != token.i:
        return _subject(token.head)
    return None


def _mention_span(token: Token) -> tuple[int, int]:
    left = min([token.i, *[c.left_edge.i for c in token.lefts]])
    return token.doc[left].idx, token.idx + len(token.text)


def _author_in_phrase(reader: _Reader, token: Token) -> tuple[str | None, bool]:
    """(author, named-as-supporter) from the words before the head: "<side>'s", "<demonym>", "<side>-led"."""
    for child in token.lefts:
        if child.dep_ in ("poss", "compound", "amod", "nmod", "npadvmod"):
            text = child.text
            words = [t for t in child.subtree]
            phrase = doc_text(reader.doc)[words[0].idx: words[-1].idx + len(words[-1])]
            if re.search(r"-backed$|-endorsed$|-supported$", phrase, re.I):
                continue
            side = reader.side(child) if text.lower() not in _PRONOUNS or child.dep_ == "poss" else None
            if side is None and _AUTHOR_SUFFIX.search(phrase):
                found = lookup_side(reader.profile, _AUTHOR_SUFFIX.sub("", phrase))
                side = found.name if found else None
            if side:
                return side, False
    return None, False


def _authors_by_verb(reader: _Reader, token: Token) -> list[str]:
    """Subject of an authoring verb the mention is the object of, or the agent of "drawn up by"."""
    if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.pos_ == "NOUN":
        token = token.head.head  # "a series of revisions", "a set of proposals"
    head = token.head
    if token.dep_ in ("dobj", "nsubjpass", "attr") and head.lemma_.lower() in AUTHORING:
        subj = _subject(head)
        if subj is not None and token.dep_ == "dobj":
            return reader.sides(subj)
        for child in head.children:
            if child.dep_ == "agent":
                for pobj in child.children:
                    return reader.sides(pobj)
    for child in token.children:
        if child.dep_ == "acl" and child.lemma_.lower() in AUTHORING | {"draw", "publicize", "put"}:
            for grand in child.children:
                if grand.dep_ == "agent":
                    for pobj in grand.children:
                        return reader.sides(pobj)
    return []


def _name(doc: Doc, token: Token) -> str:
    """A proposal's name: a capitalised name ("Kestrel Framework") or its descriptors and head."""
    left = [t for t in token.lefts if t.dep_ in ("compound", "amod", "nummod", "nmod")]
    proper = [t for t in left if t.pos_ == "PROPN" and t.text[:1].isupper()]
    if proper and token.text[:1].isupper():
        return " ".join([*[t.text for t in proper], token.text])
    words = [t.text.lower() for t in left if t.text.lower() in _DESCRIPTORS or "-" in t.text and
             not _AUTHOR_SUFFIX.search(t.text)]
    return " ".join([*words, token.lemma_.lower()])


def _response_of(reader: _Reader, token: Token) -> tuple[str, list[str], Token] | None:
    """A response verb taking the mention as its object, and the sides that gave it."""
    node = token
    for _ in range(3):
        head = node.head
        if head.i == node.i:
            return None
        lemma = head.lemma_.lower()
        if lemma in RESPONSE_VERBS and node.dep_ in ("dobj", "pobj", "prep", "nsubjpass"):
            if lemma == "back" and any(c.lower_ in ("away", "down") for c in head.children):
                return "reject", reader.sides(_subject(head)) if _subject(head) is not None else [], head
            subj = _subject(head)
            if subj is None:
                return None
            response = RESPONSE_VERBS[lemma]
            if any(c.dep_ == "neg" for c in head.children):
                response = "reject" if response in ("accept", "assent") else "accept"
            return response, reader.sides(subj), head
        if node.dep_ not in ("pobj", "prep"):
            return None
        node = head
    return None


def proposals_of(doc: Doc, report: Report, profile: Profile, actors: list[Actor], timexes: list[Timex],
                 positions: list[Position] | None = None) -> list[Proposal]:
    """Every proposal one report mentions, with authors, terms and responses."""
    reader = _Reader(doc, report, profile, actors, timexes)
    proposals: list[Proposal] = []
    last: Proposal | None = None
    last_sent = -10
    sent_no = 0
    for sent in doc.sents:
        if not any(t.is_alpha for t in sent):
            continue  # blank lines between paragraphs are no sentences to count
        sent_no += 1
        for token in sent:
            lemma = token.lemma_.lower()
            nominal = token.pos_ in ("NOUN", "PROPN") or token.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass", "attr")
            if not nominal or token.dep_ == "compound":
                continue
            is_head = lemma in PROPOSAL_HEADS or lemma.replace("-", "") in PROPOSAL_HEADS
            may_refer = lemma in ANAPHORS and last is not None and sent_no - last_sent <= 4
            if not is_head and not may_refer:
                continue  # decided before reading the children, which most words never need
            before = doc[token.i - 1] if token.i > sent.start else None
            determiner = any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in token.children) or (
                before is not None and before.lower_ in _DEFINITE)  # the parse may not attach "that demand"
            definite = determiner and not any(c.dep_ in ("poss", "amod", "compound") for c in token.children)
            anaphor = may_refer and definite
            if not is_head and not anaphor:
                continue
            if lemma in ("deal", "accord", "plan", "offer", "draft") and not anaphor and not _proposal_context(token):
                continue
            author, _ = _author_in_phrase(reader, token)
            co_authors: list[str] = []
            if author is None:
                by_verb = _authors_by_verb(reader, token)
                if by_verb:
                    author, co_authors = by_verb[0], by_verb[1:]
            start, end = _mention_span(token)
            raw_start, raw_end = report.raw_span(start, end)
            mention = Mention(report=report.id, file=report.file, text=doc_text(doc)[start:end], start=start, end=end,
                              raw_start=raw_start, raw_end=raw_end, label="PROPOSAL", sentence=span_text(sent).strip())
            name = _name(doc, token)
            target = _same_in_report(proposals, last, name, author, definite, anaphor and not is_head,
                                     sent_no - last_sent)
            if target is None:
                target = Proposal(id=record_id(report.id, name, author, start), name=name, author=author,
                                  co_authors=co_authors, date=reader.date(sent), reports=[report.id])
                proposals.append(target)
            else:
                if target.author is None and author is not None:
                    target.author, target.co_authors = author, co_authors
                if name[:1].isupper() and not target.name[:1].isupper():
                    target.name = name  # a proper name beats a description
            target.mentions.append(mention)
            answer = _response_of(reader, token)
            if answer is not None:
                response, sides, verb = answer
                for side in sides:
                    if all(r.side != side or r.response != response for r in target.responses):
                        target.responses.append(Response(side=side, response=response, report=report.id,
                                                         file=report.file, date=reader.date(sent),
                                                         sentence=span_text(sent).strip()))
            last, last_sent = target, sent_no
    for proposal in proposals:
        proposal.terms = _terms(proposal, positions or [])
    return [p for p in proposals if p.author or p.responses or _named(p)]


def _same_in_report(proposals: list[Proposal], last: Proposal | None, name: str, author: str | None,
                    definite: bool, anaphor: bool, distance: int) -> Proposal | None:
    """The proposal of this report a new mention refers to, if any."""
    head = name.split()[-1]
    if anaphor:
        return last if distance <= 4 else None
    for proposal in reversed(proposals):
        same_head = proposal.name.split()[-1] == head or (name[:1].isupper() and fold(name) == fold(proposal.name))
        if author is not None:
            if proposal.author == author and (same_head or head not in ("counterproposal", "counteroffer")
                                              and proposal.name.split()[-1] not in ("counterproposal", "counteroffer")):
                return proposal
        elif same_head and (definite or name[:1].isupper()):
            return proposal
    if author is None and definite and last is not None and distance <= 1:
        return last  # "... a framework drawn up by X, while Y rejected the plan"
    return None


def _proposal_context(token: Token) -> bool:
    """Generic heads ("plan", "deal", "accord") count when named, authored or answered."""
    if token.text[:1].isupper():
        return True
    if any(c.dep_ in ("poss", "amod", "compound") for c in token.children):
        return True
    head = token.head
    return head.lemma_.lower() in AUTHORING | set(RESPONSE_VERBS) or head.lower_ in ("under",)


def _named(proposal: Proposal) -> bool:
    return proposal.name[:1].isupper() or len(proposal.name.split()) > 1


def _terms(proposal: Proposal, positions: list[Position]) -> list[Position]:
    """Positions the proposal's author holds in sentences that name the proposal: its terms."""
    spans = [(m.start, m.end) for m in proposal.mentions]
    return [p for p in positions if p.side == proposal.author and any(p.start <= s and e <= p.end for s, e in spans)]


@extractor("proposals", requires=("actors", "events", "timexes", "positions"), assigns=("proposals",))
def find_proposals(ctx: Context) -> None:
    """Proposals of one report (actors, timexes and positions used when present)."""
    ctx.found.proposals = proposals_of(ctx.doc, ctx.report, ctx.profile, ctx.found.actors or [],
                                       ctx.found.timexes or [], ctx.found.positions or [])
