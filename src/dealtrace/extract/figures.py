"""Figures: the numbers a report gives as facts: how many, of what, by whose count, as of when.

A figure is a quantity (digits, number words, ranges, fractions, vague plurals such as "hundreds
of") with its bound ("about", "more than" ...), its unit (people, a currency, percent, a duration)
and what it counts: the head noun with the states that make it one quantity and not another
(hostages *held*, *freed*, *alive*; people *killed*). Numbers that only name or order things
(years, dates, ages, times of day, ordinals, section and phase numbers) are not figures.

Everything is read from the report's one parse: `quantities` reads the numbers, this module what
they count. The date comes from a timex of the same sentence (the timex extractor's records) or
else from the publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..model import Figure, Profile, Report, Timex, record_id
from . import Context, extractor
from .common import lookup_side, raw_span, span_text
from .quantities import (CARDINALS, TIME_UNITS, Quantity, is_not_a_figure, may_start_quantity, number_at,
                         read_quantity)

__all__ = ["find_figures", "figures_in_doc", "STATES"]

_STRUCTURAL = {"phase", "stage", "part", "side", "step", "point", "way", "option", "word", "reason", "thing",
               "time", "occasion", "question", "tier", "track", "pillar", "term", "element", "aspect", "sense",
               "one", "other", "kind", "type", "sort", "percent"}
_PEOPLE = {
    "people", "person", "persons", "hostage", "captive", "prisoner", "detainee", "civilian", "soldier",
    "troop", "fighter", "militant", "combatant", "worker", "employee", "member", "child", "kid", "woman",
    "man", "men", "resident", "refugee", "migrant", "patient", "casualty", "fatality", "victim",
    "protester", "protestor", "demonstrator", "voter", "student", "journalist", "reporter", "official",
    "delegate", "negotiator", "observer", "monitor", "returnee", "inhabitant", "citizen", "national",
    "settler", "farmer", "passenger", "officer", "police", "policeman", "staff", "personnel", "hostages",
    "captives", "adult", "teenager", "infant", "baby", "elder", "survivor", "evacuee", "peacekeeper",
    "diplomat", "minister", "lawmaker", "legislator", "senator", "striker", "teacher", "nurse", "doctor",
    "medic", "volunteer", "recruit", "conscript", "reservist", "guard", "inmate", "convict", "individual",
    "pilgrim", "tourist", "visitor", "miner", "driver", "employee", "laborer", "labourer", "sailor", "Israeli", "Palestinian", "dead", "wounded", "injured", "missing",
}
# Nouns that stand for an earlier counted noun: "the bodies of roughly 35 others".
_ANAPHORS = {"other", "others", "them", "they", "those", "these", "ones", "one", "it"}
# Attribution: a count of the people who speak is not a figure ("two officials said").
_SAY_VERBS = {"say", "tell", "report", "announce", "state", "estimate", "claim", "confirm", "add", "note",
              "acknowledge", "count", "tally", "record", "document", "reveal", "warn", "insist",
              "believe", "presume", "assess", "calculate", "indicate", "show", "suggest", "write", "declare"}
_SOURCE_NOUNS = {"official", "source", "diplomat", "person", "people", "aide", "analyst", "expert", "witness",
                 "officer", "member", "negotiator", "mediator", "minister", "spokesman", "spokeswoman",
                 "spokesperson", "representative", "resident", "leader", "delegate", "adviser", "advisor"}
_DATA_NOUNS = {"figure", "figures", "data", "estimate", "estimates", "count", "tally", "statistic",
               "statistics", "number", "numbers", "report", "records", "record", "toll"}

# The states that make a count one measure and not another, from the words that express them.
STATES = {
    "held": {"remaining", "hold", "held", "captive", "captivity", "still"},
    "alive": {"alive", "living", "live", "survive", "surviving"},
    "dead": {"dead", "body", "bodies", "remains", "deceased", "corpse", "corpses"},
    "killed": {"kill", "die", "slay", "murder", "execute"},
    "wounded": {"wound", "wounded", "injure", "injured", "hurt"},
    "released": {"free", "freed", "release", "released", "exchange", "swap", "repatriate"},
    "returned": {"return", "returned", "back", "returning"},
    "abducted": {"abduct", "abducted", "kidnap", "kidnapped", "seize", "capture", "captured"},
    "detained": {"detain", "detained", "arrest", "jail", "imprison", "imprisoned", "intern"},
    "displaced": {"displace", "displaced", "flee", "uproot", "evacuate", "evacuated"},
    "missing": {"missing", "disappear", "disappeared", "unaccounted"},
    "found": {"find", "recover", "retrieve"},
}
_STATE_OF = {word: state for state, words in STATES.items() for word in words}
# Captives that "remain" are still held; observers or families that remain are simply there.
_CAPTIVES = {"hostage", "captive", "prisoner", "detainee", "abductee", "hostages", "captives", "prisoners",
             "detainees"}
_ADJECTIVE_STATES = ("alive", "dead", "wounded", "missing", "displaced")  # read before the noun
_VERBS_WITHOUT_STATE = {"be", "have", "do", "say", "include", "make", "get", "bring", "become", "see", "need",
                        "want", "involve", "cover", "reach", "comprise", "number", "total", "seem", "appear",
                        "take", "go", "come", "put"}
_IRREGULAR = {"hold": "held", "find": "found", "take": "taken", "give": "given", "lose": "lost",
              "spend": "spent", "pay": "paid", "send": "sent", "keep": "kept",
              "leave": "left", "win": "won", "seek": "sought", "buy": "bought", "sell": "sold",
              "raise": "raised", "cut": "cut", "set": "set", "put": "put", "build": "built", "owe": "owed",
              "fall": "fallen", "rise": "risen", "grow": "grown", "drop": "dropped", "slay": "slain",
              "control": "controlled", "plan": "planned", "stop": "stopped", "ban": "banned", "ship": "shipped",
              "commit": "committed", "admit": "admitted", "transfer": "transferred", "swap": "swapped",
              "bring": "brought", "write": "written", "drive": "driven", "begin": "begun", "shut": "shut"}


@dataclass
class _Reading:
    """What a quantity counts, worked out from the parse."""

    counted: str | None = None
    counted_token: int | None = None
    states: list[str] = field(default_factory=list)  # the states that define the measure
    qualifiers: list[str] = field(default_factory=list)  # every qualifier word, states included
    descriptors: list[str] = field(default_factory=list)  # "Palestinian", "civilian"
    agent: str | None = None
    location: str | None = None
    predicate: int | None = None


@extractor("figures", requires=("timexes",), assigns=("figures",))
def find_figures(ctx: Context) -> None:
    """Every reported figure in one report, dated by its sentence's timex or the publication date."""
    ctx.found.figures = figures_in_doc(ctx.doc, ctx.report, ctx.found.timexes or [], ctx.profile, ctx.sents)


