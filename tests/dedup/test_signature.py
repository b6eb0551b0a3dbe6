import textwrap

import numpy as np
from datasketch import MinHash

from dealtrace.dedup.signature import minhash_rows, shingle_hashes, sign, topic_terms, word_hashes

from .texts import article


def test_sign_rewrapped_lines_same_shingles():
    body = article(1)
    wrapped = "\n".join(textwrap.fill(p, 60) for p in body.split("\n\n"))
    assert np.array_equal(sign("a", body).shingles, sign("b", wrapped).shingles)


def test_sign_junk_lines_add_no_shingles_and_count_as_junk():
    body = article(2)
    junky = "Share this article\nAdvertisement\n" + body + "\nLeave a Reply\nYour email address will not be published."
    plain, dirty = sign("a", body), sign("b", junky)
    assert np.array_equal(plain.shingles, dirty.shingles)
    assert (plain.junk, dirty.junk) == (0, 4)
    assert plain.clean == dirty.clean


def test_sign_text_without_spaces_has_character_words():
    body = "交渉は火曜日に再開された。双方は賃金について合意した。"
    assert sign("a", body).size == len("交渉は火曜日に再開された双方は賃金について合意した") - 4


def test_shingle_hashes_stable_across_processes():
    """Stored indexes are compared with signatures made later: the hashes must never change."""
    hashes = shingle_hashes(word_hashes("the talks resumed on tuesday in the capital".split()))
    assert hashes.dtype == np.uint32 and hashes.size == 4
    assert hashes[0] == shingle_hashes(word_hashes("the talks resumed on tuesday".split()))[0]
    assert int(hashes[0]) == 3468627116


def test_word_hashes_survive_the_cache_being_emptied(monkeypatch):
    """Past its bound the cache is emptied: words it held before must be hashed again, not looked up."""
    from dealtrace.dedup import signature

    words = "the talks resumed on tuesday".split()
    expected = word_hashes(words)
    monkeypatch.setattr(signature, "WORD_CACHE", 6)
    monkeypatch.setattr(signature, "_word_cache", {})
    word_hashes(words)  # five words cached
    more = word_hashes(["in", "the", "capital"])  # two new ones would make seven: emptied first
    assert more[1] == expected[0]
    assert set(signature._word_cache) == {"in", "the", "capital"}


def test_minhash_rows_match_datasketch():
    template = MinHash(num_perm=16, seed=3, hashfunc=int)
    sets = [np.array([5, 9, 4_000_000_000], dtype=np.uint32), np.zeros(0, dtype=np.uint32)]
    rows = minhash_rows(sets, template.permutations)
    expected = template.copy()
    expected.update_batch(sets[0])
    assert np.array_equal(rows[0], expected.hashvalues)
    assert np.array_equal(rows[1], template.hashvalues)


def test_topic_terms_skip_function_words_and_favour_names():
    body = "The union said the offer was low. Kestrel said the union would strike. The offer stands, Kestrel said."
    terms = topic_terms(body)
    assert terms[0] == "kestrel"
    assert "the" not in terms and "said" not in terms

