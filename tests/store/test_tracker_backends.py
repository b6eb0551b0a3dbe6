"""The whole Tracker on each backend: same results, idempotent, concurrent-safe inserts."""

import dealtrace
from dealtrace.model import Extraction, Report, Source
from dealtrace.store import Store

TEXT = ("PORT ALDER — Envoys of Norland and Sudia met on Monday in Dunmore, officials said.\n\n"
        "“We are close,” said Ola Berg, the Norlandic foreign minister. Sudia rejected the plan on Tuesday.\n")
PROFILE = {"sides": [{"name": "Norland", "role": "party", "aliases": ["Norlandic"]},
                     {"name": "Sudia", "role": "party"}]}


def test_tracker_ingest_and_load_on_each_backend(store_db, tmp_path):
    from dealtrace.profile import profile_from_dict

    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "b.txt").write_text("Reposted.\n\n" + TEXT)
    tracker = dealtrace.Tracker(store_db)
    summary = tracker.ingest([tmp_path / "a.txt", tmp_path / "b.txt"], profile=profile_from_dict(PROFILE))
    assert summary.ingested + summary.unchanged == 2
    model = tracker.load()
    counts = {kind: tracker.store.count_records(kind) for kind in ("actor", "quote", "event")}
    again = tracker.ingest([tmp_path / "a.txt", tmp_path / "b.txt"])
    assert again.ingested == 0 and again.unchanged == 2
    assert counts == {kind: tracker.store.count_records(kind) for kind in ("actor", "quote", "event")}
    assert any(a.name == "Ola Berg" and a.side == "Norland" for a in model.actors)
    berg = next(a for a in model.actors if a.name == "Ola Berg")  # mentions are stored as SQLite wrote them
    assert [m.text for m in berg.mentions] == ["Ola Berg", "the Norlandic foreign minister"]
    assert all(m.report and m.end > m.start for m in berg.mentions)
    assert any(q.kind == "direct" and "close" in q.text for q in model.quotes)
    tracker.store.engine.dispose()


def test_store_two_connections_inserting_the_same_report_keep_one(store_db):
    first, second = Store(store_db), Store(store_db)
    report = Report(id="r", file="a.txt", source="a.txt", raw_text="x", body="x",
                    sources=[Source(report="r", file="a.txt")])
    results = [first.add_report(report, Extraction(report="r")), second.add_report(report, Extraction(report="r"))]
    assert sorted(results) == [False, True]
    assert first.count_reports() == 1 and len(list(second.extractions())) == 1
    first.engine.dispose()
    second.engine.dispose()
