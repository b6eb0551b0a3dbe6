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


def test_side_caches_share_one_signature_per_profile():
    """Every cached side lookup keys on the same tuple, not on a fresh copy per call."""
    from dealtrace.extract.sides import _profile_signature
    from dealtrace.profile import profile_from_dict

    first = profile_from_dict({"sides": [{"name": "Norland", "aliases": ["Norlanders"]}]})
    again = profile_from_dict({"sides": [{"name": "Norland", "aliases": ["Norlanders"]}]})
    assert _profile_signature(first) is _profile_signature(again) is _profile_signature(first)
    other = profile_from_dict({"sides": [{"name": "Sudria"}]})
    assert _profile_signature(other) != _profile_signature(first)