def figures_in_doc(doc: Doc, report: Report, timexes: list[Timex] | None = None, profile: Profile | None = None,
                   sents: list[Span] | None = None) -> list[Figure]:
    """The figures of one parsed report body, in text order; holders named as the profile's sides."""
    figures: list[Figure] = []
    readings: list[tuple[Figure, _Reading, Span]] = []
    lowers = [token.lower_ for token in doc]
    for sent in sents if sents is not None else doc.sents:
        i = sent.start
        while i < sent.end:
            quantity = read_quantity(doc, i, sent.end) if may_start_quantity(lowers[i]) else None
            if quantity is None:
                i += 1
                continue
            i = max(quantity.end, i + 1)
            if is_not_a_figure(doc, quantity):
                continue
            reading = _read_counted(doc, quantity, readings, sent)
            i = max(quantity.end, i)  # reading may widen it: "one-third of the 120 hostages"
            if reading is None:
                continue
            if reading.agent and profile is not None and (side := lookup_side(profile, reading.agent)):
                reading.agent = side.name
            figure = _make_figure(doc, report, sent, quantity, reading, timexes or [])
            figures.append(figure)
            readings.append((figure, reading, sent))
    return figures


# --- what a number counts ------------------------------------------------------------------------

def _read_counted(doc: Doc, quantity: Quantity, earlier: list[tuple[Figure, _Reading, Span]],
                  sent: Span) -> _Reading | None:
    """What the quantity counts, its states, descriptors, agent and place; None to drop it."""
    reading = _Reading()
    anchor = _quantity_head(doc, quantity)
    if quantity.unit in TIME_UNITS.values():
        return _read_duration(doc, quantity, reading)
    noun = _counted_noun(doc, quantity)
    if quantity.unit is not None and quantity.unit != "fraction" and noun is None:
        _read_measured(doc, quantity, anchor, reading)
        return reading
    if noun is not None and noun.lower_ in _ANAPHORS or noun is None:
        antecedent = _antecedent(doc, quantity, earlier, sent)
        if noun is None and (antecedent is None and anchor.dep_ not in ("nsubj", "nsubjpass", "dobj", "appos")
                             or anchor.dep_ not in ("nsubj", "nsubjpass", "dobj", "appos", "attr", "nummod",
                                                    "conj", "pobj", "npadvmod")):
            return None
        if antecedent is not None:
            reading.counted = antecedent.counted
            reading.descriptors = list(antecedent.descriptors)
    if noun is not None and quantity.kind == "fraction":
        _resolve_fraction(doc, quantity, noun)
    if noun is not None and noun.lower_ not in _ANAPHORS:
        reading.counted = _compound_text(noun) if quantity.kind == "fraction" else _plural(noun)
        reading.counted_token = noun.i
        if noun.lemma_.lower() in _STRUCTURAL:
            return None
    # "100 of the 300 people", "a third of them": the number, not the noun, is in the clause
    via_of = noun is not None and noun.head.lower_ == "of" and quantity.start <= noun.head.head.i < noun.head.i
    _read_states(doc, quantity, noun if noun is not None else anchor, anchor if via_of or noun is None else None,
                 reading)
    if noun is not None and noun.lower_ not in _ANAPHORS and _speaks(noun) and quantity.value <= 12:
        return None  # "two senior officials said": who speaks, not a figure
    if (quantity.bound == "exact" and quantity.value <= 12 and quantity.start > 0
            and doc[quantity.start - 1].lower_ in ("the", "these", "those", "both", "its", "their", "his", "her")
            and not reading.states):
        return None  # "the two sides": a reference back, not a count
    return reading


