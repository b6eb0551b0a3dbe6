"""Pipeline benchmark: whole-pipeline throughput next to bare spaCy, and the Dask speed-up.

Run: .venv/bin/python bench/bench_pipeline.py [--n 60] [--rounds 3] [--dask-n 480] [--no-dask]

Synthetic reports are built by recombining paragraphs of the demo corpus (seeded, each one distinct,
so none is a copy of another) and written as .txt files with a metadata.jsonl.
(1) Throughput: `Tracker.ingest` of --n reports into a fresh SQLite store (read, clean, copy index,
    parse, extract, store, merge) in reports/s, next to bare `nlp.pipe` over the same bodies (the
    model as spaCy loads it, every component, the pipeline's batch size; and, for reference, the
    same on numpy's BLAS, which dealtrace's parse uses: nlp/blas.py) in the same run, the fastest of
    --rounds alternating timings of each (wall and CPU seconds: both run on one thread, and CPU
    time hardly changes with other load on the machine); then the stages timed one by one, each
    extractor's share, and cProfile's hot spots of the extraction stage and of the merge.
Memory with corpus size is bench_memory.py's: these recombined paragraphs make every report
overlap many others once there are a few hundred.
(2) Dask: `Tracker.ingest` of --dask-n reports on a local cluster of 1 and of 2 worker processes
    (task_files=8), wall time including the cluster start and each worker's model load (480 reports
    by default: with 160, starting the cluster took longer than the parse).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import dataclasses
import json
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo"
sys.path.insert(0, str(ROOT / "src"))

from dealtrace import Tracker  # noqa: E402
from dealtrace.extract import EXTRACTORS, check_order, extract_report  # noqa: E402
from dealtrace.ingest import read_reports  # noqa: E402
from dealtrace.model import Problem, Report  # noqa: E402
from dealtrace.nlp import doc_to_bytes, load_nlp, parse_reports  # noqa: E402
from dealtrace.nlp.blas import one_blas_thread, use_numpy_blas  # noqa: E402
from dealtrace.profile import load_profile  # noqa: E402
from dealtrace.settings import Settings  # noqa: E402


def demo_paragraphs() -> list[str]:
    reports = [r for r in read_reports([DEMO / "corpus"], sidecar=DEMO / "metadata.jsonl") if isinstance(r, Report)]
    paragraphs = {p.strip() for r in reports for p in r.body.split("\n\n") if len(p.split()) >= 8}
    return sorted(paragraphs)


def write_corpus(folder: Path, n: int, paragraphs: list[str], seed: int = 7) -> Path:
    """n distinct reports of 6-10 demo paragraphs each, dated over two months, from four outlets."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "metadata.jsonl", "w", encoding="utf-8") as meta:
        for i in range(n):
            body = "\n\n".join(rng.sample(paragraphs, rng.randint(6, min(10, len(paragraphs)))))
            name = f"r{i:06d}.txt"
            (folder / name).write_text(f"Report {i}: talks continue\n\n{body}\n", encoding="utf-8")
            meta.write(json.dumps({"file": name, "published": f"2025-03-{1 + i % 28:02d}",
                                   "outlet": f"Outlet {i % 4}", "title": f"Report {i}"}) + "\n")
    return folder


