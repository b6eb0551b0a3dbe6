"""Issues: what the sides disagree about, found where a report says so.

News writes disputes in a few set ways: "a key sticking point", "the dispute over X",
"X's demand that Y", "insists on Y", "the main obstacle", "an impasse over X". Each such
sentence yields a candidate Issue (discovered=True) whose proposition is the disputed matter
and whose keywords are its content words. Candidates that a profile issue already covers are
not repeated; `analyze.bootstrap` clusters the rest across reports into proposed issues.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from ..model import Issue, Profile
from . import Context, extractor
from .sides import side_for_text
from .common import fold

__all__ = ["find_issues", "issue_candidates", "TRIGGERS"]

# Lemmas (or two-word phrases) that mark a disputed matter.
TRIGGERS = {"demand", "insist", "insistence", "dispute", "obstacle", "impasse", "hurdle", "sticking point",
            "stumbling block", "stumbling point", "point of contention", "points of contention", "red line",
            "non-starter", "disagreement", "objection", "precondition"}
_GENERIC = {"deal", "agreement", "talk", "talks", "negotiation", "negotiations", "side", "sides", "official",
            "officials", "proposal", "point", "points", "issue", "question", "demand", "demands", "way", "time",
            "week", "month", "day", "year", "part", "thing", "lot", "one", "other", "matter", "key", "main",
            "major", "block", "obstacle", "hurdle", "dispute", "impasse", "contention", "insistence", "people",
            "country", "countries", "effort", "efforts", "plan", "term", "terms", "round", "government", "prospect",
            "position", "stance", "heart", "future", "attempt", "idea", "sticking", "stumbling", "deadlock",
            "condition", "conditions", "pressure", "progress", "say", "make", "take", "get", "be", "have", "do",
            "want", "need", "remain", "come", "give", "allow", "continue", "keep", "go", "ensure", "see", "accept",
            "reach", "include", "call", "seek", "insist", "demand", "object", "reject", "agree", "use", "stumble",
            "stumbling point", "sticking point", "stumbling block", "add", "know", "accord", "speak", "hinge"}
_LEADING = re.compile(r"^(?:that|to|on|over|about|for|whether|how|and|but|the|a|an|its|their|his|her|is|was)\s+",
                      re.I)


@extractor("issues", requires=("actors",), assigns=("issues",))
def find_issues(ctx: Context) -> None:
    """Candidate issues of one report, minus those the profile already names."""
    known = [{fold(k) for k in issue.keywords} | {fold(issue.id)} for issue in ctx.profile.issues]
    names = {fold(a.name) for a in ctx.found.actors} | {fold(x) for a in ctx.found.actors for x in a.aliases}
    found = []
    for issue in issue_candidates(ctx.doc, ctx.profile, names):
        words = {fold(k) for k in issue.keywords}
        if any(words & keys for keys in known):
            continue
        found.append(issue)
    ctx.found.issues = found


_PLURAL_END = re.compile(r"s$")
_PHRASE_STARTS = frozenset(phrase.split(" ")[0] for phrase in TRIGGERS if " " in phrase)


def _trigger_at(sent: Span) -> list[tuple[Token, str]]:
    out = []
    tokens = list(sent)
    lowers = [token.lower_ for token in tokens]  # read once: each word is part of three phrases
    for k, token in enumerate(tokens):
        if lowers[k] not in _PHRASE_STARTS and " " not in lowers[k]:  # no trigger phrase starts here
            if token.lemma_.lower() in TRIGGERS and token.pos_ in ("NOUN", "VERB"):
                out.append((token, token.lemma_.lower()))
            continue
        two = f"{lowers[k]} {lowers[k + 1]}" if k + 1 < len(tokens) else ""
        three = f"{two} {lowers[k + 2]}" if k + 2 < len(tokens) else ""
        if three in TRIGGERS:
            out.append((tokens[k + 2], three))
        elif two in TRIGGERS or _PLURAL_END.sub("", two) in TRIGGERS:
            out.append((tokens[k + 1], two))
        elif token.lemma_.lower() in TRIGGERS and token.pos_ in ("NOUN", "VERB"):
            out.append((token, token.lemma_.lower()))
    return out


def _content(trigger: Token, sent: Span) -> Span | None:
    """The disputed matter a trigger word introduces."""
    doc = trigger.doc
    # "demand that X", "insist on X", "dispute over X", "demand to screen X", "insisted X"
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ in ("on", "over", "about", "to", "for", "of") and \
                child.lower_ != "to" or (child.dep_ == "prep" and child.lower_ == "to" and trigger.pos_ == "VERB"):
            objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objs:
                return doc[objs[0].left_edge.i:objs[0].right_edge.i + 1]
        if child.dep_ in ("ccomp", "xcomp", "acl", "dobj") and child.i > trigger.i and child.tag_ != "VBN":
            return doc[child.left_edge.i:child.right_edge.i + 1]
    # "X, another key stumbling block" / "X – a key stumbling point for a deal"
    if trigger.dep_ in ("appos", "npadvmod", "attr", "conj") and trigger.head.i < trigger.i:
        head = trigger.head
        left = [t for t in head.subtree if t.i < trigger.left_edge.i and t.text not in (",", "–", "—", "-")]
        if left:
            return doc[left[0].i:left[-1].i + 1]
    # "Sequencing and monitors emerge as main hurdles", "X is the main obstacle": the subject is the matter
    verb = trigger.head.head if trigger.dep_ == "pobj" and trigger.head.lower_ == "as" else (
        trigger.head if trigger.dep_ == "attr" else None)
    if verb is not None:
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < trigger.i]
        if subjects:
            return doc[subjects[0].left_edge.i:subjects[0].right_edge.i + 1]
    # "One remaining stumbling block is how many ...", "The dispute hinges on whether ..."
    if trigger.dep_ in ("nsubj", "nsubjpass"):
        verb = trigger.head
        if verb.pos_ == "VERB" and verb.i > trigger.i and any(
                c.dep_ == "aux" and c.lemma_ == "be" for c in verb.children) and not any(
                c.dep_ in ("dobj", "prep") for c in verb.children):
            return doc[verb.i:verb.right_edge.i + 1]  # "The second sticking point is monitoring" (misparsed)
        for child in verb.children:
            if child.dep_ in ("attr", "ccomp", "acomp", "xcomp") and child.i > verb.i:
                return doc[child.left_edge.i:child.right_edge.i + 1]
            if child.dep_ == "prep" and child.i > verb.i:
                objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
                if objs:
                    return doc[objs[0].left_edge.i:objs[0].right_edge.i + 1]
    return _after_surface(trigger, sent)


def _after_surface(trigger: Token, sent: Span) -> Span | None:
    """When the parse attaches things elsewhere: "demand to screen X", "dispute hinges on whether X"."""
    doc = trigger.doc
    i = trigger.i + 1
    if i < sent.end and doc[i].pos_ in ("VERB", "NOUN") and i + 1 < sent.end and \
            doc[i + 1].lower_ in ("on", "over", "about"):
        i += 1  # "the dispute hinges on", "the impasse centres on"
    if i >= sent.end or doc[i].lower_ not in ("to", "that", "on", "over", "about", "for"):
        return None
    if doc[i].lower_ == "that" and i + 1 < sent.end and doc[i + 1].pos_ not in ("NOUN", "PROPN", "PRON", "DET"):
        return None  # "sticking points that have delayed a deal": a relative clause, not the matter
    end = i + 1
    while end < sent.end and end - i < 26 and doc[end].text not in (";", ":", ".", "—", "–"):
        end += 1
    return doc[i + 1:end] if end > i + 1 else None


def _cut(content: Span) -> Span:
    """The matter alone: stop before "according to ..." and before a trailing ", a key obstacle"."""
    doc = content.doc
    end = content.end
    for token in content:
        if token.lower_ == "according" or (token.text == "," and token.i + 1 < content.end and any(
                t.lemma_.lower() in TRIGGERS or t.lower_ in ("stumbling", "sticking")
                for t in doc[token.i + 1:min(content.end, token.i + 5)])):
            end = token.i
            break
    return doc[content.start:end]


def _keywords(content: Span, profile: Profile, names: set[str]) -> list[str]:
    """Content words of the disputed matter: noun compounds, phrasal verbs and other verbs."""
    words: list[str] = []

    def add(word: str) -> None:
        key = fold(word)
        if len(key) > 2 and key not in _GENERIC and key not in names and key not in (fold(w) for w in words) \
                and side_for_text(profile, word, whole=True) is None:
            words.append(word)

    for token in content:
        if token.pos_ in ("NOUN", "PROPN") and token.dep_ != "compound":
            parts = [t for t in token.lefts if t.dep_ == "compound" and t.i >= content.start]
            phrase = " ".join([*(t.text for t in parts), token.text])
            if token.ent_type_ in ("PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "NORP"):
                continue
            add(phrase if token.pos_ == "PROPN" or parts else token.lower_)
        elif token.pos_ == "VERB":
            prt = [t for t in token.children if t.dep_ == "prt" or t.lower_ in ("free", "up", "back", "out")]
            add(f"{token.lemma_} {prt[0].text}" if prt else token.lemma_)
    # a matter named only by places ("the future of Gaza") is not an issue
    if all(_is_place(content, w) for w in words):
        return []
    return words[:6]


def _is_place(content: Span, word: str) -> bool:
    return any(ent.label_ in ("GPE", "LOC") and fold(ent.text).endswith(fold(word)) for ent in content.ents)


def _slug(words: list[str]) -> str:
    slug = "-".join(re.sub(r"[^a-z0-9]+", "-", fold(w)).strip("-") for w in words[:2])
    return slug or "issue"


def issue_candidates(doc: Doc, profile: Profile, names: set[str] | frozenset[str] = frozenset()) -> list[Issue]:
    """Every disputed matter a report names, as discovered Issues (one per trigger, in text order)."""
    out: list[Issue] = []
    seen: set[str] = set()
    for sent in doc.sents:
        for trigger, _ in _trigger_at(sent):
            content = _content(trigger, sent)
            if content is None:
                continue
            content = _cut(content)
            if not len(content):
                continue
            keywords = _keywords(content, profile, set(names))
            if not keywords:
                continue
            text = _LEADING.sub("", content.text.strip(" ,.;:–—-\"“”")).strip()
            for _ in range(3):
                text = _LEADING.sub("", text)
            words = text.split()
            proposition = " ".join(words[:24]) + (" …" if len(words) > 24 else "")
            issue_id = _slug(keywords)
            key = fold(proposition)
            if key in seen:
                continue
            seen.add(key)
            out.append(Issue(id=issue_id, proposition=proposition[:1].upper() + proposition[1:],
                             keywords=keywords, discovered=True))
    return out
