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

from spacy.tokens import Doc, Span, Token

from ..model import Cue, Quote, Report, record_id
from . import Context, extractor
from .marks import Marked, is_title, quote_marks, quote_text, trim
from .reporting import (CHANNEL_NOUNS, FRAME_ONLY_VERBS, INTENTION_VERBS, LABELLING_VERBS, NOT_SPEAKERS, OBJECT_CUES,
                        REPORTING_VERBS, channel_of, comma_conjunct, longest_run, names_a_medium, own_report,
                        past_relative, is_reporting, strip_edges, with_clause_tail, without_trailing_aside)
from .speakers import SpeakerResolver
from .unvoiced import voice_unvoiced

__all__ = ["find_quotes", "quote_marks", "REPORTING_VERBS", "LABELLING_VERBS"]

_SENTENCE_END = {".", "!", "?"}
_ONE_WORD_ANSWERS = frozenset("yes no so".split())
# What a clause "in" one of these reports: "In the latest poll, Trump leads by nine points."
_POLL_NOUNS = frozenset("poll survey".split())
# Verbs whose "if"/"whether" clause is the question (PolNeAR train: 9 more attributions, 7 more matched)
_ASKING_VERBS = frozenset("ask wonder question inquire".split())


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
                     channel=channel_of(verb) if verb is not None else None,
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
        previous: tuple[Marked, Quote, Token | None] | None = None
        for m in self.marked:
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            start, end = trim(self.text, m.start, m.end)
            text = quote_text(self.text[start:end])
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
                labelled = self._name_label(m) or self._name_before_colon(m)
                if labelled is not None:  # Carl Bialik: “…” / … asked pollster Daron Shaw: “…”
                    colon, name = labelled
                    quote = self.quote_record("direct", start, end, text, colon, name, span[0].sent)
                    quotes.append(quote)
                    previous = (m, quote, colon[0])
                    continue
                cue = self._frame_verb(m, span)  # Trump barked, “…” / “…,” Hillary shot back.
            if embedded and cue is not None and names_a_medium(span, cue):
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

    def _according_before(self, m: Marked, span: Span) -> tuple[list[Token], Span] | None:
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

    def _dash_name(self, m: Marked) -> tuple[Token, Span] | None:
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
            if token.is_space and not name and "\n" not in token.text:
                continue  # a no-break space after the dash is a token of its own
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
            if name.lower() in NOT_SPEAKERS or len(content.split()) < 3:
                continue
            name_span = self.doc.char_span(found.start(1), found.end(1), alignment_mode="expand")
            colon = self.doc.char_span(found.end(1), found.end(1) + 1, alignment_mode="expand")
            if name_span is None or colon is None or not all(t.pos_ == "PROPN" or t.is_upper for t in name_span):
                continue
            start, end = trim(self.text, found.start(2), found.end(2))
            if any(self.inside[t.i] for t in name_span):
                continue
            kind = "direct" if name.isupper() else "indirect"  # transcripts capitalise; headlines paraphrase
            quotes.append(self.quote_record(kind, start, end, quote_text(self.text[start:end]),
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
                or re.sub(r"^the ", "", found.group(1).lower()) in NOT_SPEAKERS:  # "The Latest: …" is a label
            return []
        name = self.doc.char_span(found.start(1), found.end(1), alignment_mode="expand")
        cue = self.doc.char_span(found.end(1), found.start(found.lastindex), alignment_mode="expand")
        if name is None or cue is None or len(name) > 8 or found is label and any(
                t.pos_ in ("VERB", "AUX", "NUM") or t.ent_type_ in ("LOC", "DATE", "TIME") for t in name):
            return []  # "Last Monday: …", "Update 2: …" are dates and labels, not speakers
        cue_tokens = [t for t in cue if not t.is_space]
        start, end = trim(self.text, found.start(found.lastindex), found.end(found.lastindex))
        text = quote_text(self.text[start:end])
        return [self.quote_record("indirect", start, end, text, cue_tokens, name, name[0].sent)]

    def _follows(self, before: Marked, after: Marked) -> bool:
        """`after` is the next paragraph, made only of a quote: the same speaker goes on (also after the
        frame that closed the paragraph before: “…,” Espinoza said Friday.¶“I am …”)."""
        gap = self.text[before.close_at:after.open_at]
        if gap.count("\n") == 0 or gap.split("\n", 1)[1].strip():
            return False
        tail = self.text[after.close_at:].split("\n", 1)[0]
        return not tail.strip(" .")

    def _embedded(self, m: Marked, span: Span) -> bool:
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

    def _direct_cue(self, m: Marked, span: Span, previous: Marked | None) -> Token | None:
        inside = set(range(span.start, span.end))
        verbs = REPORTING_VERBS | LABELLING_VERBS
        # 1. the reporting verb the quote hangs from: the outermost one, since quoted words are the
        #    words of whoever uttered the whole sentence ("X said most people believe “…”"), but
        #    not beyond a relative or adverbial clause ("the plan, which critics called “…”, …")
        sent_start = span[0].sent.start
        # the quote's own paragraphs: a parse that ran over a paragraph break stops there
        first, last = self.paragraph_of(m.open_at), self.paragraph_of(max(m.close_at - 1, m.open_at))
        for token in span:
            if token.head.i in inside:
                continue
            found = None
            for ancestor in [token.head, *token.head.ancestors]:
                if self.inside[ancestor.i] or ancestor.sent.start != sent_start \
                        or not first <= self.paragraph_of(ancestor.idx) <= last:
                    break
                if ancestor.pos_ in ("VERB", "AUX") and ancestor.lemma_ in verbs:
                    found = ancestor
                # nor beyond a clause of its own: "…, while the Front rejected the plan, calling it “…”"
                if ancestor.dep_ in ("relcl", "acl", "advcl", "conj", "parataxis") and found is not None \
                        and not (ancestor.dep_ == "acl" and ancestor.head.lemma_ in CHANNEL_NOUNS):
                    break  # (but "said in a statement that …" is the statement's content, misparsed as acl)
            if found is not None:
                return found
        # 2. a reporting verb hanging from the quote: “…,” he said, parsed the other way round
        hanging = [child for token in span for child in token.children if child.i not in inside
                   and not self.inside[child.i] and child.lemma_ in REPORTING_VERBS and child.pos_ == "VERB"
                   and first <= self.paragraph_of(child.idx) <= last]
        if hanging:  # the nearest: "Asked what …, Adelson said, “…”" is Adelson's answer
            return min(hanging, key=lambda c: span.start - c.i if c.i < span.start else c.i - span.end)
        # 3. the frame after the quote, to the end of its sentence (in the paragraph the quote closes in)
        closing = self.paragraph_of(max(m.close_at - 1, m.start))
        i = span.end
        while i < len(self.doc):
            token = self.doc[i]
            if self.inside[token.i] and token.idx >= m.close_at or self.paragraph_of(token.idx) != closing:
                break
            if token.idx >= m.close_at and is_reporting(token):
                return token
            if token.text in _SENTENCE_END and token.idx >= m.close_at:
                break
            i += 1
        inverted = self._inverted_frame(m, span)
        if inverted is not None:  # “This is fantastic!” beamed Donald Hartley / “…,” read one sign
            return inverted
        # 4. the frame before it, back to its sentence start or the previous quote
        paragraph = self.paragraph_of(m.start)
        floor = span[0].sent.start
        if previous is not None:
            prev_span = self.doc.char_span(previous.open_at, previous.close_at, alignment_mode="expand")
            if prev_span is not None:
                floor = max(floor, prev_span.end)
        for token in reversed(self.doc[floor:span.start]):
            if token.idx >= m.open_at:
                continue  # the opening mark itself
            if self.inside[token.i] or self.paragraph_of(token.idx) != paragraph:
                break
            if is_reporting(token):
                return token
        # 5. a sentence ending in a colon right before the quote: "The letter reads:" / "He continued:"
        colon = self._mark_before(m, ":")
        if colon is not None:
            if self._name_before_colon(m) is not None:
                return None  # "… would not surprise pollster Daron Shaw: “…”": the name speaks
            sent = colon.sent
            # "As Pollak observed, the winner was the stage itself:": the reporting verb, not the root
            verb = next((t for t in sent if not self.inside[t.i] and is_reporting(t)
                         and self.resolver.subject_of(t) is not None), None)
            if verb is not None:
                return verb
            root = sent.root
            if root.pos_ in ("VERB", "AUX") and not self.inside[root.i]:
                return root
            # the parse ran the lead-in and the quote into one sentence rooted inside the quote: "the Daily News
            # focuses on how many …: “…”" takes the last verb before the colon that has a subject
            return next((t for t in reversed(self.doc[sent.start:colon.i]) if not self.inside[t.i]
                         and self._finite_with_subject(t)), None)
        return self._comma_lead_in(m)

    def _comma_lead_in(self, m: Marked) -> Token | None:
        """A sentence-long quote after a comma the parse ran its lead-in into ("the mayor shared her worry with
        donors, “I do not know …”"): the last finite verb before the comma that has a subject (PolNeAR train: 6
        more attributions, 10 more matched; a title after the comma is no statement)."""
        comma = self._mark_before(m, ",")
        if comma is None or not self.text[m.start:m.end].strip()[:1].isupper() or is_title(self.text[m.start:m.end]):
            return None
        paragraph = self.paragraph_of(comma.idx)
        for token in reversed(self.doc[comma.sent.start:comma.i]):
            if self.inside[token.i] or self.paragraph_of(token.idx) != paragraph:
                return None
            if self._finite_with_subject(token):
                return token
        return None

    def _finite_with_subject(self, token: Token) -> bool:
        """A finite verb with a subject: what a lead-in the parse ran into its quote reports with."""
        return token.pos_ == "VERB" and token.tag_ in ("VBD", "VBZ", "VBP") and self.resolver.subject_of(token) is not None

    def _inverted_frame(self, m: Marked, span: Span) -> Token | None:
        """A finite verb right after the closing mark with its speaker after it: “…,” beamed Donald Hartley."""
        i = span.end
        while i < len(self.doc) and (self.doc[i].idx < m.close_at or self.doc[i].is_punct or self.doc[i].is_space):
            i += 1
        verb = self.doc[i] if i < len(self.doc) else None
        if verb is None or self.inside[verb.i] or verb.pos_ != "VERB" or verb.tag_ not in ("VBD", "VBZ", "VBP", "VB") \
                or self.paragraph_of(verb.idx) != self.paragraph_of(max(m.close_at - 1, m.start)):
            return None
        speaker = self.resolver.subject_of(verb)
        return verb if speaker is not None and speaker.start > verb.i else None

    def _mark_before(self, m: Marked, mark: str) -> Token | None:
        """The `mark` (a colon or a comma) ending the text right before the quote's opening mark, outside any quote."""
        before = self.text[:m.open_at].rstrip()
        if not before.endswith(mark):
            return None
        found = self.doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
        return found[0] if found is not None and found[0].i > 0 and not self.inside[found[0].i] else None

    def _name_label(self, m: Marked) -> tuple[list[Token], Span] | None:
        """A paragraph that opens with a name and a colon before the quote: "Carl Bialik: “…”"."""
        paragraph_start = self.paragraph_starts[self.paragraph_of(m.open_at)]
        found = re.fullmatch(r"([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*| of| the){0,5})\s*:\s*", self.text[paragraph_start:m.open_at])
        if found is None or found.group(1).lower() in NOT_SPEAKERS:
            return None
        name = self.doc.char_span(paragraph_start, paragraph_start + len(found.group(1)), alignment_mode="expand")
        colon_at = paragraph_start + found.group(0).index(":")
        colon = self.doc.char_span(colon_at, colon_at + 1, alignment_mode="expand")
        if name is None or colon is None or any(t.pos_ in ("VERB", "AUX") for t in name):
            return None
        return list(colon), name

    def _name_before_colon(self, m: Marked) -> tuple[list[Token], Span] | None:
        """A person's name right before the colon that opens the quote: "… pollster Daron Shaw: “…”"."""
        colon = self._mark_before(m, ":")
        if colon is None:
            return None
        last = self.doc[colon.i - 1]
        if last.ent_type_ != "PERSON" or last.ent_iob_ == "O" or self.inside[last.i]:
            return None
        name = next((ent for ent in self.doc.ents if ent.start <= last.i < ent.end), None)
        if name is None or name.end != last.i + 1:
            return None
        return [colon], name

    def _frame_verb(self, m: Marked, span: Span) -> Token | None:
        """The verb of a frame with no reporting verb in it ("Trump barked, “…”", "“…,” Hillary shot
        back."): the sentence's root outside the marks, when it has a subject and no object of its own."""
        sent = span[0].sent
        root = sent.root
        if self.inside[root.i] or root.pos_ != "VERB" or self.paragraph_of(root.idx) != self.paragraph_of(m.open_at):
            return None
        if any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "acomp") and not self.inside[c.i] for c in root.children):
            return None  # "Trump won Idaho" next to a quote: a statement of fact, not a frame
        later = {t.i for c in root.children if c.dep_ in ("conj", "cc") and c.i > root.i for t in c.subtree}
        # "After the governor criticized …, Hillary shot back, “…”": the clause before is the occasion
        later |= {t.i for c in root.children if c.dep_ == "advcl" and c.i < root.i for t in c.subtree}
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
            elif token.lower_ == "in" and token.dep_ == "prep":
                quote = self._in_poll(token)
            elif token.pos_ == "VERB" and token.lemma_ in REPORTING_VERBS | INTENTION_VERBS \
                    and token.lemma_ not in FRAME_ONLY_VERBS:
                quote = self._reported(token)
            else:
                quote = None
            if quote is None and token.i in self.partial_cues and token.i not in self.direct_cues:
                # (a verb framing a whole quote has said it all: a scare quote in its frame adds no statement)
                quote = self._framed(token)
            elif quote is None and token.pos_ == "VERB" and token.lemma_ in OBJECT_CUES and token.i not in self.direct_cues:
                quote = self._object(token)
            if quote is not None:
                quotes.append(quote)
        return quotes

    def _object(self, verb: Token) -> Quote | None:
        """What a verb of saying says something about: "cited the poll", "called the plan a ploy",
        "accused the company of stalling". Needs a speaking subject and a noun-phrase object."""
        obj = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN", "PRON")), None)
        if obj is None or obj.i < verb.i:
            return None
        complements = [c for c in verb.children if c.i > obj.i and (c.dep_ in ("oprd", "xcomp", "ccomp")
                       or c.dep_ == "prep" and c.lower_ in ("as", "of", "for")
                       or c.dep_ == "advcl" and c.left_edge.lower_ == "as" and c.left_edge.i == obj.right_edge.i + 1)]
        if obj.pos_ == "PRON" and not complements:
            return None  # "accused him" alone says nothing; "accused him of stalling" does
        subject = self.resolver.subject_of(verb)
        if subject is None:
            return None
        last = max([obj.right_edge, *(c.right_edge for c in complements)], key=lambda t: t.i)
        tokens = without_trailing_aside(strip_edges(self._clip(list(self.doc[obj.left_edge.i:last.i + 1]), verb)))
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
        clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
        if clause is not None:  # "insisted that he has “…,” claiming that …": the next report is its own
            tokens = own_report(tokens, clause, verb)
        tokens = strip_edges(self._clip(tokens, verb))
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
        phrase = strip_edges(list(verb.subtree))
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
        if verb.lemma_ == "say" and (same := self._said_the_same(verb)) is not None:
            return same
        # a content clause nested in another report is part of that one: "said they believed …"
        if verb.dep_ == "ccomp" and verb.head.lemma_ in REPORTING_VERBS and verb.head.pos_ == "VERB" \
                and verb.i > verb.head.i and self.paragraph_of(verb.head.idx) == self.paragraph_of(verb.idx) \
                or verb.i in self.direct_cues:
            return None
        clauses = [c for c in verb.children if c.dep_ == "ccomp" and c.i != verb.i] or [
            c for c in verb.children if c.dep_ == "xcomp" and c.tag_ == "VBG" and c.i > verb.i
            and verb.lemma_ not in INTENTION_VERBS]  # "said legalizing it could put …": a gerund subject
        if not clauses and verb.lemma_ in _ASKING_VERBS:  # "asked the workers if …": the parse makes it adverbial
            clauses = [c for c in verb.children if c.dep_ == "advcl" and c.i > verb.i
                       and any(m.dep_ == "mark" and m.lower_ in ("if", "whether") for m in c.children)]
        # the clause after the verb when the parse gave it two ("… than Mr. Trump — 60 percent said Mrs. …")
        clause = next((c for c in clauses if c.i > verb.i), clauses[0] if clauses else None)
        if clause is not None:
            tokens = list(clause.subtree)
            if any(t.i == verb.i for t in tokens):
                return None
            if clause.i > verb.i:
                tokens = with_clause_tail(self._with_second_clause(tokens, verb, clause), verb, clause)
            tokens = own_report(past_relative(tokens, verb), clause, verb)
            while tokens and (tokens[-1].dep_ == "cc" or tokens[-1].is_punct):
                tokens = tokens[:-1]  # "…, and" left by a second report
        elif (verb.dep_ == "parataxis" or comma_conjunct(verb)) \
                and (verb.i > verb.head.i and self._trails(verb) or self._interposed(verb)) \
                and self.resolver.subject_of(verb) is not None and verb.head.pos_ in ("VERB", "AUX"):
            # trailing attribution parsed under the clause it reports: "…, the two officials said." Not an adverbial
            # or complement clause ("…, if they planned to vote", "… when she told the council to wait", "… what the
            # union has threatened to do"): on PolNeAR train those were 119 attributions, 9 right, and their verbs
            # are reports of their own (81 fewer attributions, 95 more matched)
            own = {t.i for t in verb.subtree}
            head = verb.head
            while head.dep_ == "conj" and head.head.i < head.i:
                head = head.head  # "…, but the NYPD overruled that request, the source added."
            # "Too often, Mr. Clarke said, the debate is …": the longer side of the attribution
            tokens = longest_run([t for t in self._clip(head.subtree, verb) if t.i not in own])
            subject = self.resolver.subject_of(verb)
            if tokens and subject is not None and tokens[0].i <= subject.start and subject.end - 1 <= tokens[-1].i:
                return None  # "Trump won Virginia, saying …": the speaker's own deed is not what he said
        elif verb.lemma_ in INTENTION_VERBS:
            # "vowed to destroy Hamas", "urged Congress to act": the intention is the content
            clause = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i), None)
            if clause is None:
                return None
            tokens = [t for c in verb.children if c.i > verb.i and c.dep_ in ("dobj", "xcomp") for t in c.subtree]
            tokens = own_report(tokens, clause, verb)  # "urged X to act and proposed …": two statements
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
        tokens = without_trailing_aside(strip_edges(self._clip(tokens, verb)))
        if not tokens:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        if not self._content_ok(start, end):
            return None
        text = re.sub(r"^that\s+", "", self.text[start:end], flags=re.I)
        return self.quote_record("indirect", start, end, text, verb, self.resolver.subject_of(verb), verb.sent)

    def _said_the_same(self, verb: Token) -> Quote | None:
        """ "three-quarters said the same of X": a statement by reference to the one before, its own attribution
        also where the parse nests it in that one (PolNeAR train: 8 new, 7 right)."""
        same = next((c for c in verb.children if c.i > verb.i and c.dep_ in ("dobj", "nsubj")
                     and c.lower_ == "same"), None)
        if same is None:
            return None
        subject = self.resolver.subject_of(verb)
        tokens = strip_edges(self._clip(list(same.subtree), verb))
        if subject is None or not tokens:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        return self.quote_record("indirect", start, end, self.text[start:end], verb, subject, verb.sent)

    def _with_second_clause(self, tokens: list[Token], verb: Token, clause: Token) -> list[Token]:
        """The content with a second "that" clause the parse conjoined to the verb rather than to the first
        ("said the city needs …, but that she would not …"): both are what was said (PolNeAR train: 8
        attributions changed, 5 more matched, none lost)."""
        for conj in verb.children:
            if conj.dep_ == "conj" and conj.i > clause.i and any(c.dep_ == "mark" and c.lower_ == "that"
                                                                 for c in conj.children):
                tokens = tokens + list(self.doc[tokens[-1].i + 1:conj.right_edge.i + 1])
        return tokens

    def _in_poll(self, prep: Token) -> Quote | None:
        """ "In the latest poll, Trump leads by 9 points": the clause is what the poll says, the poll its source.
        Only with the poll before its verb: "trails in the polls" says where, not who (PolNeAR train: taken
        anywhere, 76 more attributions and 22 more matched; before the verb, 11 more and 14 more matched)."""
        head = prep.head
        if head.i <= prep.i or head.pos_ not in ("VERB", "AUX"):
            return None  # (tested first: most "in" phrases follow their verb)
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is None or pobj.lemma_.lower() not in _POLL_NOUNS:
            return None
        phrase = {t.i for t in prep.subtree}
        tokens = longest_run([t for t in self._clip(head.subtree, prep) if t.i not in phrase])
        if not tokens:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        if not self._content_ok(start, end):
            return None
        return self.quote_record("indirect", start, end, self.text[start:end], [prep], self.resolver.noun_phrase(pobj),
                                 prep.sent)

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
        before = strip_edges(self._clip([t for t in sent if t.i < first], token))
        after = strip_edges(self._clip([t for t in sent if t.i > last], token))
        tokens = before if len(before) >= len(after) else after
        head = token.head
        if head.dep_ == "ROOT" and head.i < first and before and before[0].i <= head.i <= before[-1].i:
            tokens = before  # the phrase modifies the sentence's verb: its clause is what the source says,
        elif head.dep_ == "ROOT" and head.i > last and after and after[0].i <= head.i <= after[-1].i:
            tokens = after  # not the longer stretch ("…, according to a poll last week - about the same as …")
        if not tokens:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        if not self._content_ok(start, end):
            return None
        speaker_span = self.resolver.noun_phrase(pobj)
        return self.quote_record("indirect", start, end, self.text[start:end], [token, to], speaker_span, sent)


@extractor("quotes", requires=("actors", "timexes"), assigns=("quotes",))
def find_quotes(ctx: Context) -> None:
    from .attributions import find_attributions  # it reuses this module's finder and helpers

    finder = _Finder(ctx)
    statements = [*finder.direct(), *finder.transcript(), *finder.indirect()]
    statements += finder.headline(statements)
    voice_unvoiced(statements, finder.paragraph_of)
    statements = [q for q in statements if not _unattributed(q)]
    ctx.found.quotes = sorted([*statements, *find_attributions(finder, statements)], key=lambda q: (q.start, q.kind))


def _unattributed(quote: Quote) -> bool:
    """Words in marks with no cue, no speaker and nothing they go on from: a title, a slogan, a headline in
    quotes ("“Jane the Virgin” star …", “DIVISIVE, STUPID AND WRONG”), no one's statement (PolNeAR train: 1 of
    81 such quotes matched an attribution)."""
    return quote.kind == "direct" and quote.cue is None and quote.speaker.start is None and quote.speaker.name is None \
        and not quote.continues
