"""Plain-text cleaning: the body keeps the prose and the dek; metadata lines leave it."""

import pytest

from dealtrace.ingest.clean import clean_text, parse_byline, parse_contributors, parse_dateline

ARTICLE = """Harbour workers and port owners agree to resume talks

Owners want a four-year contract. Workers want a two-year one.

By Ana Lopez and Tom Reed, Example Wire

PORT TOWN, Freedonia — Negotiators for the dock workers' union and the port owners agreed on Monday to return to the table next week, ending a month-long standoff.

The union's chief negotiator, Maria Stone, said the owners had "finally listened" to the demand for a wage increase of 6 percent.

Advertisement

Sign up for our newsletter to get the latest updates.

Owners said in a statement that they were ready to discuss pensions but not staffing levels.

Lena Park contributed reporting from Capital City.
This article originally appeared in Example Wire.
© 2025 Example Wire. All rights reserved.
"""


def test_clean_text_keeps_prose_and_dek():
    cleaned = clean_text(ARTICLE)
    assert "Owners want a four-year contract. Workers want a two-year one." in cleaned.body
    assert "Negotiators for the dock workers' union" in cleaned.body
    assert "ready to discuss pensions" in cleaned.body


@pytest.mark.parametrize("junk", ["Advertisement", "Sign up for our newsletter", "Lena Park contributed",
                                  "originally appeared", "All rights reserved", "By Ana Lopez",
                                  "Harbour workers and port owners agree", "PORT TOWN"])
def test_clean_text_drops_chrome_and_metadata_lines(junk):
    assert junk not in clean_text(ARTICLE).body


@pytest.mark.parametrize("dash", ["―", "—", "-"])
def test_clean_text_keeps_a_quote_signed_with_a_dash(dash):
    # readers' or delegates' voices in a row, each signed with a name: prose, though no line ends a sentence
    text = ("Delegates spoke after the vote on Friday in the city.\n\n"
            f"“The strike has gone on far too long for all of us.” {dash}\u00a0Carla Sanchez\n\n"
            "Others disagreed with that view.\n")
    assert "Carla Sanchez" in clean_text(text).body


def test_clean_text_keeps_a_lead_in_that_a_colon_ends_before_a_quoted_paragraph():
    text = ("Delegates spoke after the vote on Friday in the city.\n\n"
            "The union's leader Dana Kell stated:\n\n"
            "\"The offer on the table is not one we can accept, and we will keep striking.\"\n\n"
            "Read more:\n\n"
            "Others disagreed with that view on Saturday.\n")
    body = clean_text(text).body
    assert "Dana Kell stated:" in body and "Read more" not in body


def test_clean_text_moves_metadata_out_of_the_body():
    cleaned = clean_text(ARTICLE)
    assert cleaned.authors == ["Ana Lopez", "Tom Reed"]
    assert cleaned.outlet_tag == "Example Wire"
    assert cleaned.contributors == ["Lena Park"]
    assert cleaned.dateline == "PORT TOWN"
    assert cleaned.title == "Harbour workers and port owners agree to resume talks"
    assert any("originally appeared" in note for note in cleaned.notes)
    assert cleaned.body.startswith("Negotiators") is False  # the dek comes first
    assert cleaned.body.startswith("Owners want")


def test_clean_text_offsets_map_body_back_to_raw_text_exactly():
    raw = "By Jo Bloggs\n\n  DOHA, Qatar — Talks resumed on Tuesday, officials said.\n\nThe café was full.\n"
    cleaned = clean_text(raw)
    assert cleaned.body == "Talks resumed on Tuesday, officials said.\n\nThe café was full."
    for start, raw_start, length in cleaned.offset_map:
        assert raw[raw_start:raw_start + length] == cleaned.body[start:start + length]


def test_clean_text_offsets_survive_mojibake_repair():
    raw = "The minister said the talks were â€œproductiveâ€\x9d on Monday, aides said.\n"
    cleaned = clean_text(raw)
    assert "“productive”" in cleaned.body
    start = cleaned.body.index("on Monday")
    run = next(r for r in cleaned.offset_map if r[0] <= start < r[0] + r[2])
    assert raw[run[1] + start - run[0]:].startswith("on Monday")


