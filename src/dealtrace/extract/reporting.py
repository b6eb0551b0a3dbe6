"""The language of reporting: which verbs and nouns attribute words to someone, and the token tests
the quote and attribution finders share (is this a reporting verb, where was it said, where does the
reported clause end).

Word lists were chosen on PolNeAR's train split (see docs/quotes.md): a verb is listed when its uses
there are mostly attributions.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

__all__ = ["REPORTING_VERBS", "FRAME_ONLY_VERBS", "INTENTION_VERBS", "OBJECT_CUES", "LABELLING_VERBS", "NOT_SPEAKERS",
           "CHANNEL_NOUNS", "channel_of", "comma_conjunct", "past_relative", "is_reporting",
           "is_verb", "names_a_medium", "own_report", "longest_run", "strip_edges", "with_clause_tail",
           "without_trailing_aside"]

# Verbs that report speech or thought and take a content clause ("hear" is not one: what someone heard is not
# their statement, 3 of 14 right on PolNeAR's train split).
REPORTING_VERBS = frozenset("""
say tell argue announce insist acknowledge warn deny accuse claim maintain believe add note describe explain
state report confirm suggest assert contend stress emphasize emphasise reiterate predict estimate caution complain
concede admit recall reply respond write tweet post declare allege charge indicate signal hint vow promise pledge
threaten demand urge ask question expect hope fear worry suspect speculate conclude observe comment remark
reveal disclose testify brief inform assure counter retort lament boast joke recount quip
disagree dispute doubt feel know understand learn mention propose point repeat find show
confess exclaim shout yell chant whisper mutter scream plead proclaim opine interject muse answer concur
elaborate rebut scoff gush rant echo continue
""".split())
# Reporting verbs that frame a direct quote ("He continued: “…”") but whose clauses are seldom reports:
# "continued to fall", "they feel it is unfair" (PolNeAR train: under a quarter of them are attributions).
FRAME_ONLY_VERBS = frozenset("continue feel".split())
# Verbs whose infinitive complement states an intention or demand: vowed to destroy, urged them to act.
INTENTION_VERBS = frozenset("vow promise pledge threaten refuse decline urge demand plan intend want seek agree offer "
                            "call ask hope expect aim tell order instruct encourage invite press".split())
# Verbs whose object is what was said about something: cited the poll, denied the report,
# called the plan a ploy, accused the company of stalling.
OBJECT_CUES = frozenset("""cite mention note deny acknowledge announce criticize criticise praise blame question
dispute endorse propose predict report confirm describe attack slam blast condemn denounce accuse call label dub
brand reject dismiss welcome hail tweet recall""".split())  # (tweet, recall: PolNeAR train 26 of 44 new right)
# Verbs that frame a partial quote without a content clause: called it “a reversal”.
LABELLING_VERBS = frozenset("call term label dub brand characterize characterise criticize criticise dismiss decry "
                            "hail praise blast slam condemn denounce welcome".split())
# Line labels that are not speakers: "Correction: …", "Photo: …".
NOT_SPEAKERS = frozenset("""correction corrections clarification update updated note editor source sources photo
photos video watch read related advertisement caption credit credits q a transcript fact latest""".split())

CHANNEL_NOUNS = frozenset("""statement interview speech conference briefing show broadcast letter remarks remark tweet
post message op-ed column video appearance address hearing podcast program programme call email e-mail
release communique communiqué declaration testimony session meeting rally sermon""".split())


def channel_of(verb: Token) -> str | None:
    """Where a statement was made: "in a statement", "on one talk show", or whom it was told to."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "on", "during", "at", "via", "through"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and (pobj.lemma_.lower() in CHANNEL_NOUNS or pobj.lower_ in CHANNEL_NOUNS):
                return verb.doc[child.i:child.right_edge.i + 1].text
    if verb.lemma_ == "tell":
        for child in verb.children:
            if child.dep_ in ("dative", "dobj", "iobj") and child.pos_ in ("NOUN", "PROPN"):
                tokens = [t for t in child.subtree if t.dep_ not in ("relcl",)]
                keep = [t for t in tokens if t.i <= child.i or t.dep_ in ("compound", "flat")]
                return verb.doc[keep[0].i:keep[-1].i + 1].text if keep else child.text
    return None


_REPORTING_FORMS = frozenset("said says told tells added adds asked asks wrote writes noted notes continued".split())


def is_reporting(token: Token) -> bool:
    """A reporting verb, also when the tagger took a capitalised "Said" for a name."""
    return token.lemma_.lower() in REPORTING_VERBS and is_verb(token) or token.lower_ in _REPORTING_FORMS


def is_verb(token: Token) -> bool:
    return token.pos_ == "VERB" or token.tag_.startswith("VB") and token.pos_ != "AUX"


def names_a_medium(span: Span, cue: Token) -> bool:
    """The quoted words sit in the cue's "on …"/"in …" phrase: the title of where it was said."""
    for child in cue.children:
        if child.dep_ == "prep" and child.lower_ in ("on", "in", "to") and child.i < span.start \
                and child.right_edge.i >= span.end - 1:
            return True
    return False


def comma_conjunct(verb: Token) -> bool:
    """A report the parse made a conjunct of the clause it reports, after a comma and with a subject of its
    own: "X did Y, a spokeswoman said Monday, and …", "…, said the company's chief executive"."""
    return verb.dep_ == "conj" and verb.tag_ in ("VBD", "VBZ", "VBP") and verb.left_edge.i > 0 \
        and verb.doc[verb.left_edge.i - 1].text == "," and any(c.dep_ == "nsubj" for c in verb.children)