def _resolve_fraction(doc: Doc, quantity: Quantity, noun: Token) -> None:
    """"one-third of the 120 hostages" is about 40 hostages: a fraction of a stated count is a count."""
    for child in noun.children:
        if child.dep_ == "nummod" and child.i < noun.i:
            start = child.i
            while start > noun.sent.start and doc[start - 1].dep_ == "nummod" and doc[start - 1].head.i == noun.i:
                start -= 1
            whole = number_at(doc, start, noun.i)
            if whole is not None and whole[2] == "exact":
                quantity.value = quantity.value * whole[0]
                quantity.kind = "exact"
                quantity.end = max(quantity.end, noun.i + 1)
            return


def _quantity_head(doc: Doc, quantity: Quantity) -> Token:
    """The token of the quantity the parse hangs the rest of the sentence on ("$" in "$2.5 billion")."""
    token = doc[quantity.anchor]
    for _ in range(4):
        if quantity.start <= token.head.i < quantity.end and token.head.i != token.i:
            token = token.head
        else:
            break
    return token


def _counted_noun(doc: Doc, quantity: Quantity) -> Token | None:
    """The noun the number counts: "120 hostages", "hundreds of thousands of Israelis", "a third of them"."""
    anchor = doc[quantity.anchor]
    end = quantity.end
    if quantity.kind == "vague":
        start = end
    elif end < len(doc) and doc[end].lower_ == "of" and quantity.unit in (None, "percent"):
        start = end + 1
    elif quantity.kind == "fraction":
        return None
    else:
        start = None
    if start is not None:
        for token in doc[start:min(len(doc), start + 6)]:
            if token.pos_ in ("NOUN", "PROPN", "PRON") and token.dep_ not in ("compound", "amod", "poss"):
                return token
            if token.pos_ in ("VERB", "AUX", "ADP") and token.lower_ != "of":
                break
        return None
    if quantity.unit is not None:
        return None
    for token in (anchor, *anchor.ancestors):
        if token is not anchor and token.pos_ in ("NOUN", "PROPN") and quantity.end <= token.i <= quantity.end + 5:
            return token
        if token.dep_ not in ("nummod", "quantmod", "compound", "amod", "nmod", "advmod"):
            break
    # the parse may hang the number elsewhere: take an adjacent plural noun
    for token in doc[quantity.end:min(len(doc), quantity.end + 4)]:
        if token.tag_ in ("NNS", "NNPS") or (token.pos_ == "NOUN" and token.lower_ in _PEOPLE):
            return token
        if token.pos_ not in ("ADJ", "NOUN", "PROPN") or token.text in (",", ";", "."):
            break
    return None


def _antecedent(doc: Doc, quantity: Quantity, earlier: list[tuple[Figure, _Reading, Span]],
                sent: Span) -> _Reading | None:
    """The reading an elided or pronominal count refers back to: the nearest counted figure in this
    sentence, else the subject figure (or the first counted one) of the nearest of the two sentences
    before that has one."""
    counted = [(r, s) for f, r, s in earlier[-50:] if r.counted and f.unit not in TIME_UNITS.values()]
    same = [r for r, s in counted if s.start == sent.start]
    if same:
        return same[-1]
    before = sorted({s.start for r, s in counted if s.end <= sent.start and s.start >= _sentences_back(sent, 2)})
    previous = [r for r, s in counted if before and s.start == before[-1]]
    for reading in previous:
        if reading.counted_token is not None and doc[reading.counted_token].dep_ in ("nsubj", "nsubjpass"):
            return reading
    for reading in previous:
        if reading.counted_token is None:  # itself resolved to an antecedent and is the subject
            return reading
    return previous[0] if previous else None


def _sentences_back(sent: Span, n: int) -> int:
    """The start token of the sentence `n` before `sent` (or of the document)."""
    start = sent.start
    for _ in range(n):
        if start == 0:
            break
        start = sent.doc[start - 1].sent.start
    return start


def _plural(noun: Token) -> str:
    if noun.tag_ in ("NNS", "NNPS") or noun.lower_ in ("people", "police", "staff", "personnel"):
        return noun.text if noun.pos_ == "PROPN" or noun.ent_type_ else noun.lower_
    lemma = noun.lemma_.lower()
    return lemma if lemma.endswith("s") else lemma + "s"


