"""Paragraph breaks are sentence breaks: a spaCy component that fixes them before the parser runs.

News paragraphs end their sentences, but the statistical parser sometimes runs a sentence over the
break (a paragraph that closes on a quotation mark, a headline without a full stop), and then a
verb in one paragraph governs a clause in the next: the quote opening a paragraph got the previous
paragraph's "said". spaCy's parser keeps sentence starts that are set before it runs, so marking
the first token after every line break is enough.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IS_SPACE, ORTH, SENT_START
from spacy.errors import Errors
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["PARAGRAPHS", "mark_paragraph_starts"]

PARAGRAPHS = "dealtrace_paragraphs"


@Language.component(PARAGRAPHS)
def mark_paragraph_starts(doc: Doc) -> Doc:
    """Reads the Doc's arrays and writes the starts in one go: `Token.is_sent_start` rescans the Doc per token."""
    if len(doc) < 2:
        return doc
    columns = doc.to_array([IS_SPACE, ORTH, SENT_START])
    spaces = columns[:, 0].astype(bool)
    strings = doc.vocab.strings
    starts = [i + 1 for i in numpy.flatnonzero(spaces[:-1] & ~spaces[1:]).tolist() if "\n" in strings[columns[i, 1]]]
    if starts:
        if doc.has_annotation("DEP"):
            raise ValueError(Errors.E043)  # what the Token setter says: sentences come from the parse now
        sent_starts = columns[:, 2]
        sent_starts[starts] = 1
        doc.from_array([SENT_START], sent_starts)
    return doc