def throughput(n: int, paragraphs: list[str], work: Path, rounds: int = 3) -> None:
    corpus = write_corpus(work / f"corpus-{n}", n, paragraphs)
    profile = load_profile(DEMO / "profile.yaml")
    settings = Settings()
    bare_nlp = spacy.load(settings.nlp)  # the model as spaCy ships it: no component of dealtrace's
    numpy_nlp = spacy.load(settings.nlp)  # the same on numpy's BLAS, one thread, as dealtrace parses
    use_numpy_blas(numpy_nlp)
    reports = [r for r in read_reports([corpus], settings, corpus / "metadata.jsonl") if isinstance(r, Report)]
    bodies = [r.body for r in reports]
    for nlp in (bare_nlp, numpy_nlp, load_nlp(settings.nlp)):
        list(nlp.pipe(bodies[:8]))  # warm up

    def bare_parse(nlp) -> list:
        with one_blas_thread() if nlp is numpy_nlp else contextlib.nullcontext():
            return list(nlp.pipe(bodies, batch_size=settings.batch_size))

    # The bare parses and the whole ingest alternate, `rounds` times each, and the fastest of each
    # counts: on a shared machine a burst of other work slows one timing, rarely every one of them.
    # All run in this one process on one thread, so their CPU seconds compare them too, and those
    # change less with what else the machine runs.
    bares, numpys, wholes = [], [], []
    for round_ in range(rounds):
        for nlp, times in ((bare_nlp, bares), (numpy_nlp, numpys)):
            start, cpu = time.perf_counter(), time.process_time()
            docs = bare_parse(nlp)
            times.append((time.perf_counter() - start, time.process_time() - cpu))
            words = sum(len(doc) for doc in docs)
            del docs
        start, cpu = time.perf_counter(), time.process_time()
        summary = Tracker(work / f"pipeline-{n}-{round_}.db", settings).ingest([corpus], profile=profile,
                                                                              meta=corpus / "metadata.jsonl")
        wholes.append((time.perf_counter() - start, time.process_time() - cpu))
    bare, bare_cpu = min(t for t, _ in bares), min(c for _, c in bares)
    print(f"\n(1) throughput, {len(reports)} synthetic reports ({words / len(reports):.0f} tokens each), 1 process,"
          f" fastest of {rounds} alternating rounds")
    print(f"{'':38}{'seconds':>9}{'reports/s':>11}{'vs bare':>9}{'CPU s':>8}{'vs bare':>9}   rounds (s)")
    for label, times, count in (("bare spaCy nlp.pipe", bares, len(reports)),
                                ("bare spaCy on numpy BLAS (reference)", numpys, len(reports)),
                                ("dealtrace ingest (whole pipeline)", wholes, summary.ingested)):
        seconds, cpu = min(t for t, _ in times), min(c for _, c in times)
        print(f"{label:38}{seconds:9.1f}{count / seconds:11.2f}{bare / seconds:9.2f}{cpu:8.1f}{bare_cpu / cpu:9.2f}   "
              + " ".join(f"{t:.1f}" for t, _ in times))
    whole, whole_cpu, numpy_cpu = min(t for t, _ in wholes), min(c for _, c in wholes), min(c for _, c in numpys)
    print(f"(the goal is the whole pipeline against bare spaCy; against the bare parse on numpy's BLAS, which it"
          f" uses, its CPU ratio is {numpy_cpu / whole_cpu:.2f})")

    # The stages one by one, on the same reports (the store stage is timed in a second ingest).
    timings: dict[str, float] = {entry.name: 0.0 for entry in check_order()}
    originals = {name: EXTRACTORS[name] for name in timings}
    for name, entry in originals.items():
        original = entry.func

        def timed(ctx, _func=original, _name=name):
            t0 = time.perf_counter()
            _func(ctx)
            timings[_name] += time.perf_counter() - t0

        EXTRACTORS[name] = dataclasses.replace(entry, func=timed)
    stage: dict[str, float] = {}
    t0 = time.perf_counter()
    reports = [r for r in read_reports([corpus], settings, corpus / "metadata.jsonl") if isinstance(r, Report)]
    stage["read + clean"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    parsed = list(parse_reports(reports, settings))
    stage["parse (parse_reports)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for report, doc in parsed:
        extract_report(report, doc, profile, settings)
    stage["extract (all extractors)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _, doc in parsed:
        doc_to_bytes(doc)
    stage["DocBin serialise"] = time.perf_counter() - t0
    tracker = Tracker(work / f"pipeline-{n}-0.db", settings)
    t0 = time.perf_counter()
    tracker.refresh()
    stage["merge (Tracker.refresh)"] = time.perf_counter() - t0
    stage["store + copy index (whole - rest)"] = max(whole - sum(stage.values()), 0.0)
    print(f"\n{'stage':34}{'seconds':>9}{'share':>8}")
    for name, seconds in stage.items():
        print(f"{name:34}{seconds:9.2f}{seconds / whole:8.0%}")
    print(f"\n{'extractor':34}{'seconds':>9}{'ms/report':>10}")
    for name, seconds in sorted(timings.items(), key=lambda item: -item[1]):
        print(f"{name:34}{seconds:9.2f}{1000 * seconds / len(reports):10.1f}")

    EXTRACTORS.update(originals)  # undo the timers before profiling
    profiler = cProfile.Profile()
    profiler.enable()
    for report, doc in parsed:
        extract_report(report, doc, profile, settings)
    profiler.disable()
    hot_spots("extraction", profiler, 10)
    profiler = cProfile.Profile()
    profiler.enable()
    tracker.refresh()
    profiler.disable()
    hot_spots("merge (Tracker.refresh)", profiler, 8)


def hot_spots(title: str, profiler: cProfile.Profile, count: int) -> None:
    stats = pstats.Stats(profiler)
    rows = [(key, value) for key, value in stats.stats.items() if "dealtrace" in key[0]]
    rows.sort(key=lambda item: -item[1][2])  # own time
    print(f"\n{title} hot spots (cProfile, own time, dealtrace functions)")
    print(f"{'function':60}{'calls':>9}{'own s':>8}{'cum s':>8}")
    for (file, line, func), (_, calls, own, cumulative, _) in rows[:count]:
        where = f"{Path(file).parent.name}/{Path(file).name}:{line} {func}"
        print(f"{where[:60]:60}{calls:9d}{own:8.2f}{cumulative:8.2f}")


def dask_speedup(n: int, paragraphs: list[str], work: Path) -> None:
    corpus = write_corpus(work / f"dask-{n}", n, paragraphs, seed=13)
    profile = load_profile(DEMO / "profile.yaml")
    print(f"\n(2) Dask, {n} reports, task_files=8 (wall time includes cluster start and model loads)")
    print(f"{'workers':>8}{'seconds':>9}{'reports/s':>11}{'speed-up':>10}")
    base = None
    for workers in (1, 2):
        start = time.perf_counter()
        summary = Tracker(work / f"dask-{n}-{workers}.db", Settings(workers=workers, task_files=8)).ingest(
            [corpus], profile=profile, meta=corpus / "metadata.jsonl")
        seconds = time.perf_counter() - start
        base = base or seconds
        print(f"{workers:8d}{seconds:9.1f}{summary.ingested / seconds:11.2f}{base / seconds:10.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=60, help="reports for the throughput table")
    parser.add_argument("--rounds", type=int, default=3, help="alternating bare/whole timings; the fastest counts")
    parser.add_argument("--dask-n", type=int, default=480, help="reports for the Dask table")
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    paragraphs = demo_paragraphs()
    print(f"{len(paragraphs)} demo paragraphs recombined into synthetic reports")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        throughput(args.n, paragraphs, work, args.rounds)
        if not args.no_dask:
            dask_speedup(args.dask_n, paragraphs, work)


if __name__ == "__main__":
    main()
