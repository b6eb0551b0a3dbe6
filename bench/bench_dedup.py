"""Copy detection at scale: time and memory to deduplicate N synthetic reports, then 1k more.

Synthetic reports: sentences of words drawn with the word frequencies of the zyte article
bodies, each report about a "story" whose invented names recur in it, with copies planted by
the mutations of `make_syndication_set.py` (junk lines, truncation, edits, added / removed
paragraphs, re-wrapping). Also prints precision / recall of copy detection on the full zyte
syndication set, and the first version (exact shingle sets compared pairwise) as the baseline.

    .venv/bin/python bench/bench_dedup.py            # N = 100k: about 4 minutes of CPU
    .venv/bin/python bench/bench_dedup.py --n 20000  # about a minute

Wall time is CPU time only when the 2 cores are free: with other jobs running it can be
several times more (the table shows both).
"""

from __future__ import annotations

import argparse
import collections
import gc
import re
import sys
import threading
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_syndication_set import MUTATIONS, build, load_bodies, mutate, score  # noqa: E402

from dealtrace.dedup import CopyIndex  # noqa: E402
from dealtrace.store import Store  # noqa: E402
from dealtrace.store.copyindex import StoredBacking  # noqa: E402
from dealtrace.model import Report, normalise_body, record_id  # noqa: E402


class PeakRSS:
    """Highest resident set size seen while the block runs (sampled every 20 ms)."""

    def __enter__(self) -> "PeakRSS":
        self.peak = self.start = _rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


