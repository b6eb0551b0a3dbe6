"""The copy index over the store's tables links exactly as the in-memory one, on SQLite and PostgreSQL."""

import random

import numpy as np
import pytest

from dealtrace.dedup import CopyIndex
from dealtrace.dedup.backing import ANCHOR, MemoryBacking
from dealtrace.store import Store
from dealtrace.store.copyindex import StoredBacking

from ..dedup.texts import article, report


def _paragraphs(body: str) -> list[str]:
    return body.split("\n\n")


def _corpus() -> list:
    """Originals, cut re-posts, junk re-posts and reports of one story, in a shuffled order."""
    bodies = [article(200 + k, 8) for k in range(8)]
    reports = [report(b, f"2024-05-{1 + k:02d}") for k, b in enumerate(bodies)]
    reports += [report("\n\n".join(_paragraphs(b)[:4]), "2024-05-10") for b in bodies[:3]]
    reports += [report("Advertisement\n" + b + "\nShare this article", None) for b in bodies[3:5]]
    reports += [report(_paragraphs(bodies[6])[0] + "\n\n" + article(300 + k, 4), "2024-05-11") for k in range(2)]
    random.Random(5).shuffle(reports)
    return reports


def _links(reports) -> list:
    return [(r.id, r.copy_of, tuple(r.overlaps), r.story) for r in reports]


def _stored(store_db) -> CopyIndex:
    store = Store(store_db)
    return CopyIndex.open(StoredBacking(store), store.get_blob("dedup", "state"))


def _save(store_db, index: CopyIndex) -> None:
    Store(store_db).put_blob("dedup", "state", index.state())


def _in_batches(reports, index_after_each_batch) -> tuple[list, list]:
    """Links of every report and the changed stubs, adding four reports at a time."""
    fresh = [report(r.body, r.published) for r in reports]
    stubs = []
    index = index_after_each_batch(None)
    for lo in range(0, len(fresh), 4):
        stubs += _links(index.add(fresh[lo:lo + 4]))
        index = index_after_each_batch(index)
    return _links(fresh), stubs, index


def test_stored_index_links_like_the_memory_index(store_db):
    reports = _corpus()
    memory = CopyIndex()
    want = _in_batches(reports, lambda index: memory)

    def reopened(index):  # saved and opened again from the tables, as the next ingest run would
        if index is not None:
            _save(store_db, index)
        return _stored(store_db)

    got = _in_batches(reports, reopened)
    assert got[:2] == want[:2]
    assert got[2].copy_groups() == memory.copy_groups() == CopyIndex.from_bytes(memory.to_bytes()).copy_groups()
    assert len(memory.copy_groups()) >= 3 and any(links[2] for links in want[0]) and want[1]


def test_stored_index_ignores_then_drops_rows_of_a_run_that_died_before_its_state(store_db):
    reports = [report(article(400 + k, 8), "2024-04-01") for k in range(4)]
    index = _stored(store_db)
    index.add(reports[:2])
    _save(store_db, index)
    index.add([report(reports[2].body, reports[2].published)])  # rows written, the state never saved
    reopened = _stored(store_db)
    assert len(reopened) == 2 and reports[2].id not in reopened and reports[0].id in reopened
    assert len(StoredBacking(Store(store_db))) == 3
    again = [report(r.body, r.published) for r in reports[2:]]
    reopened.add(again)
    assert len(StoredBacking(Store(store_db))) == len(reopened) == 4
    assert reopened.backing.positions([r.id for r in reports]) == {r.id: k for k, r in enumerate(reports)}


def test_stored_index_refuses_a_state_its_rows_do_not_cover(store_db):
    index = _stored(store_db)
    index.add([report(article(500 + k, 8), "2024-04-01") for k in range(3)])
    state = index.state()
    store = Store(store_db)
    with store.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM copy_signatures WHERE pos = 2")
    with pytest.raises(ValueError, match="covers 3 reports, its signature rows 2"):
        CopyIndex.open(StoredBacking(store), state)


def test_stored_postings_match_the_memory_postings_and_skip_common_keys(store_db):
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 40, 400).astype(np.uint32)
    owners = np.sort(rng.integers(0, 60, 400))
    stored, memory = StoredBacking(Store(store_db)), MemoryBacking()
    pairs = np.unique(np.stack([keys.astype(np.int64), owners], axis=1), axis=0)  # one posting per key and report
    for backing in (stored, memory):
        backing.insert(ANCHOR, pairs[:, 0].astype(np.uint32), pairs[:, 1])
    for max_df in (3, 8, 1000):
        got = stored.earlier_matches(ANCHOR, pairs[:, 0].astype(np.uint32), pairs[:, 1], max_df)
        want = memory.earlier_matches(ANCHOR, pairs[:, 0].astype(np.uint32), pairs[:, 1], max_df)
        assert sorted(zip(*(a.tolist() for a in got))) == sorted(zip(*(a.tolist() for a in want)))
    assert stored.earlier_matches(ANCHOR, pairs[:, 0].astype(np.uint32), pairs[:, 1], 3)[0].size < \
        stored.earlier_matches(ANCHOR, pairs[:, 0].astype(np.uint32), pairs[:, 1], 1000)[0].size


def _key_counts(store) -> tuple[dict, dict]:
    with store.engine.connect() as connection:
        counted = {(k, key): df for k, key, df in connection.exec_driver_sql(
            'SELECT kind, "key", df FROM copy_keys WHERE df > 0')}
        held = {(k, key): n for k, key, n in connection.exec_driver_sql(
            'SELECT kind, "key", count(*) FROM copy_postings GROUP BY kind, "key"')}
    return counted, held


def test_key_counts_follow_the_postings_through_adds_and_a_crashed_run(store_db):
    store = Store(store_db)
    reports = [report(article(600 + k, 8), "2024-04-01") for k in range(5)]
    index = _stored(store_db)
    index.add(reports[:3] + [report(reports[0].body + "\nAdvertisement", "2024-04-02")])
    _save(store_db, index)
    _stored(store_db).add(reports[3:])  # rows and counts written, the state never saved
    counted, held = _key_counts(store)
    assert counted == held and max(counted.values()) >= 2
    _stored(store_db).add([])  # the next run drops the dead run's rows and takes them off the counts
    counted, held = _key_counts(store)
    assert counted == held and len(StoredBacking(store)) == 4


def test_migration_0003_counts_the_keys_of_a_store_written_before_it(store_db):
    from alembic import command
    from alembic.config import Config
    from pathlib import Path

    import dealtrace.store as store_module

    store = Store(store_db)
    _stored(store_db).add([report(article(700 + k, 8), "2024-04-01") for k in range(3)])
    want = _key_counts(store)[0]
    config = Config(str(Path(store_module.__file__).with_name("alembic.ini")))
    config.set_main_option("script_location", str(Path(store_module.__file__).with_name("migrations")))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    Store(store_db)  # opening the store upgrades it again
    assert _key_counts(store)[0] == want and want