@pytest.mark.parametrize("line, names, tag", [
    ("By Ronen Bergman, Adam Rasgon and Julian E. Barnes New York Times",
     ["Ronen Bergman", "Adam Rasgon", "Julian E. Barnes"], "New York Times"),
    ("By Daniel Whitcombe, Coastal Wire Service", ["Daniel Whitcombe"], "Coastal Wire Service"),
    ("By Ines Carbury and Daniel Whitcombe (CWS)", ["Ines Carbury", "Daniel Whitcombe"], "CWS"),
    ("By Maria Garcia | Staff Writer", ["Maria Garcia"], None),
    ("By Jo Bloggs, Staff Writer (AP)", ["Jo Bloggs"], "AP"),
])
def test_parse_byline_splits_names_and_outlet_tag(line, names, tag):
    assert parse_byline(line) == (names, tag)


@pytest.mark.parametrize("line", ["By the way, this is prose.", "By Monday the talks had stalled, aides said."])
def test_parse_byline_rejects_prose(line):
    assert parse_byline(line) is None


def test_parse_contributors_reads_every_name():
    line = "Isabel Kershner contributed reporting from Jerusalem, and Vivian Yee and Emad Mekay from Cairo."
    assert parse_contributors(line) == ["Isabel Kershner", "Vivian Yee", "Emad Mekay"]


@pytest.mark.parametrize("text, place, tag", [
    ("TEL AVIV, Israel – Mediators met.", "TEL AVIV", None),
    ("DOHA, Qatar — Mediators met.", "DOHA", None),
    ("KESTREL CITY (CWS) — Mediators met.", "KESTREL CITY", "CWS"),
    ("GENEVA, March 3 (Reuters) - Mediators met.", "GENEVA", "Reuters"),
])
def test_parse_dateline_finds_place_and_agency(text, place, tag):
    found = parse_dateline(text)
    assert found and found[:2] == (place, tag) and text[found[2]:] == "Mediators met."


def test_parse_dateline_ignores_ordinary_sentence():
    assert parse_dateline("The talks — long delayed — resumed.") is None


def test_clean_text_keeps_subheading_inside_prose():
    raw = ("The union rejected the offer on Monday, its leader said.\n\nWhat comes next\n\n"
           "Both sides will meet again on Friday, officials said.\n")
    assert "What comes next" in clean_text(raw).body


def test_clean_text_drops_reader_address_in_footer():
    raw = "The union rejected the offer on Monday, its leader said.\n\nYou have reached your limit of free stories.\n"
    assert "limit" not in clean_text(raw).body


def test_clean_text_keeps_quoted_you():
    raw = "\"You cannot negotiate with a gun to your head,\" the union leader said.\n"
    assert "gun to your head" in clean_text(raw).body


def test_clean_text_drops_corpus_boilerplate_lines():
    raw = "Example Times app: news on the go.\n\nThe union rejected the offer on Monday, its leader said.\n"
    cleaned = clean_text(raw, boilerplate=frozenset({"example times app: news on the go."}))
    assert cleaned.body == "The union rejected the offer on Monday, its leader said."


def test_clean_text_date_line_becomes_date_text():
    raw = "Published March 4, 2025\n\nThe union rejected the offer on Monday, its leader said.\n"
    assert clean_text(raw).date_text == "March 4, 2025"


WRAPPED = """By Jo Bloggs

GENEVA -- Negotiators for the union and the employers met on
Tuesday and agreed to resume talks next week, officials said,
after a month in which neither side
would move on pay.

The union wants a raise of 6 percent over two years and
better pensions for its members, its leader said
on Monday evening.
"""


def test_clean_text_joins_hard_wrapped_paragraphs():
    cleaned = clean_text(WRAPPED)
    paragraphs = cleaned.body.split("\n\n")
    assert len(paragraphs) == 2 and paragraphs[0].startswith("Negotiators") and "met on Tuesday" in paragraphs[0]
    assert cleaned.dateline == "GENEVA" and cleaned.authors == ["Jo Bloggs"]
    for start, raw_start, length in cleaned.offset_map:
        assert WRAPPED[raw_start:raw_start + length] == cleaned.body[start:start + length]


def test_clean_text_offsets_on_a_long_repaired_line():
    raw = "The minister said " + "talks went on, " * 500 + "and were â€œproductiveâ€\x9d on Monday, aides said.\n"
    cleaned = clean_text(raw)
    assert "“productive”" in cleaned.body
    for start, raw_start, length in cleaned.offset_map:
        assert raw[raw_start:raw_start + length] == cleaned.body[start:start + length]
    assert cleaned.body.endswith(raw[cleaned.offset_map[-1][1]:].rstrip("\n"))