class Synth:
    """Reports made of zyte-frequency words, grouped in stories, with planted copies."""

    def __init__(self, bodies: list[str], seed: int = 1) -> None:
        counts = collections.Counter(w for b in bodies for w in re.findall(r"[A-Za-z][a-z']+", b))
        words, freq = zip(*counts.most_common(30000))
        self.words = np.array(words, dtype=object)
        self.cdf = np.cumsum(np.array(freq, dtype=float))
        self.rng = np.random.default_rng(seed)
        self.story_of: dict[str, str] = {}  # planted story of each report (copies: their original's)
        self.spare = [p for b in bodies for p in b.split("\n") if len(p.split()) >= 20]

    def _name(self) -> str:
        syllables = ["ka", "lo", "mer", "dan", "vi", "ros", "tal", "en", "bru", "shi", "no", "gar", "el", "tu"]
        return "".join(self.rng.choice(syllables, self.rng.integers(2, 4))).capitalize()

    def body(self, names: list[str], topic: list[str]) -> str:
        shape = [[int(self.rng.integers(12, 28)) for _ in range(self.rng.integers(1, 4))]
                 for _ in range(self.rng.integers(5, 12))]
        total = sum(sum(p) for p in shape)
        tokens = self.words[np.searchsorted(self.cdf, self.rng.random(total) * self.cdf[-1])]
        picked = self.rng.choice(total, total // 4, replace=False)
        half = total // 8  # the story's names, and words its reports keep using
        tokens[picked[:half]] = np.array(names, dtype=object)[self.rng.integers(len(names), size=half)]
        tokens[picked[half:]] = np.array(topic, dtype=object)[self.rng.integers(len(topic), size=picked.size - half)]
        tokens = tokens.tolist()
        paragraphs, at = [], 0
        for paragraph in shape:
            sentences = []
            for n in paragraph:
                sentences.append(tokens[at].capitalize() + " " + " ".join(tokens[at + 1:at + n]) + ".")
                at += n
            paragraphs.append(" ".join(sentences))
        return "\n\n".join(paragraphs)

    def reports(self, n: int, copy_share: float = 0.1, start: int = 0) -> tuple[list[Report], list[tuple[str, str]]]:
        """n reports (a `copy_share` of them copies of others) and the planted (copy, original) pairs."""
        import random

        rng = random.Random(int(self.rng.integers(1 << 30)))
        out: list[Report] = []
        planted = []
        story_names: list[str] = []
        story_words: list[str] = []
        day0 = date(2022, 1, 1)
        while len(out) < n:
            if len(out) % 5 == 0:
                story_names = [self._name() for _ in range(6)]
                story_words = list(self.words[self.rng.integers(200, 5000, 20)])
                day = day0 + timedelta(days=int(self.rng.integers(0, 900)))
            if out and rng.random() < copy_share:
                original = out[rng.randrange(max(0, len(out) - 50), len(out))]
                body = mutate(original.body, rng.sample(MUTATIONS, rng.randint(1, 3)), rng, self.spare)
                published = original.published
            else:
                original = None
                body = self.body(story_names, story_words)
                published = (day + timedelta(days=int(self.rng.integers(0, 4)))).isoformat()
            report = Report(id=record_id(normalise_body(body)), file=f"s{start + len(out)}", source=None,
                            raw_text="", body=body, published=published)
            self.story_of[report.id] = self.story_of.get(original.id) if original else f"{start}-{len(out) // 5}"
            if original is not None:
                planted.append((report.id, original.id))
            out.append(report)
        return out, planted


def planted_recall(reports: list[Report], planted: list[tuple[str, str]]) -> tuple[float, int]:
    """Share of planted copies found in their original's group, and copies linked beyond those."""
    by_id = {r.id: r for r in reports}
    group = {r.id: (r.copy_of or r.id) for r in reports}
    hits = sum(group[c] == group[o] for c, o in planted if c in by_id)
    linked = sum(1 for r in reports if r.copy_of)
    return hits / len(planted), linked


def story_scores(reports: list[Report], story_of: dict[str, str]) -> tuple[float, float]:
    """Pairwise precision / recall of stories against the planted ones (pairs among neighbours)."""
    tp = fp = fn = 0
    for k, a in enumerate(reports):
        for b in reports[k + 1:k + 40]:  # planted stories are consecutive; far pairs are negatives
            truth, found = story_of[a.id] == story_of[b.id], a.story == b.story
            tp, fp, fn = tp + (truth and found), fp + (found and not truth), fn + (truth and not found)
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def baseline_link(reports: list[Report]) -> None:
    """The first version of link_reports: exact 5-shingle sets, every pair compared."""
    sets = {r.id: {hash(" ".join(w[i:i + 5])) for w in [re.findall(r"\w+", normalise_body(r.body))]
                   for i in range(max(1, len(w) - 4))} for r in reports}
    for i, a in enumerate(reports):
        for b in reports[i + 1:]:
            sa, sb = sets[a.id], sets[b.id]
            if sa and sb and len(sa & sb) / min(len(sa), len(sb)) >= 0.8:
                canonical, copy = sorted([a, b], key=lambda r: (-len(r.body), r.published or "9999"))
                copy.copy_of = copy.copy_of or canonical.id


def syndication_scores(link) -> tuple[float, float, int]:
    bodies = load_bodies()
    truth = build(bodies, originals=120, seed=11)
    reports = {k: Report(id=record_id(normalise_body(b)), file=k, source=None, raw_text="", body=b,
                         published=truth.published[k]) for k, b in truth.bodies.items()}
    link(list(reports.values()))
    by_id = {r.id: r for r in reports.values()}

    def root(report_id: str) -> str:
        seen = set()
        while by_id[report_id].copy_of and report_id not in seen:
            seen.add(report_id)
            report_id = by_id[report_id].copy_of
        return report_id

    groups = collections.defaultdict(list)
    for key, report in reports.items():
        groups[root(report.id)].append(key)
    p, r = score(list(groups.values()), truth)
    return p, r, len(reports)


class _Rows(list):
    """Table rows, each printed as soon as it is measured (a 100k run takes minutes)."""

    WIDTH = 64

    def __init__(self) -> None:
        super().__init__()
        print(f"{'measure':<{self.WIDTH}}  {'dealtrace.dedup':>24}  {'baseline (first version)':>26}", flush=True)

    def append(self, row: tuple[str, str, str]) -> None:
        super().append(row)
        name, ours, base = row
        print(f"{name:<{self.WIDTH}}  {ours:>24}  {base:>26}", flush=True)


def _held(index: CopyIndex) -> int:
    """Bytes of Python heap the index holds (tracemalloc), the store's tables not counted."""
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def stored_rows(rows: "_Rows", reports: list[Report], batch: int) -> None:
    """Ingest's way: batches added under a SQLite store's tables, the index reopened from its state each time.

    The heap held is compared with an in-memory index over the same batches, at a tenth of the
    reports and at all of them: the stored index should hold a few integers per report.
    """
    import tempfile

    fresh = [Report(id=x.id, file=x.file, source=None, raw_text="", body=x.body, published=x.published)
             for x in reports]
    tenth = max(batch, len(fresh) // 10 // batch * batch)
    held: dict[str, list[int]] = {"memory": [], "stored": []}
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "store.db")
        for name in ("memory", "stored"):
            gc.collect()
            tracemalloc.start()
            base = tracemalloc.get_traced_memory()[0]
            start = time.perf_counter()
            index = CopyIndex() if name == "memory" else CopyIndex.open(StoredBacking(store), None)
            for lo in range(0, len(fresh), batch):
                if name == "stored" and lo:
                    index = CopyIndex.open(StoredBacking(store), state)
                index.add(fresh[lo:lo + batch])
                state = index.state()
                if min(lo + batch, len(fresh)) in (tenth, len(fresh)):
                    held[name].append(_held(index) - base)
            seconds[name] = time.perf_counter() - start
            tracemalloc.stop()
            del index
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
    n = len(fresh)
    for name in ("memory", "stored"):
        small, large = held[name][0], held[name][-1]
        rows.append((f"{name} index, {n} reports in adds of {batch}: heap held at {tenth} / {n} (MB); "
                     f"growth per report (bytes); s (tracemalloc on)",
                     f"{small / 1e6:.1f} / {large / 1e6:.1f}; {(large - small) / (n - tenth):.0f}; {seconds[name]:.0f}", ""))
    rows.append((f"stored index: SQLite file for {n} reports (MB)", f"{size / 1e6:.0f}", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="reports in the big index (default 100k)")
    parser.add_argument("--batch", type=int, default=1000, help="reports in the incremental batch")
    parser.add_argument("--stored-n", type=int, default=20000,
                        help="reports added, batch by batch, to an index in a SQLite store (0: skip)")
    parser.add_argument("--stored-batch", type=int, default=256, help="reports per add, as ingest's chunks")
    parser.add_argument("--baseline-n", type=int, default=2000, help="reports for the pairwise baseline")
    args = parser.parse_args()
    rows = _Rows()

    p, r, size = syndication_scores(lambda reports: CopyIndex().add(reports))
    bp, br, _ = syndication_scores(baseline_link)
    rows.append((f"zyte syndication set ({size} bodies): copy precision / recall", f"{p:.3f} / {r:.3f}",
                 f"{bp:.3f} / {br:.3f}"))

    synth = Synth(load_bodies())
    t = time.perf_counter()
    reports, planted = synth.reports(args.n)
    extra, extra_planted = synth.reports(args.batch, start=args.n)
    gen = time.perf_counter() - t

    small = [Report(id=x.id, file=x.file, source=None, raw_text="", body=x.body, published=x.published)
             for x in reports[: args.baseline_n]]
    t = time.perf_counter()
    baseline_link(small)
    base_small = time.perf_counter() - t
    small = [Report(id=x.id, file=x.file, source=None, raw_text="", body=x.body, published=x.published)
             for x in reports[: args.baseline_n]]
    t = time.perf_counter()
    CopyIndex().add(small)
    ours_small = time.perf_counter() - t
    rows.append((f"link {args.baseline_n} synthetic reports (s)", f"{ours_small:.1f}", f"{base_small:.1f}"))

    gc.collect()
    with PeakRSS() as mem:
        t, cpu = time.perf_counter(), time.process_time()
        index = CopyIndex()
        index.add(reports)
        full, full_cpu = time.perf_counter() - t, time.process_time() - cpu
    recall, linked = planted_recall(reports, planted)
    story_of = synth.story_of
    rows.append((f"dedup {args.n} reports: wall / CPU time (s)", f"{full:.1f} / {full_cpu:.1f}",
                 f"~{base_small * (args.n / args.baseline_n) ** 2 / 60:.0f} min (quadratic)"))
    rows.append((f"dedup {args.n} reports: peak RSS / before (MB)",
                 f"{mem.peak / 1e6:.0f} / {mem.start / 1e6:.0f}", ""))
    rows.append((f"planted copies found ({len(planted)}); reports marked copy", f"{recall:.4f}; {linked}", ""))
    sp, sr = story_scores(reports, story_of)
    rows.append((f"stories (5 reports planted in each): pair precision / recall", f"{sp:.3f} / {sr:.3f}", ""))

    t = time.perf_counter()
    data = index.to_bytes()
    save = time.perf_counter() - t
    del index
    gc.collect()
    with PeakRSS() as mem:
        t, cpu = time.perf_counter(), time.process_time()
        index = CopyIndex.from_bytes(data)
        load, load_cpu = time.perf_counter() - t, time.process_time() - cpu
        t, cpu = time.perf_counter(), time.process_time()
        changed = index.add(extra)
        inc, inc_cpu = time.perf_counter() - t, time.process_time() - cpu
        t = time.perf_counter()
        written = len(index.state())  # what ingest rewrites: the links (signatures are new rows)
        save2 = time.perf_counter() - t
    everyone = reports + extra
    rows.append((f"index MB for {args.n}; to_bytes / from_bytes wall (from_bytes CPU) s",
                 f"{len(data) / 1e6:.0f}; {save:.1f} / {load:.1f} ({load_cpu:.1f})", ""))
    rows.append((f"incremental {args.batch} into {args.n}: add wall / CPU (s); older changed",
                 f"{inc:.1f} / {inc_cpu:.1f}; {len(changed)}", ""))
    rows.append((f"incremental save: the state (MB, s)", f"{written / 1e6:.1f}, {save2:.2f}", ""))
    rows.append((f"incremental round trip: load + add + save (s); peak RSS (MB)",
                 f"{load + inc + save2:.1f}; {mem.peak / 1e6:.0f}", ""))
    found = {r.id: r for r in everyone}
    for stub in changed:
        found[stub.id].copy_of = stub.copy_of
    recall, _ = planted_recall(list(found.values()), extra_planted)
    rows.append((f"planted copies in the batch found ({len(extra_planted)})", f"{recall:.4f}", ""))

    if args.stored_n:
        stored_rows(rows, reports[:args.stored_n], args.stored_batch)
    print(f"(synthetic generation {gen:.0f} s, not counted; wall and CPU seconds differ when other "
          f"processes share the 2 cores)")


if __name__ == "__main__":
    main()
