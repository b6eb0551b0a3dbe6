"""Attribution benchmark: dealtrace quotes against PolNeAR gold, next to textacy on the same parses.

Run: .venv/bin/python bench/bench_polnear.py [--limit N] [--split dev]
Reads ../shared/bench/polnear/data/<split>/ (brat standoff: Source / Cue / Content), runs each
article through dealtrace's ingest, its one spaCy parse and the actors → timexes → quotes
extractors, and hands the same Doc to textacy's `direct_quotations`. Prints precision, recall
and F1 (matching rules in bench/polnear_score.py) overall, for direct vs indirect and for
dealtrace's own `attribution` kind (stances, beliefs, nominal cues: precision only, since the gold has
no such kind), with and without the source condition. textacy finds direct quotes only, so its indirect row is empty by
design.

PolNeAR is univocal (each token has one role in one attribution), so dealtrace's quotes are
projected onto that scheme before scoring: quotes sharing a cue are one attribution (a partial
quote inside reported speech is part of that speech), and a split quote (`Quote.continues`) is
one attribution with several content spans, also when its second part follows the cue's sentence.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from dealtrace.extract import extract_report  # noqa: E402
from dealtrace.ingest import report_from_text  # noqa: E402
from dealtrace.model import Problem, Profile, Quote, Report  # noqa: E402
from dealtrace.nlp import parse_reports  # noqa: E402
from dealtrace.settings import Settings  # noqa: E402
from polnear_score import Attribution, Scores, agreement, annotator_sets, dev_pairs, read_ann, score, total  # noqa: E402

try:
    from textacy.extract.triples import direct_quotations
except ImportError as e:  # the bench still runs; the baseline row says why it is missing
    direct_quotations = None
    TEXTACY_PROBLEM = f"textacy not importable ({e})"
else:
    TEXTACY_PROBLEM = None

EXTRACTORS = ("actors", "timexes", "quotes")


def _raw(report: Report, start: int | None, end: int | None) -> tuple[int, int] | None:
    if start is None or end is None:
        return None
    raw_start, raw_end = report.raw_span(start, end)
    if raw_start is None or raw_end is None:
        return (start, end) if report.body == report.raw_text else None
    return raw_start, raw_end


def dealtrace_attributions(quotes: list[Quote], report: Report) -> list[Attribution]:
    """The report's quotes projected onto PolNeAR's one-attribution-per-token scheme."""
    group_of: dict[str, str] = {}
    groups: dict[str, list[Quote]] = {}
    by_cue: dict[int, str] = {}
    for quote in sorted(quotes, key=lambda q: q.start):
        if quote.continues and quote.continues in group_of:
            # a split quote is one attribution, also when its second part comes after the cue's sentence
            # (“…,” she said. “…”): splitting it there scored lower on the train split (F1 0.553 -> 0.535)
            key = group_of[quote.continues]
        elif quote.cue is not None and quote.cue.start in by_cue:
            key = by_cue[quote.cue.start]
        else:
            key = quote.id
        group_of[quote.id] = key
        if quote.cue is not None:
            by_cue.setdefault(quote.cue.start, key)
        groups.setdefault(key, []).append(quote)
    found = []
    for members in groups.values():
        content = tuple(span for q in members if (span := _raw(report, q.start, q.end)))
        speaker = members[0].speaker
        source = _raw(report, speaker.start, speaker.end)
        # direct when quoted words make up half the content, as the gold's kinds are decided
        quoted = sum(q.end - q.start for q in members if q.kind == "direct")
        kind = "direct" if quoted >= 0.5 * max(q.end for q in members) - 0.5 * min(q.start for q in members) else "indirect"
        if kind == "indirect" and all(q.kind == "attribution" for q in members):
            kind = "attribution"  # stances, beliefs, nominal cues: not statements
        if content:
            found.append(Attribution(content=content, source=(source,) if source else (), kind=kind))
    # an attribution inside another's content is part of it in a univocal scheme:
    # "…, Mr. Barnea argued that X, the senior official said." is one attribution
    return [a for a in found if not any(b is not a and _within(a, b) for b in found)]


def _within(inner: Attribution, outer: Attribution) -> bool:
    spans = [*inner.content, *inner.source]
    return bool(spans) and all(any(s >= os and e <= oe for os, oe in outer.content) for s, e in spans) \
        and inner.length() < outer.length()


def textacy_attributions(doc, report: Report) -> list[Attribution] | None:
    """textacy's direct quotations, or None when it refuses the article (odd number of marks)."""
    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        return None
    found = []
    for triple in triples:
        content = _raw(report, triple.content.start_char, triple.content.end_char)
        speaker = triple.speaker
        source = _raw(report, speaker[0].idx, speaker[-1].idx + len(speaker[-1])) if speaker else None
        if content:
            found.append(Attribution(content=(content,), source=(source,) if source else (), kind="direct"))
    return found


def read_split(root: Path, limit: int | None = None) -> tuple[list[Report], dict[str, list[Attribution]]]:
    """The split's reports and each one's gold, keyed by file: two articles with the same text (the
    train split has some) have the same report id but their own annotations."""
    pairs = dev_pairs(root)
    pairs = pairs[:limit] if limit else pairs
    reports, versions = read_articles([(text, [ann]) for text, ann in pairs])
    return reports, {file: anns[0] for file, anns in versions.items()}