def past_relative(tokens: list[Token], verb: Token) -> list[Token]:
    """A content clause without the relative pronoun that opens it before the verb: in "the changes, which
    officials said will take effect …", "which" stays with its noun and what was said follows the verb."""
    if tokens and tokens[0].i < verb.i and all(t.tag_ in ("WDT", "WP") for t in tokens if t.i < verb.i):
        return [t for t in tokens if t.i > verb.i]
    return tokens


def own_report(tokens: list[Token], clause: Token, verb: Token) -> list[Token]:
    """The content clause without a next report the parse hung inside it: "…, and more than 4 in 10
    said …" or "…, and tells the crowd …" (same tense as the cue) or "… — asserting that …"."""
    cut: set[int] = set()
    for token in tokens:
        if token.i == clause.i or token.pos_ != "VERB" or token.lemma_ not in REPORTING_VERBS | LABELLING_VERBS | OBJECT_CUES:
            continue
        own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
        if any(c.dep_ == "mark" and c.lower_ == "that" for c in token.children):
            continue  # "said A and that B doubted …": a second content clause, not a second report
        if token.dep_ == "conj" and (own_subject or token.tag_ == verb.tag_ or token.lemma_ in LABELLING_VERBS | OBJECT_CUES) \
                or token.dep_ == "advcl" and token.tag_ == "VBG" and token.i > clause.i:
            start = token.left_edge.i
            while start > clause.i and (token.doc[start - 1].is_punct or token.doc[start - 1].dep_ == "cc"):
                start -= 1
            cut.update(range(start, token.right_edge.i + 1))
    return [t for t in tokens if t.i not in cut] if cut else tokens


# Marks that open an aside or a new thought: reported content does not run on past them.
_ASIDE_MARKS = frozenset({":", ";", "—", "–", "-", "--", "("})
# Dependents of a reporting verb that continue the clause it reports when the parse hangs them on the verb.
_TAIL_DEPS = frozenset({"ccomp", "advcl"})


def with_clause_tail(tokens: list[Token], verb: Token, clause: Token) -> list[Token]:
    """The content clause with the rest of it that the parse hung on the reporting verb after a comma: "said
    the talks had stalled, because the owners …", "said the cranes were idle, the ships were late" (PolNeAR
    train: 29 more gold attributions matched, 10 fewer). Not past a dash, colon or parenthesis (an aside of the
    reporter's), nor into a report of its own ("…, while the treasurer said …") or an "according to" phrase."""
    doc = verb.doc
    end = tokens[-1].i  # (the clause's subtree in order, a second clause after it)
    if verb.right_edge.i <= end:
        return tokens
    added = list(tokens)
    for child in verb.children:
        if child.i <= clause.i or child.left_edge.i <= end or child.dep_ in ("punct", "cc"):
            continue
        tail = doc[end + 1:child.right_edge.i + 1]
        if not _continues_clause(child, doc[end + 1:child.left_edge.i], tail, verb):
            break
        added += list(tail)
        end = child.right_edge.i
    return added


def _continues_clause(child: Token, gap: Span, tail: Span, verb: Token) -> bool:
    """A clause or adverbial of the verb's, in its sentence, after nothing but a comma or a conjunction, with no
    aside mark in it and not a report or an "according to" of its own."""
    return child.dep_ in _TAIL_DEPS and child.sent.start == verb.sent.start \
        and all(t.is_punct or t.dep_ == "cc" for t in gap) \
        and not any(t.text in _ASIDE_MARKS or t.text == "." for t in tail) \
        and child.lemma_ not in REPORTING_VERBS and child.lower_ != "according"


def longest_run(tokens: list[Token]) -> list[Token]:
    """The longest stretch of consecutive tokens (punctuation may bridge a gap of one)."""
    runs: list[list[Token]] = []
    for token in sorted(tokens, key=lambda t: t.i):
        if runs and token.i == runs[-1][-1].i + 1:
            runs[-1].append(token)
        else:
            runs.append([token])
    runs = [strip_edges(run) for run in runs]
    return max(runs, key=lambda run: sum(len(t.text_with_ws) for t in run), default=[])


def strip_edges(tokens: list[Token]) -> list[Token]:
    """Tokens without leading/trailing punctuation, white space or a leading 'that'."""
    tokens = sorted(tokens, key=lambda t: t.i)
    while tokens and (tokens[0].is_punct or tokens[0].is_space or tokens[0].lower_ == "that" and tokens[0].dep_ == "mark"):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct and tokens[-1].text not in "”’\"'" or tokens[-1].is_space):
        tokens = tokens[:-1]
    # keep only the contiguous run from the first token (a clause may skip an inserted phrase)
    run = tokens[:1]
    for token in tokens[1:]:
        if token.i != run[-1].i + 1:
            gap = token.doc[run[-1].i + 1:token.i]
            if not all(t.is_punct or t.is_space for t in gap):
                break
        run.append(token)
    return run


def without_trailing_aside(tokens: list[Token]) -> list[Token]:
    """The content without a comma-set relative clause or apposition that closes it ("…, which votes on
    March 1", "…, the 68-year-old former secretary of state"): the reporter's description, not the words
    reported (PolNeAR's annotators cut it there)."""
    if len(tokens) < 3:
        return tokens
    first, last = tokens[0].i, tokens[-1].i
    for token in tokens:
        edge = token.left_edge.i
        if token.dep_ in ("relcl", "appos") and edge - 1 > first and token.doc[edge - 1].text == "," \
                and token.right_edge.i >= last and first <= token.head.i < edge:
            return strip_edges([t for t in tokens if t.i < edge - 1])
    return tokens
