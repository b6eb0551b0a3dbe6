"""Paragraph breaks are sentence breaks: a spaCy component that fixes them before the parser runs.

News paragraphs end their sentences, but the statistical parser sometimes runs a sentence over the
break (a paragraph that closes on a quotation mark, a headline without a full stop), and then a
verb in one paragraph governs a clause in the next: the quote opening a paragraph got the previous
paragraph's "said". spaCy's parser keeps sentence starts that are set before it runs, so marking
the first token after every line break is enough.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["PARAGRAPHS", "mark_paragraph_starts"]

PARAGRAPHS = "dealtrace_paragraphs"


@Language.component(PARAGRAPHS)
def mark_paragraph_starts(doc: Doc) -> Doc:
    for token in doc[1:]:
        before = doc[token.i - 1]
        if before.is_space and "\n" in before.text and not token.is_space:
            token.is_sent_start = True
    return doc
