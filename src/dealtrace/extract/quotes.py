"""Quotes: who said what in one report, direct (in quotation marks) and indirect (reported speech).

Direct quotes are found from the quotation marks in the body, then attributed through the parse:
the reporting verb that governs the quote, or the one in the frame around it ("…,” X said.",
"X said simply, “…”", "X told reporters: “…”"). A quote split by its attribution
(“…,” X said. “…”) is kept as two quotes; the second names the first in `Quote.continues`.
Indirect quotes are reporting verbs with their content clause, trailing attributions and
"according to X". Speakers are resolved against the report's actors by `speakers.resolve_speaker`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..model import Cue, Quote, Report, record_id
from . import Context, extractor
from .speakers import SpeakerResolver

__all__ = ["find_quotes", "quote_marks", "REPORTING_VERBS", "LABELLING_VERBS"]

# Verbs that report speech or thought and take a content clause.
REPORTING_VERBS = frozenset("""
say tell argue announce insist acknowledge warn deny accuse claim maintain believe add note describe explain
state report confirm suggest assert contend stress emphasize emphasise reiterate predict estimate caution complain
concede admit recall reply respond write tweet post declare allege charge indicate signal hint vow promise pledge
threaten demand urge ask question expect hope fear worry suspect speculate conclude observe comment remark
reveal disclose testify brief inform assure counter retort lament boast joke recount quip
disagree dispute doubt feel know understand learn hear mention propose point repeat find show
confess exclaim shout yell chant whisper mutter scream plead proclaim opine interject muse answer concur
elaborate rebut scoff gush rant echo continue
""".split())
# Reporting verbs that frame a direct quote ("He continued: “…”") but whose clauses are seldom reports:
# "continued to fall", "they feel it is unfair" (PolNeAR train: under a quarter of them are attributions).
_FRAME_ONLY_VERBS = frozenset("continue feel".split())
# Verbs whose infinitive complement states an intention or demand: vowed to destroy, urged them to act.
INTENTION_VERBS = frozenset("vow promise pledge threaten refuse decline urge demand plan intend want seek agree offer "
                            "call ask hope expect aim tell order instruct encourage invite press".split())
# Verbs whose object is what was said about something: cited the poll, denied the report,
# called the plan a ploy, accused the company of stalling.
OBJECT_CUES = frozenset("""cite mention note deny acknowledge announce criticize criticise praise blame question
dispute endorse propose predict report confirm describe attack slam blast condemn denounce accuse call label dub
brand reject dismiss welcome hail""".split())
# Verbs that frame a partial quote without a content clause: called it “a reversal”.
LABELLING_VERBS = frozenset("call term label dub brand characterize characterise criticize criticise dismiss decry "
                            "hail praise blast slam condemn denounce welcome".split())
# Line labels that are not speakers: "Correction: …", "Photo: …".
_NOT_SPEAKERS = frozenset("""correction corrections clarification update updated note editor source sources photo
photos video watch read related advertisement caption credit credits q a transcript fact latest""".split())
_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"
_MAX_QUOTE_CHARS = 4000  # longer spans are unbalanced marks, not quotes
_SENTENCE_END = {".", "!", "?"}


@dataclass
class _Marked:
    """A quoted stretch of the body: content offsets (marks excluded) and where its marks sit."""

    start: int
    end: int
    open_at: int
    close_at: int  # offset just past the closing mark (== end for a quote closed by its paragraph)
    paragraphs: int = 1


def _opens_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/:") and not after.isspace()


def quote_marks(text: str) -> list[_Marked]:
    """Stretches of `text` inside double quotation marks, curly or straight.

    A paragraph that ends inside a quote continues it when the next paragraph opens with a mark
    (the newspaper convention for quotes over several paragraphs); otherwise the quote ends with
    its paragraph. Single marks inside a double quote are nested quotes and stay part of it.
    """
    found: list[_Marked] = []
    open_at: int | None = None
    paragraphs = 1
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "'" and text.startswith("''", i):  # typewriter double quote: ''like this''
            if open_at is None and _opens_straight(text, i) and i + 2 < n and not text[i + 2].isspace():
                open_at, paragraphs = i + 1, 1  # content starts after both apostrophes
                i += 2
                continue
            if open_at is not None:
                found.append(_Marked(open_at + 1, i, open_at, i + 2, paragraphs))
                open_at = None
                i += 2
                continue
        if ch == "\n":
            if open_at is not None:
                j = i
                while j < n and text[j].isspace():
                    j += 1
                if j < n and (text[j] in _OPEN_DOUBLE or text[j] == '"' or text.startswith("''", j)):
                    paragraphs += 1
                    i = j + (2 if text.startswith("''", j) else 1)
                    continue
                found.append(_Marked(open_at + 1, i, open_at, i, paragraphs))
                open_at = None
            i += 1
            continue
        if open_at is None:
            if ch in _OPEN_DOUBLE or (ch == '"' and _opens_straight(text, i)):
                open_at, paragraphs = i, 1
        elif ch in _CLOSE_DOUBLE or ch == '"':
            found.append(_Marked(open_at + 1, i, open_at, i + 1, paragraphs))
            open_at = None
        elif ch in _OPEN_DOUBLE:  # an unclosed mark before this one: start again here
            open_at, paragraphs = i, 1
        i += 1
    if open_at is not None:
        found.append(_Marked(open_at + 1, n, open_at, n, paragraphs))
    return [m for m in found if m.end - m.start >= 1 and (m.end - m.start <= _MAX_QUOTE_CHARS or m.paragraphs > 1)
            and text[m.start:m.end].strip(" ,.;:—–-")]


def _quote_text(raw: str) -> str:
    """The words of a quote: re-opening marks of continued paragraphs dropped, trailing comma cut."""
    text = re.sub(r"\s*\n\s*(?:''|[“\"„«])?", " ", raw).strip()
    return re.sub(r"[\s,;:—–-]+$", "", text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Character offsets without surrounding white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class _Finder:
    """Finds the quotes of one report; holds the lookups its steps share."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.doc: Doc = ctx.doc
        self.text = ctx.doc.text  # Doc.text rebuilds the string on every access
        self.report: Report = ctx.report
        self.marked = quote_marks(self.text)
        self.inside = [False] * len(self.doc)  # token index -> inside a direct quote's marks
        for m in self.marked:
            span = self.doc.char_span(m.open_at, m.close_at, alignment_mode="expand")
            if span is not None:
                for token in span:
                    self.inside[token.i] = True
        self.resolver = SpeakerResolver(ctx, self.inside)
        self.direct_cues: set[int] = set()  # verbs that introduce a whole direct quote
        self.partial_cues: set[int] = set()  # verbs whose clause holds a partial quote
        self.paragraph_starts = [0] + [mt.end() for mt in re.finditer(r"\n\s*", self.text)]

    # -- shared ----------------------------------------------------------------------------------
    def paragraph_of(self, char: int) -> int:
        lo, hi = 0, len(self.paragraph_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.paragraph_starts[mid] <= char:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def cue_record(self, tokens: list[Token]) -> Cue:
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        raw_start, raw_end = self.report.raw_span(start, end)
        return Cue(text=self.text[start:end], start=start, end=end, raw_start=raw_start, raw_end=raw_end)

    def quote_record(self, kind: str, start: int, end: int, text: str, cue: Token | list[Token] | None,
                     speaker_span: Span | None, sentence: Span | None) -> Quote:
        raw_start, raw_end = self.report.raw_span(start, end)
        cue_tokens = cue if isinstance(cue, list) else ([cue] if cue is not None else [])
        if cue_tokens and cue_tokens[0].i + 1 < len(self.doc) and cue_tokens[0].nbor(1).dep_ == "prt" \
                and len(cue_tokens) == 1:
            cue_tokens = [cue_tokens[0], cue_tokens[0].nbor(1)]  # "point out"
        verb = cue_tokens[0] if cue_tokens else None
        if verb is not None and speaker_span is not None and self._crosses_paragraphs(speaker_span, verb):
            speaker_span = self._paragraph_subject(verb)
        speaker = self.resolver.resolve(speaker_span)
        return Quote(id=record_id("quote", self.report.id, kind, start, end), report=self.report.id,
                     file=self.report.file, kind=kind, text=text, start=start, end=end, raw_start=raw_start,
                     raw_end=raw_end, cue=self.cue_record(cue_tokens) if cue_tokens else None, speaker=speaker,
                     channel=_channel(verb) if verb is not None else None,
                     sentence=sentence.text if sentence is not None else None)

    def _crosses_paragraphs(self, span: Span, cue: Token) -> bool:
        """A speaker phrase outside its cue's paragraph: the parse ran over a break ("9:18 p.m.¶Trump is …")."""
        paragraph = self.paragraph_of(cue.idx)
        return any(self.paragraph_of(t.idx) != paragraph for t in span if not t.is_space)

    def _paragraph_subject(self, cue: Token) -> Span | None:
        """The words opening the cue's paragraph up to the cue, when they are a noun phrase: "Donald Trump is"."""
        start = self.paragraph_starts[self.paragraph_of(cue.idx)]
        words = [t for t in self.doc[:cue.i] if t.idx >= start and not t.is_space]
        while words and words[-1].pos_ in ("AUX", "ADV", "PART") and words[-1].tag_ != "POS":
            words.pop()
        if not words or any(t.pos_ in ("VERB", "AUX", "ADP", "SCONJ") or self.inside[t.i] for t in words) \
                or words[-1].pos_ not in ("NOUN", "PROPN", "PRON"):
            return None
        return self.doc[words[0].i:words[-1].i + 1]

    # -- direct ----------------------------------------------------------------------------------
    def direct(self) -> list[Quote]:
        quotes: list[Quote] = []
        previous: tuple[_Marked, Quote, Token | None] | None = None
        for m in self.marked:
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            start, end = _trim(self.text, m.start, m.end)
            text = _quote_text(self.text[start:end])
            if not text:
                continue
            embedded = self._embedded(m, span)
            same_paragraph = previous is not None and self.paragraph_of(previous[0].start) == self.paragraph_of(m.start)
            cue = self._direct_cue(m, span, previous[0] if same_paragraph else None)
            according = self._according_before(m, span) if cue is None else None
            if according is not None:  # According to Limbaugh, “…”
                words, source = according
                quote = self.quote_record("direct", start, end, text, words, source, span[0].sent)
                quotes.append(quote)
                previous = (m, quote, words[0])
                continue
            byline = self._dash_name(m) if cue is None and not embedded else None
            if byline is not None:  # “…” ― Carla Sanchez.
                dash, name = byline
                quote = self.quote_record("direct", start, end, text, dash, name, span[0].sent)
                quotes.append(quote)
                previous = (m, quote, dash)
                continue
            if cue is None and embedded:
                cue = self._sentence_cue(span)
                if cue is None:
                    continue  # a scare quote in the reporter's own voice: no speaker to give it
            continues = previous is not None and not embedded and (
                same_paragraph or m.paragraphs == 1 and self._follows(previous[0], m))
            if cue is None and not continues:
                labelled = self._name_label(m)
                if labelled is not None:  # Carl Bialik: “…”
                    colon, name = labelled
                    quote = self.quote_record("direct", start, end, text, colon, name, span[0].sent)
                    quotes.append(quote)
                    previous = (m, quote, colon[0])
                    continue
                cue = self._frame_verb(m, span)  # Trump barked, “…” / “…,” Hillary shot back.
            if embedded and cue is not None and _names_a_medium(span, cue):
                continue  # said on Fox News's “Fox and Friends”: a programme's title, not words said
            if cue is not None and not embedded:
                self.direct_cues.add(cue.i)
            elif cue is not None:
                self.partial_cues.add(cue.i)
            speaker_span = self.resolver.subject_of(cue) if cue is not None else None
            quote = self.quote_record("direct", start, end, text, cue, speaker_span, span[0].sent)
            if continues:
                prev_marked, prev_quote, prev_cue = previous
                if cue is None or (prev_cue is not None and cue.i == prev_cue.i):
                    quote.continues = prev_quote.id
                    if cue is None:
                        quote.speaker = prev_quote.speaker
                        quote.cue = prev_quote.cue
                        quote.channel = prev_quote.channel
            quotes.append(quote)
            previous = (m, quote, cue)
        return quotes

    def _according_before(self, m: _Marked, span: Span) -> tuple[list[Token], Span] | None:
        """ "According to X, “…”": the cue words and X."""
        sent = span[0].sent
        for token in self.doc[sent.start:span.start]:
            if token.lower_ == "according" and token.i + 1 < span.start and self.doc[token.i + 1].lower_ == "to":
                to = self.doc[token.i + 1]
                pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
                if pobj is None and token.i + 2 < span.start:
                    pobj = self.doc[token.i + 2]
                if pobj is not None and not self.inside[pobj.i]:
                    return [token, to], self.resolver.noun_phrase(pobj)
        return None

    def _dash_name(self, m: _Marked) -> tuple[Token, Span] | None:
        """A quote signed with a dash and a name after it: “…” ― Carla Sanchez."""
        tail = self.text[m.close_at:].split("\n", 1)[0]
        found = re.match(r"\s*[―—–-]\s*", tail)
        if found is None:
            return None
        at = m.close_at + found.end()
        span = self.doc.char_span(m.close_at + found.start(), at + 1, alignment_mode="expand")
        if span is None or not len(span):
            return None
        dash = next((t for t in span if set(t.text) & set("―—–-")), None)  # may share a token: ”―
        if dash is None:
            return None
        name = []
        for token in self.doc[dash.i + 1:]:
            if token.pos_ != "PROPN" or "\n" in token.text:
                break
            name.append(token)
            if "\n" in token.whitespace_:
                break
        if not name:
            return None
        return dash, self.doc[name[0].i:name[-1].i + 1]

    def transcript(self) -> list[Quote]:
        """Lines a speaker's name opens: "WALLACE: Let's start …", a headline "Sanders: Clinton needs to …"."""
        quotes = []
        for found in re.finditer(r"(?m)^([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2}):[ \t]+(\S.*)$", self.text):
            name, content = found.group(1), found.group(2)
            if name.lower() in _NOT_SPEAKERS or len(content.split()) < 3:
                continue
            name_span = self.doc.char_span(found.start(1), found.end(1), alignment_mode="expand")
            colon = self.doc.char_span(found.end(1), found.end(1) + 1, alignment_mode="expand")
            if name_span is None or colon is None or not all(t.pos_ == "PROPN" or t.is_upper for t in name_span):
                continue
            start, end = _trim(self.text, found.start(2), found.end(2))
            if any(self.inside[t.i] for t in name_span):
                continue
            kind = "direct" if name.isupper() else "indirect"  # transcripts capitalise; headlines paraphrase
            quotes.append(self.quote_record(kind, start, end, _quote_text(self.text[start:end]),
                                            list(colon), name_span, name_span[0].sent))
        return quotes

    def headline(self, taken: list[Quote]) -> list[Quote]:
        """A report's first line in headline style: "Poll: Trump Ties Clinton", "Christie Says He Would …".

        Headlines drop the parse's cues (title case, no verb forms the tagger trusts), so the two shapes
        headlines attribute with are read from the line itself; a colon line the transcript reader took stays its.
        """
        line_end = self.text.find("\n")
        line_end = len(self.text) if line_end < 0 else line_end
        line = self.text[:line_end].rstrip()
        if not line or len(line) > 200 or any(q.start < line_end for q in taken if q.kind != "attribution"):
            return []
        label = re.fullmatch(r"([^:“”\"]{2,60}?):\s+(\S.*)", line)
        says = re.fullmatch(r"(.{2,80}?) (Says|Said|Tells|Told|Claims|Warns|Insists|Argues|Admits|Vows|Urges|Predicts"
                            r"|Promises|Pledges|Demands|Denies|Suggests|Thinks|Believes|Wants|Calls For|Asks) (\S.*)", line)
        found = label or says
        if found is None or len(found.group(found.lastindex).split()) < 2 \
                or re.sub(r"^the ", "", found.group(1).lower()) in _NOT_SPEAKERS:  # "The Latest: …" is a label
            return []
        name = self.doc.char_span(found.start(1), found.end(1), alignment_mode="expand")
        cue = self.doc.char_span(found.end(1), found.start(found.lastindex), alignment_mode="expand")
        if name is None or cue is None or len(name) > 8 or found is label and any(
                t.pos_ in ("VERB", "AUX", "NUM") or t.ent_type_ in ("LOC", "DATE", "TIME") for t in name):
            return []  # "Last Monday: …", "Update 2: …" are dates and labels, not speakers
        cue_tokens = [t for t in cue if not t.is_space]
        start, end = _trim(self.text, found.start(found.lastindex), found.end(found.lastindex))
        text = _quote_text(self.text[start:end])
        return [self.quote_record("indirect", start, end, text, cue_tokens, name, name[0].sent)]

    def _follows(self, before: _Marked, after: _Marked) -> bool:
        """`after` is the next paragraph, made only of a quote: the same speaker goes on (also after the
        frame that closed the paragraph before: “…,” Espinoza said Friday.¶“I am …”)."""
        gap = self.text[before.close_at:after.open_at]
        if gap.count("\n") == 0 or gap.split("\n", 1)[1].strip():
            return False
        tail = self.text[after.close_at:].split("\n", 1)[0]
        return not tail.strip(" .")

    def _embedded(self, m: _Marked, span: Span) -> bool:
        """A partial quote: words of its own sentence before it (other than a cue frame) and no clause."""
        sent = span[0].sent
        paragraph = self.paragraph_of(m.open_at)
        before = [t for t in self.doc[sent.start:span.start] if not t.is_punct and not t.is_space
                  and self.paragraph_of(t.idx) == paragraph and t.idx < m.open_at]
        if not before:
            return False
        # "X said simply, “No.”" / "X told reporters: “…”": the quote starts right after , or :
        lead = self.text[max(sent.start_char, m.open_at - 3):m.open_at].strip()
        if lead.endswith((",", ":")) and not self.text[m.start:m.end].strip()[:1].islower():
            return False
        return True

    def _direct_cue(self, m: _Marked, span: Span, previous: _Marked | None) -> Token | None:
        inside = set(range(span.start, span.end))
        verbs = REPORTING_VERBS | LABELLING_VERBS
        # 1. the reporting verb the quote hangs from: the outermost one, since quoted words are the
        #    words of whoever uttered the whole sentence ("X said most people believe “…”"), but
        #    not beyond a relative or adverbial clause ("the plan, which critics called “…”, …")
        sent_start = span[0].sent.start
        for token in span:
            if token.head.i in inside:
                continue
            found = None
            for ancestor in [token.head, *token.head.ancestors]:
                if self.inside[ancestor.i] or ancestor.sent.start != sent_start:
                    break
                if ancestor.pos_ in ("VERB", "AUX") and ancestor.lemma_ in verbs:
                    found = ancestor
                # nor beyond a clause of its own: "…, while the Front rejected the plan, calling it “…”"
                if ancestor.dep_ in ("relcl", "acl", "advcl", "conj", "parataxis") and found is not None \
                        and not (ancestor.dep_ == "acl" and ancestor.head.lemma_ in _CHANNEL_NOUNS):
                    break  # (but "said in a statement that …" is the statement's content, misparsed as acl)
            if found is not None:
                return found
        # 2. a reporting verb hanging from the quote: “…,” he said, parsed the other way round
        hanging = [child for token in span for child in token.children if child.i not in inside
                   and not self.inside[child.i] and child.lemma_ in REPORTING_VERBS and child.pos_ == "VERB"]
        if hanging:  # the nearest: "Asked what …, Adelson said, “…”" is Adelson's answer
            return min(hanging, key=lambda c: span.start - c.i if c.i < span.start else c.i - span.end)
        # 3. the frame after the quote, to the end of its sentence (in the paragraph the quote closes in)
        closing = self.paragraph_of(max(m.close_at - 1, m.start))
        i = span.end
        while i < len(self.doc):
            token = self.doc[i]
            if self.inside[token.i] and token.idx >= m.close_at or self.paragraph_of(token.idx) != closing:
                break
            if token.idx >= m.close_at and _reports(token):
                return token
            if token.text in _SENTENCE_END and token.idx >= m.close_at:
                break
            i += 1
        # 4. the frame before it, back to its sentence start or the previous quote
        paragraph = self.paragraph_of(m.start)
        floor = span[0].sent.start
        if previous is not None:
            prev_span = self.doc.char_span(previous.open_at, previous.close_at, alignment_mode="expand")
            if prev_span is not None:
                floor = max(floor, prev_span.end)
        for token in reversed(self.doc[floor:span.start]):
            if self.inside[token.i] or self.paragraph_of(token.idx) != paragraph:
                break
            if _reports(token):
                return token
        # 5. a sentence ending in a colon right before the quote: "The letter reads:" / "He continued:"
        before = self.text[:m.open_at].rstrip()
        if before.endswith(":") and span.start > 0:
            colon = self.doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
            if colon is not None and not self.inside[colon[0].i]:
                sent = colon[0].sent
                # "As Pollak observed, the winner was the stage itself:": the reporting verb, not the root
                verb = next((t for t in sent if not self.inside[t.i] and _reports(t)
                             and self.resolver.subject_of(t) is not None), None)
                if verb is not None:
                    return verb
                root = sent.root
                if root.pos_ in ("VERB", "AUX") and not self.inside[root.i]:
                    return root
        return None

    def _name_label(self, m: _Marked) -> tuple[list[Token], Span] | None:
        """A paragraph that opens with a name and a colon before the quote: "Carl Bialik: “…”"."""
        paragraph_start = self.paragraph_starts[self.paragraph_of(m.open_at)]
        found = re.fullmatch(r"([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*| of| the){0,5})\s*:\s*", self.text[paragraph_start:m.open_at])
        if found is None or found.group(1).lower() in _NOT_SPEAKERS:
            return None
        name = self.doc.char_span(paragraph_start, paragraph_start + len(found.group(1)), alignment_mode="expand")
        colon_at = paragraph_start + found.group(0).index(":")
        colon = self.doc.char_span(colon_at, colon_at + 1, alignment_mode="expand")
        if name is None or colon is None or any(t.pos_ in ("VERB", "AUX") for t in name):
            return None
        return list(colon), name

    def _frame_verb(self, m: _Marked, span: Span) -> Token | None:
        """The verb of a frame with no reporting verb in it ("Trump barked, “…”", "“…,” Hillary shot
        back."): the sentence's root outside the marks, when it has a subject and no object of its own."""
        sent = span[0].sent
        root = sent.root
        if self.inside[root.i] or root.pos_ != "VERB" or self.paragraph_of(root.idx) != self.paragraph_of(m.open_at):
            return None
        if any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "acomp") and not self.inside[c.i] for c in root.children):
            return None  # "Trump won Idaho" next to a quote: a statement of fact, not a frame
        later = {t.i for c in root.children if c.dep_ in ("conj", "cc") and c.i > root.i for t in c.subtree}
        outside = [t for t in sent if not self.inside[t.i] and not t.is_punct and not t.is_space and t.i not in later]
        if len(outside) > 8 or self.resolver.subject_of(root) is None:
            return None
        return root

    def _sentence_cue(self, span: Span) -> Token | None:
        """The sentence's own reporting verb, for a partial quote the parse did not hang from it."""
        for token in span[0].sent:
            if not self.inside[token.i] and token.pos_ == "VERB" and token.lemma_ in REPORTING_VERBS \
                    and self.resolver.subject_of(token) is not None:
                return token
        return None

    # -- indirect --------------------------------------------------------------------------------
    def indirect(self) -> list[Quote]:
        quotes: list[Quote] = []
        for token in self.doc:
            if self.inside[token.i]:
                continue
            if token.lower_ == "according":
                quote = self._according(token)
            elif token.pos_ == "VERB" and token.lemma_ in REPORTING_VERBS | INTENTION_VERBS \
                    and token.lemma_ not in _FRAME_ONLY_VERBS:
                quote = self._reported(token)
            else:
                quote = None
            if quote is None and token.i in self.partial_cues:
                quote = self._framed(token)
            elif quote is None and token.pos_ == "VERB" and token.lemma_ in OBJECT_CUES and token.i not in self.direct_cues:
                quote = self._object(token)
            if quote is not None:
                quotes.append(quote)
        return quotes

    def _object(self, verb: Token) -> Quote | None:
        """What a verb of saying says something about: "cited the poll", "called the plan a ploy",
        "accused the company of stalling". Needs a speaking subject and a noun-phrase object."""
        obj = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
        subject = self.resolver.subject_of(verb)
        if obj is None or subject is None or obj.i < verb.i:
            return None
        complements = [c for c in verb.children if c.i > obj.i and (c.dep_ in ("oprd", "xcomp", "ccomp")
                       or c.dep_ == "prep" and c.lower_ in ("as", "of", "for"))]
        last = max([obj.right_edge, *(c.right_edge for c in complements)], key=lambda t: t.i)
        tokens = _strip_edges(self._clip(list(self.doc[obj.left_edge.i:last.i + 1]), verb))
        if not tokens:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        if not self._content_ok(start, end):
            return None
        return self.quote_record("indirect", start, end, self.text[start:end], verb, subject, verb.sent)

    def _framed(self, verb: Token) -> Quote | None:
        """The statement around a partial quote: called half of the supporters “deplorables”."""
        subject = self.resolver.subject_of(verb)
        skip = {t.i for t in subject} if subject is not None else set()
        tokens = [t for child in verb.children if child.i > verb.i and child.dep_ not in ("punct", "cc", "conj")
                  for t in child.subtree if t.i not in skip]
        tokens = _strip_edges(self._clip(tokens, verb))
        if not tokens:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or sum(not t.is_punct for t in span) < 2:
            return None
        text = re.sub(r"[“”\"]", "", self.text[start:end]).strip()
        return self.quote_record("indirect", start, end, text, verb, subject, verb.sent)

    def _trails(self, verb: Token) -> bool:
        """The verb's phrase closes its sentence after a comma: "…, the two officials said." """
        phrase = list(verb.subtree)
        first, last = phrase[0], phrase[-1]
        sent = verb.sent
        rest = [t for t in self.doc[last.i + 1:sent.end] if not (t.is_punct or t.is_space)]
        before = self.doc[first.i - 1] if first.i > sent.start else None
        return not rest or before is not None and before.text in (",", "—", "–")

    def _interposed(self, verb: Token) -> bool:
        """The verb's phrase sits between commas inside the clause it reports: "The risk, he said, is …"."""
        phrase = _strip_edges(list(verb.subtree))
        if not phrase:
            return False
        first, last = phrase[0], phrase[-1]
        sent = verb.sent
        return first.i > sent.start and last.i + 1 < sent.end and self.doc[first.i - 1].text in (",", "—", "–") \
            and self.doc[last.i + 1].text in (",", "—", "–") and verb.tag_ in ("VBD", "VBZ", "VBP")

    def _clip(self, tokens, anchor: Token) -> list[Token]:
        """Tokens in the anchor's paragraph: a parse that runs over a paragraph break is wrong there."""
        paragraph = self.paragraph_of(anchor.idx)
        return [t for t in tokens if self.paragraph_of(t.idx) == paragraph]

    def _content_ok(self, start: int, end: int) -> bool:
        """Real content: a few words, and not mostly inside a direct quote (that one has it)."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or sum(not t.is_punct for t in span) < 2:
            return False
        quoted = sum(len(t) for t in span if self.inside[t.i])
        return quoted <= 0.5 * sum(len(t) for t in span)

    def _reported(self, verb: Token) -> Quote | None:
        # a content clause nested in another report is part of that one: "said they believed …"
        if verb.dep_ == "ccomp" and verb.head.lemma_ in REPORTING_VERBS and verb.head.pos_ == "VERB" \
                and verb.i > verb.head.i and self.paragraph_of(verb.head.idx) == self.paragraph_of(verb.idx) \
                or verb.i in self.direct_cues:
            return None
        clauses = [c for c in verb.children if c.dep_ == "ccomp" and c.i != verb.i]
        # the clause after the verb when the parse gave it two ("… than Mr. Trump — 60 percent said Mrs. …")
        clause = next((c for c in clauses if c.i > verb.i), clauses[0] if clauses else None)
        if clause is not None:
            tokens = list(clause.subtree)
            if any(t.i == verb.i for t in tokens):
                return None
            tokens = _own_report(tokens, clause, verb)
            while tokens and (tokens[-1].dep_ == "cc" or tokens[-1].is_punct):
                tokens = tokens[:-1]  # "…, and" left by a second report
        elif verb.dep_ in ("parataxis", "ccomp", "advcl") and (verb.i > verb.head.i and self._trails(verb)
                                                                or self._interposed(verb)) \
                and self.resolver.subject_of(verb) is not None and verb.head.pos_ in ("VERB", "AUX"):
            # trailing attribution parsed under the clause it reports: "…, the two officials said."
            own = {t.i for t in verb.subtree}
            head = verb.head
            while head.dep_ == "conj" and head.head.i < head.i:
                head = head.head  # "…, but the NYPD overruled that request, the source added."
            # "Too often, Mr. Clarke said, the debate is …": the longer side of the attribution
            tokens = _longest_run([t for t in self._clip(head.subtree, verb) if t.i not in own])
            subject = self.resolver.subject_of(verb)
            if tokens and subject is not None and tokens[0].i <= subject.start and subject.end - 1 <= tokens[-1].i:
                return None  # "Trump won Virginia, saying …": the speaker's own deed is not what he said
        elif verb.lemma_ in INTENTION_VERBS:
            # "vowed to destroy Hamas", "urged Congress to act": the intention is the content
            clause = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i), None)
            if clause is None:
                return None
            tokens = [t for c in verb.children if c.i > verb.i and c.dep_ in ("dobj", "xcomp") for t in c.subtree]
            tokens = _own_report(tokens, clause, verb)  # "urged X to act and proposed …": two statements
        elif verb.lemma_ in ("say", "answer", "reply") and verb.i + 1 < len(self.doc) \
                and self.doc[verb.i + 1].lower_ in _ONE_WORD_ANSWERS and self.doc[verb.i + 1].head.i == verb.i:
            # "75 percent said yes", "he said so": a one-word statement is still a statement
            subject = self.resolver.subject_of(verb)
            if subject is None:
                return None
            word = self.doc[verb.i + 1]
            return self.quote_record("indirect", word.idx, word.idx + len(word), word.text, verb, subject, verb.sent)
        else:
            return None
        tokens = _strip_edges(self._clip(tokens, verb))
        if not tokens:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        if not self._content_ok(start, end):
            return None
        text = re.sub(r"^that\s+", "", self.text[start:end], flags=re.I)
        return self.quote_record("indirect", start, end, text, verb, self.resolver.subject_of(verb), verb.sent)

    def _according(self, token: Token) -> Quote | None:
        to = next((c for c in token.children if c.lower_ == "to"), None)
        if to is None and token.i + 1 < len(self.doc) and self.doc[token.i + 1].lower_ == "to":
            to = self.doc[token.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if pobj is None:
            return None
        sent = token.sent
        phrase = {t.i for t in token.subtree} | {t.i for t in to.subtree}
        first, last = min(phrase), max(phrase)
        before = _strip_edges(self._clip([t for t in sent if t.i < first], token))
        after = _strip_edges(self._clip([t for t in sent if t.i > last], token))
        tokens = before if len(before) >= len(after) else after
        if not tokens:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        if not self._content_ok(start, end):
            return None
        speaker_span = self.resolver.noun_phrase(pobj)
        return self.quote_record("indirect", start, end, self.text[start:end], [token, to], speaker_span, sent)


_CHANNEL_NOUNS = frozenset("""statement interview speech conference briefing show broadcast letter remarks remark tweet
post message op-ed column video appearance address hearing podcast program programme call email e-mail
release communique communiqué declaration testimony session meeting rally sermon""".split())


def _channel(verb: Token) -> str | None:
    """Where a statement was made: "in a statement", "on one talk show", or whom it was told to."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "on", "during", "at", "via", "through"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and (pobj.lemma_.lower() in _CHANNEL_NOUNS or pobj.lower_ in _CHANNEL_NOUNS):
                return verb.doc[child.i:child.right_edge.i + 1].text
    if verb.lemma_ == "tell":
        for child in verb.children:
            if child.dep_ in ("dative", "dobj", "iobj") and child.pos_ in ("NOUN", "PROPN"):
                tokens = [t for t in child.subtree if t.dep_ not in ("relcl",)]
                keep = [t for t in tokens if t.i <= child.i or t.dep_ in ("compound", "flat")]
                return verb.doc[keep[0].i:keep[-1].i + 1].text if keep else child.text
    return None