def _speaks(noun: Token) -> bool:
    """Whether the noun is who speaks: subject of a saying verb or "according to" it."""
    if noun.lemma_.lower() not in _SOURCE_NOUNS and not noun.tag_.startswith("NNP"):
        return False
    node = noun
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    if node.dep_ == "nsubj" and node.head.lemma_.lower() in _SAY_VERBS:
        return True
    if node.dep_ == "pobj":
        outer = node.head
        while outer.head.i != outer.i and outer.lower_ != "according" and outer.i > node.sent.start \
                and outer.dep_ in ("prep", "pobj", "conj"):
            outer = outer.head
        if outer.lower_ == "according" or outer.head.lower_ == "according":
            return True
    return any(child.lower_ in ("familiar", "briefed") for child in noun.subtree)


def _read_duration(doc: Doc, quantity: Quantity, reading: _Reading) -> _Reading | None:
    """A length: "a six-week cease-fire", "the 10-month-long war", "10 months of war", "within 45 days"."""
    unit_token = doc[quantity.unit_token] if quantity.unit_token is not None else doc[quantity.anchor]
    end = quantity.end
    if end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ == "long":
        quantity.end = end + 2
    if quantity.bound == "more than" and doc[quantity.start].lower_ == "over":
        quantity.bound = "exact"  # "over 90 days": during, not more than
        quantity.start += 1
    noun = None
    for token in (unit_token, *unit_token.ancestors):
        if token is not unit_token and token.pos_ in ("NOUN", "PROPN") and token.i > unit_token.i:
            noun = token
            break
        if token.dep_ not in ("compound", "npadvmod", "amod", "nmod", "nummod") and token is not unit_token:
            break
    if noun is None and quantity.end < len(doc) and doc[quantity.end].lower_ == "of":
        for token in doc[quantity.end + 1:min(len(doc), quantity.end + 5)]:
            if token.pos_ in ("NOUN", "PROPN") and token.dep_ not in ("compound", "amod"):
                noun = token
                break
    if noun is not None:
        reading.counted_token = noun.i
        reading.counted = _compound_text(noun)
        return reading
    governor = unit_token.head
    if governor.pos_ == "ADP" and governor.head.i != governor.i:
        governor = governor.head
    if governor.pos_ == "NOUN" and governor.i != unit_token.i:
        reading.counted_token = governor.i
        reading.counted = _compound_text(governor)
    elif governor.pos_ in ("VERB", "AUX") and governor.i != unit_token.i:
        reading.predicate = governor.i
        lemma = governor.lemma_.lower()
        subject = next((c for c in governor.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if lemma in ("last", "run", "continue", "extend", "remain", "go") and subject is not None \
                and subject.pos_ in ("NOUN", "PROPN"):
            reading.counted_token = subject.i
            reading.counted = _compound_text(subject)
        else:
            obj = next((c for c in governor.children if c.dep_ in ("dobj", "obj")), None)
            reading.counted = f"time to {lemma}" + (f" {_compound_text(obj)}" if obj is not None
                                                    and obj.pos_ in ("NOUN", "PROPN") else "")
    return reading


def _read_measured(doc: Doc, quantity: Quantity, anchor: Token, reading: _Reading) -> None:
    """Money and percentages: what is paid, pledged, lost or risen, from the clause around them."""
    verb = next((t for t in (anchor, *anchor.ancestors) if t.pos_ in ("VERB", "AUX")), None)
    if quantity.unit in ("percent", "percentage points") and anchor.head.pos_ in ("NOUN",) \
            and anchor.head.i > anchor.i:
        reading.counted = _compound_text(anchor.head)  # "a 6 percent raise"
        reading.counted_token = anchor.head.i
    if verb is None:
        return
    reading.predicate = verb.i
    lemma = verb.lemma_.lower()
    state = _STATE_OF.get(lemma) or (_participle(lemma) if lemma not in _VERBS_WITHOUT_STATE | _SAY_VERBS else None)
    if state:
        reading.states = [state]
        reading.qualifiers = [state]
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None and subject.pos_ in ("NOUN", "PROPN"):
        if quantity.unit in ("percent", "percentage points") and reading.counted is None:
            reading.counted = _compound_text(subject)
            reading.counted_token = subject.i
        elif quantity.unit not in ("percent", "percentage points"):
            reading.agent = _clean_phrase(subject)
    if _planned(verb):
        reading.states.append("planned")
        reading.qualifiers.append("planned")


def _compound_text(noun: Token) -> str:
    """The noun with the compounds and hyphenated modifiers right before it: "cease-fire",
    "freight traffic", "cooling-off period" (but not "six-week")."""
    doc = noun.doc
    start = noun.i
    while start > 0:
        end = start - 1
        first = end
        while first > 0 and not doc[first - 1].whitespace_ and (doc[first - 1].text == "-" or doc[first].text == "-"):
            first -= 1
        group = doc[first:end + 1]
        if any(t.pos_ == "NUM" or t.lower_ in CARDINALS or t.lemma_.lower() in TIME_UNITS or t.lower_ == "long"
               for t in group):
            break
        hyphenated = any(t.text == "-" for t in group) or doc[start].text == "-"
        if hyphenated or (doc[end].dep_ == "compound" and doc[end].head.i >= start
                          and doc[end].pos_ in ("NOUN", "PROPN")):
            start = first
        else:
            break
    while start < noun.i and doc[start].text == "-":
        start += 1
    text = doc[start:noun.i + 1].text
    return text if noun.pos_ == "PROPN" or doc[start].pos_ == "PROPN" else text.lower()


_MODALS = {"would", "will", "could", "should", "might", "may", "'ll", "'d", "wo", "shall"}


def _planned(verb: Token) -> bool:
    """A clause about what would or will happen (a term of a proposal), not what has happened;
    "would remain" keeps a state going and is not a plan."""
    if verb.lemma_.lower() in ("remain", "stay", "stand", "exist", "live", "continue"):
        return False
    return any(child.dep_ == "aux" and child.lower_ in _MODALS for child in verb.children)


def _read_states(doc: Doc, quantity: Quantity, head: Token, clause_token: Token | None,
                 reading: _Reading) -> None:
    """States of the counted thing, by precedence: its clause's verb, then a participle
    modifying it, then its adjectives; the first level that says anything defines the measure.
    A container noun ("the bodies of six hostages") adds its state at every level."""
    levels: list[list[str]] = [[], [], []]
    always: list[str] = []
    relcl_agent = None
    participle = None  # the verb of levels[1], for its aspect
    descriptors: list[str] = list(reading.descriptors)
    governor = head
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.pos_ == "NOUN" and clause_token is None:
        owner = head.head.head
        state = _STATE_OF.get(owner.lower_) or _STATE_OF.get(owner.lemma_.lower())
        if state == "dead":
            always.append(state)
            governor = owner
            for prep in owner.children:
                if prep.dep_ == "prep" and any(c.lower_ == "still" for c in prep.children):
                    always.append("held")
    anchor = doc[quantity.anchor]
    node = clause_token if clause_token is not None else governor
    gapped_agent = None
    # gapping: "the Front holds about 240 people, and the government about 900"
    gap = _quantity_head(doc, quantity)
    before = doc[quantity.start - 1] if quantity.start > 0 else None
    if gap.dep_ in ("appos", "nummod") and gap.head.pos_ in ("NOUN", "PROPN") and gap.head.i < gap.i \
            and gap.head.dep_ == "conj":
        gapped_agent = gap.head
    elif clause_token is not None and before is not None and before.pos_ in ("NOUN", "PROPN") \
            and before.dep_ == "conj" and gap.dep_ in ("npadvmod", "appos", "dobj", "conj"):
        gapped_agent = before  # the parse may hang "about 200" elsewhere: "..., and the government about 200"
    if gapped_agent is not None:
        verb = next((t for t in gapped_agent.ancestors if t.pos_ in ("VERB", "AUX")), None)
        if verb is not None:
            _verb_state(verb, levels[0], False, reading.counted)
            reading.predicate = verb.i
    for child in (*governor.children, *(head.children if head is not governor else ())):
        if child.dep_ in ("amod", "compound") and child.i < head.i:
            word = child.lower_
            state = _STATE_OF.get(word) or _STATE_OF.get(child.lemma_.lower())
            if state and child.pos_ in ("ADJ", "VERB"):
                levels[2].append(state)
                descriptors.append(word)
            elif child.pos_ in ("ADJ", "PROPN", "NOUN") and not (quantity.start <= child.i < quantity.end) \
                    and child.lower_ not in ("more", "other", "-", "first") and child.pos_ != "NUM":
                descriptors.append(child.text if child.ent_type_ == "NORP" or child.pos_ == "PROPN" else word)
        elif child.dep_ in ("acl", "relcl"):
            for token in child.subtree:
                state = _STATE_OF.get(token.lower_) or _STATE_OF.get(token.lemma_.lower())
                if state and token.pos_ in ("VERB", "ADJ", "ADV", "NOUN") and token.i >= child.i:
                    levels[1].append(state)
                    participle = participle or child
            if child.dep_ == "relcl" and (_STATE_OF.get(child.lemma_.lower()) or "") in ("held", "released"):
                relcl_agent = _relcl_agent(child, head)
        elif child.dep_ == "advmod" and child.lower_ == "still":
            levels[1].append("held")
        elif child.dep_ == "advmod" and child.lower_ == "back":
            levels[1].append("returned")
    # the clause's verb, when the counted thing is its subject or object
    if reading.predicate is None and node.dep_ in ("nsubj", "nsubjpass", "dobj", "obj", "attr") \
            and node.head.pos_ in ("VERB", "AUX"):
        verb = node.head
        reading.predicate = verb.i
        transitive_subject = node.dep_ == "nsubj" and any(c.dep_ in ("dobj", "obj") for c in verb.children)
        _verb_state(verb, levels[0], transitive_subject, reading.counted)
        reading.agent = _agent_text(verb, subject=node.dep_ in ("dobj", "obj"))
    elif reading.predicate is None and node.dep_ == "conj" and node.head.dep_ in ("dobj", "nsubj", "nsubjpass"):
        verb = node.head.head
        if verb.pos_ in ("VERB", "AUX"):
            reading.predicate = verb.i
            _verb_state(verb, levels[0], False, reading.counted)
    if gapped_agent is not None:
        reading.agent = _clean_phrase(gapped_agent, numbers=False)
    if reading.agent is None and relcl_agent is not None:
        reading.agent = relcl_agent
    predicate = doc[reading.predicate] if reading.predicate is not None else None
    reading.location = _location(governor, head, predicate)
    chosen = next((level for level in levels if level), [])
    states = _unique([*always, *chosen])
    aspect_verb = predicate if chosen is levels[0] else participle if chosen is levels[1] else None
    if aspect_verb is not None and _EVENT_STATES & set(chosen) and _running_total(aspect_verb):
        states.append("so far")
    if predicate is not None and _planned(predicate):
        states.append("planned")
    reading.states = states
    reading.qualifiers = _unique([*always, *levels[0], *levels[1], *levels[2], *states, *descriptors])
    reading.descriptors = _unique([d for d in descriptors if _STATE_OF.get(d) is None])


# A count of events ("12 people were killed on Tuesday") is not a running total ("6,000 people have
# been killed"): the two are different measures even in the same week.
_EVENT_STATES = {"killed", "wounded", "released", "returned", "abducted", "detained", "displaced", "found"}


def _running_total(verb: Token) -> bool:
    """A perfect ("have been killed") or a "since" / "so far" / "to date" clause: a total to date."""
    for child in verb.children:
        if child.dep_ == "aux" and child.lemma_.lower() == "have":
            return True
        if child.lower_ == "since" and child.dep_ in ("prep", "mark"):
            return True
        if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "since" for m in child.children):
            return True
        if child.lower_ == "far" and any(c.lower_ == "so" for c in child.children):
            return True
        if child.lower_ == "to" and any(c.lower_ == "date" for c in child.children):
            return True
        if child.lower_ in ("altogether", "overall", "cumulatively"):
            return True
    return False


def _relcl_agent(relcl: Token, head: Token) -> str | None:
    """Who holds in "the 300 people it holds": the relative clause's subject, a pronoun taken as
    the subject of the clause the counted phrase sits in."""
    subject = next((c for c in relcl.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return None
    if subject.pos_ != "PRON":
        return _clean_phrase(subject)
    verb = next((t for t in head.ancestors if t.pos_ in ("VERB", "AUX")), None)
    outer = next((c for c in verb.children if c.dep_ == "nsubj" and c.pos_ != "PRON"), None) if verb else None
    return _clean_phrase(outer) if outer is not None else None


# Verbs whose state belongs to their subject even with an object: people "fled the corridor".
_SUBJECT_STATE_VERBS = {"flee", "return", "die", "remain", "stay", "survive", "disappear", "escape", "leave"}


def _verb_state(verb: Token, out: list[str], transitive_subject: bool, counted: str | None = None) -> None:
    """The state a verb gives its subject or object: captives "remain" → held, "were freed" → released.
    The subject of an active verb with an object ("two delegations held talks") gets none."""
    lemma = verb.lemma_.lower()
    if transitive_subject and lemma not in _SUBJECT_STATE_VERBS:
        return
    if lemma in ("remain", "stay") and counted in _CAPTIVES:
        out.append("held")
    elif lemma in _STATE_OF:
        out.append(_STATE_OF[lemma])
    for child in verb.children:
        if child.dep_ in ("acomp", "oprd", "advmod", "prt", "xcomp"):
            state = _STATE_OF.get(child.lower_) or _STATE_OF.get(child.lemma_.lower())
            if state and not (lemma in _STATE_OF and child.lower_ == "still"):
                out.append(state)
            if child.dep_ == "xcomp":
                for grandchild in child.children:
                    if grandchild.dep_ in ("acomp", "oprd"):
                        state = _STATE_OF.get(grandchild.lower_)
                        if state:
                            out.append(state)
    if not out and lemma not in _VERBS_WITHOUT_STATE and lemma not in _SAY_VERBS and verb.pos_ == "VERB":
        out.append(_participle(lemma))


def _participle(lemma: str) -> str:
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma.endswith("e"):
        return lemma + "d"
    if re.search(r"[^aeiou]y$", lemma):
        return lemma[:-1] + "ied"
    return lemma + "ed"


def _agent_text(verb: Token, subject: bool) -> str | None:
    """Who holds, frees or pledges: the subject of an active verb or the "by" phrase of a passive one."""
    for child in verb.children:
        if subject and child.dep_ == "nsubj":
            if child.pos_ == "PRON":
                # "The Front says it holds": the speaker of the governing verb
                outer = verb.head if verb.dep_ in ("ccomp", "relcl", "conj") else None
                if outer is not None and verb.dep_ == "relcl":
                    outer = outer.head if outer.dep_ != "ROOT" else outer
                if outer is not None:
                    for other in outer.children:
                        if other.dep_ == "nsubj" and other.pos_ != "PRON":
                            return _clean_phrase(other)
                return None
            return _clean_phrase(child)
        if not subject and child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and verb.lemma_.lower() not in _SAY_VERBS | {"believe", "presume"}:
                    return _clean_phrase(pobj)
    return None


_CLAUSES = {"relcl", "acl", "appos", "advcl", "punct", "cc", "parataxis", "ccomp"}


def _clean_phrase(token: Token, limit: int = 8, numbers: bool = True) -> str:
    """A noun phrase without its clauses ("the Relief Collective, an aid group, ..." → "Relief Collective");
    without its numbers when they are the figure ("the government 200")."""
    words = _phrase_tokens(token, keep_preps=True)
    if len(words) > limit:
        words = _phrase_tokens(token, keep_preps=False)
    if not numbers:
        words = [t for t in words if not (t.head.i == token.i and t.dep_ in ("nummod", "quantmod", "advmod"))]
    text = "".join(t.text_with_ws for t in words).strip()
    return re.sub(r"^(the|a|an)\s+", "", text, flags=re.I)


def _phrase_tokens(token: Token, keep_preps: bool) -> list[Token]:
    words = [token]
    for child in token.children:
        if child.dep_ in _CLAUSES or (not keep_preps and child.dep_ == "prep" and child.i > token.i):
            continue
        if child.dep_ == "prep" and not any(c.dep_ == "pobj" for c in child.children):
            continue
        words.extend(_phrase_tokens(child, keep_preps))
    return sorted(words, key=lambda t: t.i)


def _location(governor: Token, head: Token, verb: Token | None) -> str | None:
    """A place the count is in: a named place in an in/to/from/inside phrase near it."""
    candidates = [governor, head]
    if verb is not None:
        candidates.append(verb)
    for child in head.children:
        if child.dep_ in ("acl", "relcl"):
            candidates.append(child)
    for node in candidates:
        for prep in node.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "to", "from", "inside", "within", "across"):
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and pobj.ent_type_ in ("GPE", "LOC", "FAC"):
                        start = pobj.i
                        while start > 0 and pobj.doc[start - 1].ent_type_ == pobj.ent_type_ \
                                and pobj.doc[start - 1].ent_iob_ != "O":
                            start -= 1
                        return pobj.doc[start:pobj.i + 1].text
    return None


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen


# --- describing, attributing and dating --------------------------------------------------------------

def describe(counted: str | None, states: list[str], descriptors: list[str], unit: str | None,
             agent: str | None = None, location: str | None = None) -> str:
    """A readable name for a measure: "hostages held in Gaza", "length of cease-fire"."""
    if unit in TIME_UNITS.values():
        if counted and counted.startswith("time to "):
            return counted
        return f"length of {counted}" if counted else f"{unit}s"
    planned = "planned" in states
    so_far = "so far" in states
    states = [s for s in states if s not in ("planned", "so far")]
    if unit == "fraction":
        return " ".join(["share of", *states, counted or "a whole", *(["(planned)"] if planned else [])])
    adjectives = [s for s in states if s in _ADJECTIVE_STATES]
    participles = [s for s in states if s not in _ADJECTIVE_STATES]
    if unit in ("percent", "percentage points"):
        noun = counted or "share"
    else:
        noun = counted or ("money" if unit and unit.isupper() else "count")
    parts = [*adjectives, *[d for d in descriptors if d not in adjectives and d.lower() not in noun.lower()], noun]
    parts.extend(participles)
    if agent:
        parts.append(f"by {agent}")
    if location:
        parts.append(f"in {location}")
    if so_far:
        parts.append("so far")
    if unit in ("percent", "percentage points"):
        parts.append(f"({unit})")
    elif unit and unit.isupper():
        parts.append(f"({unit})")
    if planned:
        parts.append("(planned)")
    return " ".join(parts)


def _attribution(sent: Span, anchor: Token) -> str | None:
    """Who gives the figure: "according to X", the subject of a saying verb over it, a passive "by X"."""
    for token in sent:
        if token.lower_ == "according" and token.i + 1 < sent.end and token.doc[token.i + 1].lower_ == "to":
            for pobj in token.doc[token.i + 1].children:
                if pobj.dep_ == "pobj":
                    return _source_phrase(pobj)
    for verb in (t for t in (anchor, *anchor.ancestors) if t.pos_ == "VERB"):
        if verb.lemma_.lower() in _SAY_VERBS:
            for child in verb.children:
                if child.dep_ == "nsubj" and child.pos_ != "PRON":
                    return _clean_phrase(child)
                if child.dep_ == "agent":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            return _clean_phrase(pobj)
    return None


def _source_phrase(pobj: Token) -> str:
    """"figures from the Relief Collective", "figures the ministry released": the one behind the data."""
    if pobj.lower_ in _DATA_NOUNS:
        for child in pobj.children:
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
                for inner in child.children:
                    if inner.dep_ == "pobj":
                        return _clean_phrase(inner)
            if child.dep_ in ("relcl", "acl"):
                for inner in child.children:
                    if inner.dep_ == "nsubj" and inner.pos_ != "PRON":
                        return _clean_phrase(inner)
    return _clean_phrase(pobj)


_TIMEX_VALUE = re.compile(r"^\d{4}(-(\d{2}(-\d{2})?|W\d{2}))?$")
_PERIOD_BOUNDARY = {"since", "until", "till", "before", "by", "from", "through"}


def _timex_date(doc: Doc, sent: Span, anchor: Token, quantity: Quantity,
                timexes: list[Timex]) -> tuple[str | None, str | None]:
    """The value and text of the sentence's timex closest in the parse to the figure; a timex that
    only opens or closes a period ("since last week") does not date a count."""
    best = None
    for timex in timexes:
        if timex.start < sent.start_char or timex.end > sent.end_char or timex.type not in ("DATE", "TIME", None):
            continue
        if not timex.value or not _TIMEX_VALUE.match(timex.value.split("T")[0]):
            continue
        span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        if span.start < quantity.end and quantity.start < span.end:
            continue  # the figure itself ("six weeks")
        if _timex_elsewhere(doc, span, anchor):
            continue
        distance = _tree_distance(anchor, span.root)
        if best is None or distance < best[0]:
            best = (distance, timex)
    if best is None:
        return None, None
    return best[1].value.split("T")[0], best[1].text


def _timex_elsewhere(doc: Doc, span: Span, anchor: Token) -> bool:
    """Whether a timex dates something else: it opens or closes a period ("since a truce took effect
    last week") or sits in a clause the figure is not in ("the truce agreed last week")."""
    first = doc[span.start]
    if first.lower_ in _PERIOD_BOUNDARY or first.i > 0 and doc[first.i - 1].lower_ in _PERIOD_BOUNDARY:
        return True
    figure_path = {t.i for t in (anchor, *anchor.ancestors)}
    for token in (span.root, *span.root.ancestors):
        if token.i in figure_path:
            return False
        if (token.dep_ in ("acl", "relcl", "advcl", "ccomp", "xcomp", "pcomp")
                or token.dep_ == "conj" and token.pos_ in ("VERB", "AUX")):
            return True  # the timex dates another clause ("the truce agreed last week")
        if token.lower_ in _PERIOD_BOUNDARY and token.dep_ in ("prep", "mark"):
            return True
        if any(c.dep_ == "mark" and c.lower_ in _PERIOD_BOUNDARY for c in token.children):
            return True
    return False


def _tree_distance(a: Token, b: Token) -> int:
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    index_b = {t.i: n for n, t in enumerate(up_b)}
    for n, token in enumerate(up_a):
        if token.i in index_b:
            return n + index_b[token.i]
    return len(up_a) + len(up_b)


def _make_figure(doc: Doc, report: Report, sent: Span, quantity: Quantity, reading: _Reading,
                 timexes: list[Timex]) -> Figure:
    unit = quantity.unit
    if quantity.kind == "fraction":
        unit = "fraction"
    elif unit is None and reading.counted and (
            reading.counted_token is not None and _is_people(doc[reading.counted_token])
            or reading.counted_token is None and reading.counted.rstrip("s") in _PEOPLE | {"people"}):
        unit = "people"
    anchor = doc[quantity.anchor]
    start = doc[quantity.start].idx
    end_token = quantity.end - 1
    if reading.counted_token is not None and quantity.end <= reading.counted_token <= quantity.end + 3 \
            and unit not in TIME_UNITS.values():
        end_token = reading.counted_token
    end = doc[end_token].idx + len(doc[end_token].text)
    date_value, date_text = _timex_date(doc, sent, anchor, quantity, timexes)
    raw_start, raw_end = raw_span(report, start, end)
    return Figure(
        id=record_id("figure", report.id, start, end, quantity.value),
        report=report.id, file=report.file, value=_tidy(quantity.value), text=report.body[start:end],
        low=_tidy(quantity.low) if quantity.low is not None else None,
        high=_tidy(quantity.high) if quantity.high is not None else None,
        bound=quantity.bound, unit=unit, counted=reading.counted, qualifiers=reading.qualifiers,
        states=reading.states, agent=reading.agent, location=reading.location,
        measure=describe(reading.counted, reading.states, reading.descriptors, unit if unit != "fraction"
                         else None, reading.agent, reading.location),
        attribution=_attribution(sent, anchor), date=date_value or report.published, date_text=date_text,
        sentence=span_text(sent).strip(), start=start, end=end, raw_start=raw_start, raw_end=raw_end,
    )


def _is_people(noun: Token) -> bool:
    lemma = noun.lemma_.lower()
    return (lemma in _PEOPLE or noun.lower_ in _PEOPLE or noun.text in _PEOPLE
            or (noun.ent_type_ == "NORP" and noun.tag_ in ("NNS", "NNPS")))


def _tidy(value: float) -> float:
    return float(round(value)) if abs(value - round(value)) < 1e-9 else round(value, 6)
