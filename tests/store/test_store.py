from dealtrace.model import Extraction, Report, Source
from dealtrace.store import Store, store_url


def _report(report_id="r1", file="a.txt", body="Body text.") -> Report:
    return Report(id=report_id, file=file, source=file, raw_text=body, body=body,
                  sources=[Source(report=report_id, file=file, outlet="Outlet " + file)])


def test_store_url_accepts_paths_and_urls(tmp_path):
    assert store_url(tmp_path / "x.db").startswith("sqlite:///")
    assert store_url("postgresql://u@localhost/db").startswith("postgresql+psycopg://")


def test_store_add_report_is_idempotent(store_db):
    store = Store(store_db)
    assert store.add_report(_report(), Extraction(report="r1"), b"doc", "nlp") is True
    assert store.add_report(_report(), Extraction(report="r1"), b"doc", "nlp") is False
    assert store.count_reports() == 1
    assert len(list(store.extractions())) == 1
    assert store.parse("r1", "nlp") == b"doc"


def test_store_same_body_from_another_file_adds_a_source(store_db):
    store = Store(store_db)
    store.add_report(_report())
    store.add_report(_report(file="b.txt"))
    (report,) = store.reports()
    assert [s.file for s in report.sources] == ["a.txt", "b.txt"]


def test_store_reopens_existing_schema(store_db):
    Store(store_db).add_report(_report())
    assert Store(store_db).count_reports() == 1


def test_store_records_filter_and_paginate(store_db):
    store = Store(store_db)
    rows = [{"id": f"q{i}", "side": "A" if i % 2 else "B", "text": f"quote {i}", "date": f"2024-01-{i + 1:02d}",
             "data": {"n": i}} for i in range(10)]
    store.replace_records("quote", rows)
    assert [r["n"] for r in store.records("quote", side="A")] == [1, 3, 5, 7, 9]
    assert [r["n"] for r in store.records("quote", limit=3, offset=2)] == [2, 3, 4]
    assert [r["n"] for r in store.records("quote", date_from="2024-01-09")] == [8, 9]
    assert [r["n"] for r in store.records("quote", text="quote 7")] == [7]
    store.replace_records("quote", rows[:2])
    assert store.count_records("quote") == 2


def test_store_blobs_replace_values(store_db):
    store = Store(store_db)
    store.put_blob("ns", "k", b"1")
    store.put_blob("ns", "k", b"2")
    assert store.get_blob("ns", "k") == b"2"
    assert dict(store.iter_blobs("ns")) == {"k": b"2"}
    assert store.get_blob("ns", "missing") is None


def test_store_report_metadata_is_the_reports_without_their_texts(store_db):
    store = Store(store_db)
    store.add_report(_report("r1", "a.txt", "First body."))
    store.add_report(_report("r2", "b.txt", "Second body."))
    for full, light in zip(store.reports(), store.report_metadata(), strict=True):
        assert (light.raw_text, light.body, light.offset_map) == ("", "", [])
        full.raw_text, full.body, full.offset_map = "", "", []
        assert light == full


def test_store_bodies_reads_only_the_reports_asked_for(store_db):
    store = Store(store_db)
    store.add_report(_report("r1", "a.txt", "First body."))
    store.add_report(_report("r2", "b.txt", "Second body."))
    assert list(store.bodies({"r2", "missing"})) == [("r2", "Second body.")]
    assert list(store.bodies(set())) == []


def test_store_extraction_parts_read_only_the_named_parts(store_db):
    from dealtrace.model import Figure, Timex
    from dealtrace.store import schema

    store = Store(store_db)
    timex = Timex(id="t", report="r1", file="a.txt", text="Monday", start=0, end=6, value="2024-01-01")
    store.add_report(_report(), Extraction(report="r1", timexes=[timex], figures=[Figure(id="f", report="r1",
                                                                                         file="a.txt", value=3.0)]))
    with store.engine.begin() as connection:  # an extraction stored before `issues` existed
        connection.execute(schema.extractions.insert().values(report_id="r0", data={"report": "r0", "timexes": []}))
    parts = list(store.extraction_parts("timexes", "issues"))
    assert parts[0] == ("r0", {"timexes": []})
    assert parts[1][0] == "r1" and set(parts[1][1]) == {"timexes", "issues"}
    assert parts[1][1]["timexes"][0]["value"] == "2024-01-01" and parts[1][1]["issues"] == []


def test_store_stream_records_equals_replace_records(store_db):
    store = Store(store_db)
    rows = [{"id": f"q{i}", "text": f"quote {i}", "data": {"n": i}} for i in range(2500)]
    store.replace_records("quote", rows[:5])
    assert store.stream_records("quote", iter(rows)) == 2500
    streamed = store.records("quote")
    store.replace_records("quote", rows)
    assert streamed == store.records("quote") == [{"n": i} for i in range(2500)]
    assert store.stream_records("quote", iter([])) == 0 and store.count_records("quote") == 0


def test_actors_in_report_finds_mentions_however_the_row_was_written(store_db):
    """Actor rows are written by json.dumps or, compact, from SQLite's json_each (`JSONText`)."""
    from dealtrace.store import JSONText
    from dealtrace.web.queries import actors_in_report

    store = Store(store_db)
    mention = {"report": "r1%_", "start": 0, "end": 4}
    store.replace_records("actor", [
        {"id": "a", "data": {"name": "Alpha", "mentions": [mention]}},
        {"id": "b", "data": JSONText('{"name":"Beta","mentions":[{"report":"r1%_","start":5,"end":9}]}')},
        {"id": "c", "data": {"name": "Gamma", "mentions": [{**mention, "report": "r1xy"}], "note": "r1%"}},
    ])
    assert sorted(a["name"] for a in actors_in_report(store, "r1%_")) == ["Alpha", "Beta"]
    assert actors_in_report(store, "r2") == []