def read_articles(articles: list[tuple[Path, list[Path]]]) -> tuple[list[Report], dict[str, list[list[Attribution]]]]:
    """Each article's report and the attributions of each of its annotation files, keyed by file."""
    reports, versions = [], {}
    for text_path, anns in articles:
        text = text_path.read_text(encoding="utf-8")
        report = report_from_text(text, file=text_path.name)
        if isinstance(report, Problem):
            continue
        reports.append(report)
        versions[report.file] = [read_ann(ann.read_text(encoding="utf-8"), text) for ann in anns]
    return reports, versions


def run(split: str, limit: int | None) -> None:
    root = SHARED / "bench" / "polnear" / "data" / split
    reports, golds = read_split(root, limit)
    if not reports:
        sys.exit(f"{root}: no PolNeAR text/attributions pairs found")
    settings = Settings()
    rows: dict[str, dict[str, list[Scores]]] = {"dealtrace": {}, "textacy": {}}
    timings = {"dealtrace": 0.0, "textacy": 0.0}
    started = time.perf_counter()
    bailed = 0
    for report, doc in parse_reports(reports, settings):
        gold = golds[report.file]
        t0 = time.perf_counter()
        found = extract_report(report, doc, Profile(), settings, names=EXTRACTORS)
        systems = {"dealtrace": dealtrace_attributions(found.quotes, report)}
        t1 = time.perf_counter()
        timings["dealtrace"] += t1 - t0
        if direct_quotations is not None:
            baseline = textacy_attributions(doc, report)
            bailed += baseline is None
            systems["textacy"] = baseline or []
            timings["textacy"] += time.perf_counter() - t1
        for name, system in systems.items():
            for label, kind, need_source in (("all", None, True), ("direct", "direct", True),
                                             ("indirect", "indirect", True), ("attribution", "attribution", True),
                                             ("all, content only", None, False)):
                rows[name].setdefault(label, []).append(score(system, gold, kind, need_source))
    elapsed = time.perf_counter() - started
    n_gold = sum(len(g) for g in golds.values())
    print(f"PolNeAR {split}: {len(reports)} articles, {n_gold} gold attributions "
          f"({sum(a.kind == 'direct' for g in golds.values() for a in g)} direct); "
          f"total {elapsed:.0f}s (parse + both systems)")
    print(f"{'system':<10} {'attributions':<18} {'P':>6} {'R':>6} {'F1':>6} {'system':>7} {'gold':>6}")
    for name in ("dealtrace", "textacy"):
        if name == "textacy" and direct_quotations is None:
            print(f"{name:<10} {TEXTACY_PROBLEM}")
            continue
        for label, per_doc in rows[name].items():
            t = total(per_doc)
            if not t.gold:  # the gold has no such kind: only the precision of what was emitted means anything
                precision = f"{t.precision:6.3f}" if t.system else f"{'-':>6}"
                print(f"{name:<10} {label:<18} {precision} {'-':>6} {'-':>6} {t.system:7d} {'-':>6}")
                continue
            print(f"{name:<10} {label:<18} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f} {t.system:7d} {t.gold:6d}")
    print(f"extractor time: dealtrace {timings['dealtrace']:.1f}s (actors+timexes+quotes), "
          f"textacy {timings['textacy']:.1f}s; textacy refused {bailed} article(s) with unbalanced quotation "
          f"marks (scored as finding nothing there)")


def human_reference(settings: Settings) -> None:
    """Annotators against each other on the articles several of them annotated, and dealtrace against each
    of them on the same articles: how far the rules are from people applying PolNeAR's guidelines."""
    sets = annotator_sets(SHARED / "bench" / "polnear" / "data" / "train")
    if not sets:
        print("annotator agreement: no multiply-annotated articles found")
        return
    reports, versions = read_articles(sets)
    rows: dict[str, dict[str, list[Scores]]] = {"annotators": {}, "dealtrace": {}}
    pairs = 0
    for report, doc in parse_reports(reports, settings):
        found = dealtrace_attributions(extract_report(report, doc, Profile(), settings, names=EXTRACTORS).quotes, report)
        people = versions[report.file]
        pairs += len(people) * (len(people) - 1) // 2
        for label, kind, need_source in (("all", None, True), ("direct", "direct", True),
                                         ("indirect", "indirect", True), ("all, content only", None, False)):
            rows["annotators"].setdefault(label, []).append(agreement(people, kind, need_source))
            rows["dealtrace"].setdefault(label, []).extend(score(found, gold, kind, need_source) for gold in people)
    print(f"\nReference: {len(reports)} train articles annotated by several people ({pairs} pairs of annotators); "
          f"dealtrace scored against each annotator's version")
    print(f"{'who':<10} {'attributions':<18} {'P':>6} {'R':>6} {'F1':>6}")
    for name, by_label in rows.items():
        for label, per_doc in by_label.items():
            t = total(per_doc)
            print(f"{name:<10} {label:<18} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles (default: all)")
    parser.add_argument("--split", default="dev", help="PolNeAR compartment (default: dev)")
    parser.add_argument("--no-reference", action="store_true",
                        help="skip the annotator-agreement reference (the train articles several people annotated)")
    args = parser.parse_args()
    run(args.split, args.limit)
    if not args.no_reference:
        human_reference(Settings())


if __name__ == "__main__":
    main()
