"""Memory with corpus size: peak RSS of a streaming ingest of N reports, for several N.

Run: .venv/bin/python bench/bench_memory.py [--sizes 256 1024] [--chunk-files 64] [--keep DIR]
     [--sentences 8-14] [--ingest-only]

The reports are built from the sentences of real news (PolNeAR's training articles, read from
../shared at run time): each report is a headline and 8-14 sentences in 3-4 paragraphs, each sentence
the opening words of one pool sentence joined to the closing words of another (up to 10 each), dated
100 a day. No two
reports share a passage by chance, however many are drawn; 8% are syndicated copies of a recent
report and 4% updates that keep one of its paragraphs, so copies and overlaps stay as frequent per
report at 100k as at 1k, as in a real feed. (Drawing whole pool sentences, as this bench did
before, reused each of them about three times at 30k short reports: 44% of the reports became
copies, every report overlapped more of the earlier ones as the corpus grew, and all were linked
into one story, so the links, not the pipeline, dominated memory.)

Each size runs in a child process: `Tracker.ingest` into a fresh SQLite store. "ingest RSS" is
the largest resident size sampled at every write (read, clean, copy index, parse, extract, store):
what a long ingest needs. The corpus-level merge (`Tracker.refresh`, which ingest runs at the end)
reads every extraction back; its RSS peak hides under the ingest's when the allocator reuses freed
memory, so it is measured apart: a second `refresh` under tracemalloc, "merge heap" being the
largest Python heap it held above what the process held before it. The last columns give the
growth per report between consecutive sizes.

`--sentences 2-4` makes short reports (about 60 words), so 100k reports take hours, not a day;
`--ingest-only` leaves the merge out (measure it later on the kept store). Each size also prints
the ingest's peak RSS at every tenth of its reports: one long run gives the whole curve.

With `--keep DIR` the corpora and stores stay in DIR, and a later run with the same DIR measures
only the merge on the stores it finds there (a merge change is measured in minutes, not hours):
ingest RSS is then blank and the seconds are those of a first, unmeasured merge.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POOL = ROOT / ".." / "shared" / "bench" / "polnear" / "data" / "train" / "text"
PROFILE = ROOT / "examples" / "demo" / "profile.yaml"
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][”\"’']))\s+(?=[“\"A-Z])")


def sentence_pool(folder: Path = POOL) -> list[str]:
    """Sentences of 8-60 words from every article's body (headline lines left out)."""
    if not folder.is_dir():
        sys.exit(f"bench_memory: {folder} not found (the bench reads PolNeAR from ../shared)")
    pool = []
    for path in sorted(folder.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for paragraph in lines[1:]:
            pool += [s.strip() for s in _SENTENCE_END.split(paragraph) if 8 <= len(s.split()) <= 60]
    return sorted(set(pool))


COPY_SHARE = 0.08  # syndicated copies of a recent report, with another outlet and a line added
REWRITE_SHARE = 0.04  # updates that keep one paragraph of a recent report and add new ones
RECENT = 64  # how far back a copy or an update reaches, in reports
PER_DAY = 100  # reports a day: 10k reports span about three months, 100k about three years


PIECE_WORDS = 10  # at most this many words of a pool sentence open or close a drawn one


def sentence_halves(pool: list[str]) -> tuple[list[str], list[str]]:
    """Each sentence's opening and closing words, up to `PIECE_WORDS` each and meeting at its middle.

    A piece of 10 words holds 6 of the copy index's 5-word shingles, a drawn sentence at most 16:
    fewer than the 20 a shared passage needs, so reports that draw the same piece (each is drawn
    about 12 times at 100k short reports) do not overlap. Whole halves of long sentences did, and
    the overlap links then grew with the corpus.
    """
    heads, tails = [], []
    for sentence in pool:
        words = sentence.split()
        cut = len(words) // 2
        heads.append(" ".join(words[:cut][:PIECE_WORDS]))
        tails.append(" ".join(words[cut:][-PIECE_WORDS:]))
    return heads, tails


def write_corpus(folder: Path, n: int, pool: list[str], seed: int = 17, sentences: tuple[int, int] = (8, 14)) -> Path:
    """n reports whose copies and shared passages stay as rare at 100k reports as at 1k.

    Each sentence joins the first half of one pool sentence to the second half of another, so no
    two reports share a sentence by chance however many are drawn (whole pool sentences, reused
    about three times each at 30k short reports, made 44% of them copies and linked them all into
    one story). Copies and shared passages come only from the shares above.
    """
    rng = random.Random(seed)
    heads, tails = sentence_halves(pool)
    folder.mkdir(parents=True, exist_ok=True)
    recent: list[list[str]] = []
    with open(folder / "metadata.jsonl", "w", encoding="utf-8") as meta:
        for i in range(n):
            draw = rng.random()
            outlet = ["Wire A", "Wire B", "Daily C", "Weekly D"][i % 4]
            if recent and draw < COPY_SHARE:  # with a line of its own, or cleaning would make it the same body
                paragraphs = [*rng.choice(recent), f"{rng.choice(heads)} {rng.choice(tails)}"]
            else:
                drawn = [f"{rng.choice(heads)} {rng.choice(tails)}" for _ in range(rng.randint(*sentences))]
                cuts = sorted(rng.sample(range(1, len(drawn)), min(rng.randint(2, 3), len(drawn) - 1)))
                paragraphs = [" ".join(drawn[a:b]) for a, b in zip([0, *cuts], [*cuts, len(drawn)])]
                if recent and draw < COPY_SHARE + REWRITE_SHARE:
                    paragraphs = [rng.choice(rng.choice(recent)), *paragraphs[1:]]
                recent = [*recent[-(RECENT - 1):], paragraphs]
            headline = " ".join(paragraphs[0].split()[:8]).rstrip(",.;:")
            name = f"r{i:06d}.txt"
            (folder / name).write_text(headline + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
            day = date(2024, 1, 1) + timedelta(days=i // PER_DAY)
            meta.write(json.dumps({"file": name, "published": day.isoformat(), "outlet": outlet}) + "\n")
    return folder


CHILD = """
import sys, time, tracemalloc
sys.path.insert(0, {src!r})
from dealtrace import Tracker
from dealtrace.profile import load_profile
from dealtrace.settings import Settings
from pathlib import Path
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS'):
            return int(line.split()[1]) / 1024
peak = [0.0]
curve = []
def progress(done, total):
    peak[0] = max(peak[0], rss())
    if done % max(1, {n} // 10) == 0:
        curve.append((done, round(peak[0])))
if not {merge!r}:
    Tracker.refresh = lambda self: dict()  # --ingest-only: the merge is left out
corpus = Path({corpus!r})
start = time.perf_counter()
tracker = Tracker({db!r}, Settings(chunk_files={chunk}))
if {ingest!r}:
    tracker.ingest([corpus], profile=load_profile({profile!r}), meta=corpus / 'metadata.jsonl', progress=progress)
else:  # a kept store: only its merge, run once first as ingest would have
    peak[0] = float('nan')
    tracker.refresh()
seconds = time.perf_counter() - start
print('curve', *(f'{{done}}:{{mb}}' for done, mb in curve))
tracemalloc.start()
held = tracemalloc.get_traced_memory()[0]
tracker.refresh()
print(peak[0], (tracemalloc.get_traced_memory()[1] - held) / 2**20 if {merge!r} else float('nan'), seconds)
"""


def measure(n: int, pool: list[str], work: Path, chunk: int, sentences: tuple[int, int] = (8, 14),
            merge: bool = True) -> tuple[float, float, float]:
    """Ingest RSS, merge heap (MB) and ingest seconds of n reports; a store already in `work` is only merged."""
    db = work / f"store-{n}.db"
    stored = db.exists()
    corpus = work / f"corpus-{n}" if stored else write_corpus(work / f"corpus-{n}", n, pool, sentences=sentences)
    code = CHILD.format(src=str(ROOT / "src"), corpus=str(corpus), db=str(db), profile=str(PROFILE), chunk=chunk,
                        ingest=not stored, merge=merge, n=n)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"bench_memory: the ingest of {n} reports failed:\n{out.stderr[-2000:]}")
    for line in out.stdout.splitlines():
        if line.startswith("curve ") and len(line.split()) > 2:
            print(f"{'':8}ingest RSS so far (reports:MB): {line[6:]}")
    ingest, merged, seconds = map(float, out.stdout.split()[-3:])
    return ingest, merged, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["256", "1024"],
                        help="corpus sizes, by spaces or commas (the goal: 10000 100000)")
    parser.add_argument("--chunk-files", type=int, default=64, help="Settings.chunk_files: files read per chunk")
    parser.add_argument("--keep", type=Path, help="keep corpora and stores here; stores found here are only merged")
    parser.add_argument("--sentences", default="8-14",
                        help="sentences per report, MIN-MAX (2-4 makes 100k reports a few hours, not a day)")
    parser.add_argument("--ingest-only", action="store_true", help="leave the merge out (measure it with --keep)")
    args = parser.parse_args()
    sentences = tuple(int(x) for x in args.sentences.split("-"))
    if len(sentences) != 2 or not 2 <= sentences[0] <= sentences[1]:
        sys.exit(f"bench_memory: --sentences {args.sentences!r} is not MIN-MAX with 2 <= MIN <= MAX")
    pool = sentence_pool()
    sizes = [int(size) for text in args.sizes for size in text.split(",") if size]
    print(f"{len(pool)} sentences of PolNeAR train articles resampled into reports of {args.sentences} sentences; "
          f"chunk_files={args.chunk_files}{'; merge left out' if args.ingest_only else ''}")
    print(f"{'reports':>8}{'ingest RSS MB':>15}{'merge heap MB':>15}{'seconds':>9}{'reports/s':>11}"
          f"{'ingest kB/report':>18}{'merge kB/report':>17}")
    before = None
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            ingest, merge, seconds = measure(n, pool, work, args.chunk_files, sentences, not args.ingest_only)
            growth = ("", "") if before is None else tuple(
                f"{1024 * (now - then) / (n - before[0]):.1f}" for now, then in ((ingest, before[1]), (merge, before[2])))
            print(f"{n:8d}{ingest:15.0f}{merge:15.0f}{seconds:9.1f}{n / seconds:11.2f}{growth[0]:>18}{growth[1]:>17}")
            before = (n, ingest, merge)


if __name__ == "__main__":
    main()