_ONE_WORD_ANSWERS = frozenset("yes no so".split())
_REPORTING_FORMS = frozenset("said says told tells added adds asked asks wrote writes noted notes continued".split())


def _reports(token: Token) -> bool:
    """A reporting verb, also when the tagger took a capitalised "Said" for a name."""
    return token.lemma_.lower() in REPORTING_VERBS and _is_verb(token) or token.lower_ in _REPORTING_FORMS


def _is_verb(token: Token) -> bool:
    return token.pos_ == "VERB" or token.tag_.startswith("VB") and token.pos_ != "AUX"


def _names_a_medium(span: Span, cue: Token) -> bool:
    """The quoted words sit in the cue's "on …"/"in …" phrase: the title of where it was said."""
    for child in cue.children:
        if child.dep_ == "prep" and child.lower_ in ("on", "in", "to") and child.i < span.start \
                and child.right_edge.i >= span.end - 1:
            return True
    return False


def _own_report(tokens: list[Token], clause: Token, verb: Token) -> list[Token]:
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


def _longest_run(tokens: list[Token]) -> list[Token]:
    """The longest stretch of consecutive tokens (punctuation may bridge a gap of one)."""
    runs: list[list[Token]] = []
    for token in sorted(tokens, key=lambda t: t.i):
        if runs and token.i == runs[-1][-1].i + 1:
            runs[-1].append(token)
        else:
            runs.append([token])
    runs = [_strip_edges(run) for run in runs]
    return max(runs, key=lambda run: sum(len(t.text_with_ws) for t in run), default=[])


def _strip_edges(tokens: list[Token]) -> list[Token]:
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


@extractor("quotes", requires=("actors", "timexes"), assigns=("quotes",))
def find_quotes(ctx: Context) -> None:
    from .attributions import find_attributions  # it reuses this module's finder and helpers

    finder = _Finder(ctx)
    statements = [*finder.direct(), *finder.transcript(), *finder.indirect()]
    statements += finder.headline(statements)
    ctx.found.quotes = sorted([*statements, *find_attributions(finder, statements)], key=lambda q: (q.start, q.kind))
