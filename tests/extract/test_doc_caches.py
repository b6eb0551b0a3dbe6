"""Per-Doc caches must not keep Docs alive: ingest parses millions of them in one process."""

import gc

from dealtrace.extract import common


def test_noun_chunks_and_text_caches_free_their_doc(nlp):
    doc = nlp("The mediators said the new draft would reach both delegations on Monday.")
    first = [(c.start, c.end, c.label_) for c in common.noun_chunks(doc)]
    again = [(c.start, c.end, c.label_) for c in common.noun_chunks(doc)]
    assert first == again and first and all(label == "NP" for *_, label in first)
    assert common.doc_text(doc) == doc.text
    kept = len(common._CHUNKS), len(common._TEXTS)
    del doc
    gc.collect()
    assert (len(common._CHUNKS), len(common._TEXTS)) == (kept[0] - 1, kept[1] - 1)
