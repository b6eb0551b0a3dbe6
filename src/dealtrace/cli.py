"""`dealtrace ...`: a thin layer over the Python API (`Tracker`, `analyze`)."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import DealtraceError
from .model import Problem, to_dict
from .settings import DEFAULT_DB, DEFAULT_NLP, Settings
from .tracker import Tracker

app = typer.Typer(help="Read news reports about a negotiation and keep a source-linked model of it.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
profile_app = typer.Typer(help="Create and inspect negotiation profiles.\n\n"
                               "Example: dealtrace profile init ../shared/corpus -o profile.yaml", no_args_is_help=True)
app.add_typer(profile_app, name="profile")
# Off a terminal (pipes, make) tables get room instead of rich's 80-column default.
console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 150)
err_console = Console(stderr=True, soft_wrap=True)

DbOption = typer.Option(DEFAULT_DB, "--db", help="SQLite file or database URL (postgresql://...).")
JsonOption = typer.Option(False, "--json", help="Print JSON instead of a table.")
_state: dict[str, Any] = {"debug": False}


@app.callback()
def _main(debug: bool = typer.Option(False, "--debug", help="Show tracebacks and debug logs.")) -> None:
    _state["debug"] = debug
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {message}", highlight=False, markup=True)
    return typer.Exit(code)


def open_tracker(db: str, settings: Settings | None = None) -> Tracker:
    try:
        return Tracker(db, settings or Settings())
    except DealtraceError as e:
        raise fail(str(e)) from None


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _short(text: str | None, width: int = 90) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders (recursively), URLs, or - for stdin."),
    db: str = DbOption,
    profile: Optional[Path] = typer.Option(None, "--profile", help="Negotiation profile (YAML)."),
    meta: Optional[Path] = typer.Option(None, "--meta", help="Sidecar metadata.jsonl: {file, published, outlet, title}."),
    glob: str = typer.Option("*", "--glob", help="Which files to read inside folders, e.g. '*.txt'."),
    nlp: str = typer.Option(DEFAULT_NLP, "--nlp", help="spaCy pipeline name or path."),
    n_process: int = typer.Option(1, "--n-process", help="Parser processes."),
    max_bytes: int = typer.Option(Settings.max_bytes, "--max-bytes", help="Skip inputs larger than this."),
    workers: int = typer.Option(0, "--workers", help="Parse and extract on a local Dask cluster of N processes."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Use an existing Dask cluster: tcp://HOST:PORT."),
    batch_size: int = typer.Option(Settings.batch_size, "--batch-size", min=1,
                                   help="Reports parsed and stored together (a killed run loses at most one batch)."),
) -> None:
    """Read reports into the store; bad inputs are listed and skipped.

    Example: dealtrace ingest ../shared/corpus --meta ../shared/corpus/metadata.jsonl --profile profile.yaml
    """
    from .profile import load_profile

    settings = Settings(nlp=nlp, n_process=n_process, max_bytes=max_bytes, glob=glob, workers=workers,
                        scheduler=scheduler, batch_size=batch_size)
    tracker = open_tracker(db, settings)
    try:
        loaded = load_profile(profile) if profile else None
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err_console, transient=True) as bar:
            task = bar.add_task("parsing and extracting", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            def on_problem(problem: Problem) -> None:
                bar.console.print(f"[yellow]{problem.kind}:[/yellow] {problem.message}", highlight=False)

            summary = tracker.ingest(paths, profile=loaded, meta=meta, on_problem=on_problem, progress=progress)
    except DealtraceError as e:
        raise fail(str(e)) from None
    err_console.print(f"ingested {summary.ingested}, already stored {summary.unchanged}, "
                      f"skipped {summary.skipped}, failed {summary.failed}"
                      + (f", read in part {summary.warnings}" if summary.warnings else ""), highlight=False)
    raise typer.Exit(0 if summary.ingested or summary.unchanged else 1)


@app.command()
def reports(db: str = DbOption, as_json: bool = JsonOption) -> None:
    """List the stored reports with their metadata and copy links.

    Example: dealtrace reports --json
    """
    tracker = open_tracker(db)
    rows = list(tracker.store.reports())
    if as_json:
        print_json([{k: v for k, v in to_dict(r).items() if k not in ("raw_text", "offset_map")} for r in rows])
        return
    table = Table("id", "file", "outlet", "published", "title", "authors", "copy of", "words")
    for r in rows:
        table.add_row(r.id, r.file or "", r.outlet or "", r.published or "?", _short(r.title, 40),
                      ", ".join(r.authors), r.copy_of or "", str(len(r.body.split())))
    console.print(table)


@app.command()
def actors(db: str = DbOption, side: Optional[str] = typer.Option(None, "--side", help="Only actors of this side."),
           as_json: bool = JsonOption) -> None:
    """List actors with their kind, side, role and mention counts.

    Example: dealtrace actors --side Veloria
    """
    tracker = open_tracker(db)
    rows = [a for a in tracker.load().actors if not side or (a.side or "").casefold() == side.casefold()]
    if as_json:
        print_json([to_dict(a) for a in rows])
        return
    table = Table("name", "kind", "side", "role", "mentions", "reports")
    for a in rows:
        table.add_row(a.name, a.kind, a.side or "", _short(a.role, 40), str(len(a.mentions)),
                      str(len({m.report for m in a.mentions})))
    console.print(table)


@app.command()
def quotes(db: str = DbOption, as_json: bool = JsonOption,
           speaker: Optional[str] = typer.Option(None, "--speaker", help="Only quotes whose speaker name or "
                                                 "descriptor contains this (any case)."),
           anonymous: bool = typer.Option(False, "--anonymous", help="Only quotes from anonymous sources."),
           side: Optional[str] = typer.Option(None, "--side", help="Only quotes whose speaker is on this side."),
           all_kinds: bool = typer.Option(False, "--all", help="Also list attributions that are not statements "
                                          "(stances, beliefs: kind \"attribution\").")) -> None:
    """List quotes with their speakers (anonymous ones flagged) and sources.

    Example: dealtrace quotes --json
    """
    from .analyze.quotes import select_quotes

    tracker = open_tracker(db)
    rows = select_quotes(tracker.load().quotes, speaker=speaker, anonymous=True if anonymous else None, side=side)
    if not all_kinds:
        rows = [q for q in rows if q.kind != "attribution"]
    if as_json:
        print_json([to_dict(q) for q in rows])
        return
    table = Table("kind", "speaker", "side", "quote", "file", "sources")
    for q in rows:
        speaker = q.speaker.name or q.speaker.descriptor or "?"
        if q.speaker.anonymous:
            speaker = f"[anon] {q.speaker.descriptor or speaker}"
        table.add_row(q.kind, speaker, q.speaker.side or "", _short(q.text, 70), q.file or "", str(len(q.sources) or 1))
    console.print(table)


@app.command()
def export(db: str = DbOption, out: Path = typer.Option(Path("export"), "--out", help="Folder to write into."),
           format: str = typer.Option("jsonl", "--format", help="Only jsonl for now.")) -> None:
    """Write one JSONL file per record kind (reports, actors, quotes, events, figures, positions, proposals, timexes).

    Example: dealtrace export --format jsonl --out out/
    """
    from .export import export_jsonl

    if format != "jsonl":
        raise fail(f"--format {format!r}: only 'jsonl' is supported.")
    tracker = open_tracker(db)
    counts = export_jsonl(tracker.load(), out)
    for name, count in counts.items():
        console.print(f"{out / name}: {count} records", highlight=False)


@app.command("eval")
def evaluate(gold: Path = typer.Argument(..., help="Gold file (dealtrace-gold/1)."), as_json: bool = JsonOption,
             nlp: str = typer.Option(DEFAULT_NLP, "--nlp", help="spaCy pipeline name or path.")) -> None:
    """Score dealtrace against a gold annotation: P/R/F1 per table.

    Example: dealtrace eval ../shared/eval/gaza-2024.gold.json --json
    """
    from .evaluate import evaluate_gold, format_scores

    try:
        scores = evaluate_gold(gold, Settings(nlp=nlp))
    except DealtraceError as e:
        raise fail(str(e)) from None
    if as_json:
        print_json(scores)
    else:
        console.print(format_scores(scores), highlight=False)


@app.command()
def demo(db: str = typer.Option("demo.db", "--db", help="Store for the demo corpus.")) -> None:
    """Ingest the invented demo negotiation in examples/ and show what was found.

    Example: dealtrace demo
    """
    from .evaluate import evaluate_gold, format_scores
    from .profile import load_profile

    root = _demo_root()
    if root is None:
        raise fail("the demo corpus (examples/demo) was not found beside the package; run from a clone.")
    tracker = open_tracker(db)
    summary = tracker.ingest([root / "corpus"], profile=load_profile(root / "profile.yaml"),
                             meta=root / "metadata.jsonl",
                             on_problem=lambda p: err_console.print(f"{p.kind}: {p.message}", highlight=False))
    model = tracker.load()
    console.rule(f"demo: {summary.ingested} reports ingested into {db}")
    counts = Table("records", "found", title="What dealtrace found")
    for name in ("reports", "actors", "quotes", "timexes", "events", "figures", "measures", "discrepancies",
                 "positions", "proposals"):
        counts.add_row(name, str(len(getattr(model, name))))
    console.print(counts)
    table = Table("file", "outlet", "published", "authors", "copy of", "also in", "words", title="Reports")
    files = {r.id: r.file for r in model.reports}
    for r in model.reports:
        others = ", ".join(s.file for s in r.sources if s.file and s.file != r.file)
        table.add_row(r.file or "", r.outlet or "", r.published or "?", ", ".join(r.authors),
                      files.get(r.copy_of, "") if r.copy_of else "", others, str(len(r.body.split())))
    console.print(table)
    table = Table("actor", "kind", "side", "role", "mentions", title="Actors (most mentioned first)")
    for a in sorted(model.actors, key=lambda a: -len(a.mentions))[:25]:
        table.add_row(a.name, a.kind, a.side or "", _short(a.role, 40), str(len(a.mentions)))
    console.print(table)
    table = Table("kind", "speaker", "side", "quote", "file", title="Quotes (a sample; dealtrace quotes lists all)")
    for q in [q for q in model.quotes if q.kind in ("direct", "indirect")][:25]:
        who = f"[anon] {q.speaker.descriptor}" if q.speaker.anonymous else (q.speaker.name or "?")
        table.add_row(q.kind, who, q.speaker.side or "", _short(q.text, 70), q.file or "")
    console.print(table)
    if (root / "gold.json").exists():
        console.rule("scores against the demo gold")
        console.print(format_scores(evaluate_gold(root / "gold.json", tracker.settings)), highlight=False)


def _demo_root() -> Path | None:
    for base in (Path.cwd(), Path(__file__).resolve().parents[2]):
        if (base / "examples" / "demo" / "corpus").is_dir():
            return base / "examples" / "demo"
    return None


def main() -> None:
    """Entry point: library errors become one line; tracebacks only with --debug."""
    try:
        app()
    except DealtraceError as e:
        if "--debug" in sys.argv:
            raise
        err_console.print(f"[red]error:[/red] {e}", highlight=False)
        sys.exit(1)


# Commands added by later stages go below this line (append; keep each command self-contained).


@app.command()
def forecast(
    issue: Optional[str] = typer.Option(None, "--issue", help="Only this issue (its id)."),
    model: str = typer.Option("compromise", "--model",
                              help="compromise, nash, median, expected-utility or exchange."),
    what_if: Optional[list[str]] = typer.Option(None, "--what-if",
                                                help="Move a side: 'Side=position' (0–100; repeatable)."),
    table_file: Optional[Path] = typer.Option(None, "--table", help="Forecast a standard table (CSV "
                                              "Actor,Capability,Position,Salience, KTAB or #A/#P/#M/#D) "
                                              "instead of the store."),
    as_json: bool = JsonOption,
    db: str = DbOption,
) -> None:
    """Forecast where each issue lands with a bargaining model, and who has to move.

    Example: dealtrace forecast --model expected-utility --what-if "Veloria=70"
    """
    from .analyze.bargaining import read_table
    from .analyze.forecast import forecast as forecast_analysis, forecast_table, parse_what_if

    try:
        moved = parse_what_if(what_if or [])
        if table_file is not None:
            results = forecast_table(read_table(table_file), issue=issue, model=model, what_if=moved)
        else:
            tracker = open_tracker(db)
            results = forecast_analysis(tracker.load(), tracker.profile, issue=issue, model=model, what_if=moved)
    except DealtraceError as e:
        raise fail(str(e)) from None
    if not results:
        raise fail(f"{db}: no issues to forecast; ingest reports with --profile first, or pass --table FILE.")
    if as_json:
        print_json([to_dict(f) for f in results])
        return
    for f in results:
        value = "no forecast" if f.result is None else f"{f.result:.2f}"
        console.rule(f"{f.issue}: {value}  [{f.model}{'' if f.steady else ', not steady'}]", style="cyan")
        if f.proposition != f.issue or f.scale:
            console.print(" ".join(x for x in (f.proposition if f.proposition != f.issue else "", f.scale) if x),
                          style="dim", highlight=False)
        final = f.rounds[-1].positions if f.rounds else {}
        inputs = Table("side", "position", "salience", "capability", "evidence", "basis", "final position")
        for i in f.inputs:
            end = final.get(i.side, i.position)
            inputs.add_row(i.side, f"{i.position:.1f}", f"{i.salience:.1f}", f"{i.capability:g}",
                           "" if i.basis == "table" else str(i.evidence), i.basis,
                           f"{end:.1f}" + (f" ({end - i.position:+.1f})" if end != i.position else ""))
        console.print(inputs)
        if len(f.rounds) > 1:
            rounds = Table("round", "forecast", "moves", "largest moves")
            for r in f.rounds[1:]:
                largest = sorted(r.moves, key=lambda m: -abs(m.after - m.before))[:3]
                rounds.add_row(str(r.number), f"{r.outcome:.2f}", str(len(r.moves)), "; ".join(
                    f"{m.actor} {m.before:.1f}→{m.after:.1f} toward {m.toward} ({m.kind})" for m in largest))
            console.print(rounds)
        for note in f.notes:
            console.print(f"note: {note}", style="yellow", highlight=False)


_STANCE_STYLE = {"support": "green", "oppose": "red", "conditional": "yellow"}


@app.command()
def positions(db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Show where each side stands on each issue (latest stance), coloured by stance, and the sticking points.

    Example: dealtrace positions --json
    """
    from .analyze.positions import matrix, sticking_points

    analysis = open_tracker(db).load()
    cells = matrix(analysis)
    points = sticking_points(analysis)
    if as_json:
        print_json({"matrix": [to_dict(c) for c in cells], "sticking_points": [to_dict(p) for p in points],
                    "positions": [to_dict(p) for p in analysis.positions]})
        return
    issues = [i.id for i in analysis.issues if any(c.issue == i.id for c in cells)]
    sides = [s.name for s in analysis.sides if any(c.side == s.name for c in cells)]
    table = Table("side", *issues)
    at = {(c.side, c.issue): c for c in cells}
    for side in sides:
        row = []
        for issue in issues:
            cell = at.get((side, issue))
            if cell is None:
                row.append("")
                continue
            mark = "*" if cell.shifted else ""
            row.append(f"[{_STANCE_STYLE.get(cell.stance, 'white')}]{cell.stance}{mark}[/] {cell.date or ''}")
        table.add_row(side, *row)
    console.print(table)
    console.print("* the stance shifted over time", style="dim")
    ranked = Table("sticking point", "score", "opposition", "reports", "party stances")
    for p in points:
        ranked.add_row(p.issue, f"{p.score:.2f}", f"{p.opposition:.1f}", str(p.coverage),
                       ", ".join(f"{side}: {stance}" for side, stance in p.stances.items()))
    console.print(ranked)


@app.command()
def proposals(db: str = DbOption, as_json: bool = JsonOption) -> None:
    """List the proposals on the table: author, date, reports, and each side's answer with its date.

    Example: dealtrace proposals --json
    """
    rows = open_tracker(db).load().proposals
    if as_json:
        print_json([to_dict(p) for p in rows])
        return
    table = Table("proposal", "author", "date", "reports", "responses")
    for p in rows:
        author = ", ".join(x for x in [p.author or "?", *p.co_authors])
        answers = "; ".join(f"{r.side}: {r.response} {r.date or ''}".strip() for r in p.responses)
        table.add_row(p.name, author, p.date or "", str(len(p.reports)), answers)
    console.print(table)


@app.command()
def changes(since: str = typer.Option(..., "--since", help="Day to compare with (YYYY-MM-DD)."),
            db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Show what changed since a day: new or shifted positions, new proposals and answers, new figures.

    Example: dealtrace changes --since 2025-04-15
    """
    from .analyze.changes import changes_since
    from .errors import Errors

    try:
        found = changes_since(open_tracker(db).load(), since)
    except ValueError:
        raise fail(Errors.E045.format(value=since)) from None
    if as_json:
        print_json(to_dict(found))
        return
    console.rule(f"since {since}")
    for p in found.new_positions:
        console.print(f"new position: {p.side} [{_STANCE_STYLE.get(p.stance, 'white')}]{p.stance}[/] {p.issue} "
                      f"({p.date or '?'}) — {_short(p.sentence, 80)}", highlight=False)
    for before, after in found.shifted_positions:
        was = f"{before.stance} → " if before else ""
        console.print(f"shifted: {after.side} on {after.issue}: {was}{after.stance}"
                      f"{f' ({after.shift})' if after.shift else ''} ({after.date or '?'})", highlight=False)
    for p in found.new_proposals:
        console.print(f"new proposal: {p.name} by {p.author or '?'} ({p.date or '?'})", highlight=False)
    for p, r in found.new_responses:
        console.print(f"answer: {r.side} {r.response} {p.name} ({r.date or '?'})", highlight=False)
    for f in found.new_figures:
        console.print(f"new figure: {f.text or f.value} {f.measure or f.counted or ''} ({f.date or '?'})", highlight=False)
    if found.empty():
        console.print("nothing new", style="dim")


@app.command()
def timeline(since: Optional[str] = typer.Option(None, "--since", help="Only events on or after this day (YYYY-MM-DD)."),
             actor: Optional[str] = typer.Option(None, "--actor", help="Only events this actor takes part in."),
             as_json: bool = JsonOption, db: str = DbOption) -> None:
    """Show the events of the talks in date order: who did what to whom, where, and which reports say so.

    Example: dealtrace timeline --since 2025-04-01 --actor Renvald
    """
    from .analyze.timeline import start_day, timeline as build_timeline, to_plover
    from .errors import Errors

    if since and start_day(since) is None:
        raise fail(Errors.E045.format(value=since))
    rows = build_timeline(open_tracker(db).load(), since=since, actor=actor)
    if as_json:
        print_json([to_plover(e) for e in rows])
        return
    table = Table("date", "type", "actors", "recipients", "place", "trigger", "reports")
    table.columns[0].no_wrap = True
    for e in rows:
        flags = " (future)" if e.future else ""
        table.add_row(e.date or "?", e.type + flags, ", ".join(e.actors), ", ".join(e.recipients), e.place or "",
                      e.trigger or "", str(len({s.report for s in e.sources}) or 1))
    console.print(table)


def _report_row(report: Any) -> dict[str, Any]:
    return {"id": report.id, "file": report.file, "outlet": report.outlet, "published": report.published,
            "title": report.title, "words": len(report.body.split())}


@app.command()
def copies(db: str = DbOption, as_json: bool = JsonOption) -> None:
    """List copy groups: each canonical report with its copies (re-posts, truncations) and overlaps.

    Example: dealtrace copies --json
    """
    from .dedup import copy_groups

    reports = {r.id: r for r in open_tracker(db).store.reports()}
    groups = copy_groups(reports.values())
    overlapping = sorted({tuple(sorted((r.id, o))) for r in reports.values() for o in r.overlaps if o in reports})
    if as_json:
        print_json({"groups": [{"canonical": _report_row(reports[g.canonical]),
                                "copies": [_report_row(reports[c]) for c in g.copies]}
                               for g in groups if g.canonical in reports],
                    "overlaps": [[_report_row(reports[a]), _report_row(reports[b])] for a, b in overlapping]})
        return
    table = Table("canonical", "copy", "outlet", "published", "words")
    for g in groups:
        canonical = reports.get(g.canonical)
        if canonical is None:
            continue
        table.add_row(canonical.file or canonical.id, "", canonical.outlet or "", canonical.published or "?",
                      str(len(canonical.body.split())), style="bold")
        for c in g.copies:
            copy = reports[c]
            table.add_row("", copy.file or copy.id, copy.outlet or "", copy.published or "?", str(len(copy.body.split())))
    if groups:
        console.print(table)
    if overlapping:
        pairs = Table("report", "shares passages with")
        for a, b in overlapping:
            pairs.add_row(reports[a].file or a, reports[b].file or b)
        console.print(pairs)
    if not groups and not overlapping:
        console.print("no copies or overlaps", style="dim")


@app.command()
def stories(db: str = DbOption, as_json: bool = JsonOption) -> None:
    """List stories: reports about one thread of events, with their dates and what they are about.

    Example: dealtrace stories --json
    """
    from .dedup import stories as find_stories

    reports = {r.id: r for r in open_tracker(db).store.reports()}
    found = find_stories(reports.values())
    if as_json:
        print_json([{"id": s.id, "first": s.first, "last": s.last, "terms": s.terms,
                     "reports": [dict(_report_row(reports[r]), copy_of=reports[r].copy_of) for r in s.reports]}
                    for s in found])
        return
    table = Table("story", "dates", "about", "reports")
    for s in found:
        names = [(reports[r].file or r) + (" (copy)" if reports[r].copy_of else "") for r in s.reports]
        dates = s.first if s.first == s.last else f"{s.first or '?'} – {s.last or '?'}"
        table.add_row(s.id, dates or "?", ", ".join(s.terms), "\n".join(names))
    console.print(table)


def _figure_value(bound: str, value: float, low: float | None = None, high: float | None = None) -> str:
    """"about 120", "more than 60", "30–40": a figure's value as the report bounded it."""
    def number(x: float) -> str:
        return f"{int(x):,}" if float(x).is_integer() else f"{x:,.3g}"
    if bound == "range" and low is not None and high is not None:
        return f"{number(low)}–{number(high)}"
    return number(value) if bound == "exact" else f"{bound} {number(value)}"


@app.command()
def figures(db: str = DbOption,
            measure: Optional[str] = typer.Option(None, "--measure", help="Only measures whose name contains this."),
            as_json: bool = JsonOption) -> None:
    """List reported figures, each measure's dated series, and figures that contradict each other.

    Example: dealtrace figures --measure detainees
    """
    analysis = open_tracker(db).load()
    wanted = measure.casefold() if measure else None
    measures = [m for m in analysis.measures if not wanted or wanted in m.name.casefold()]
    names = {m.name for m in measures}
    rows = [f for f in analysis.figures if not wanted or f.measure in names]
    found = [d for d in analysis.discrepancies if d.measure in {m.id for m in measures}]
    if as_json:
        print_json({"figures": [to_dict(f) for f in rows], "measures": [to_dict(m) for m in measures],
                    "discrepancies": [to_dict(d) for d in found]})
        return
    reports = {r.id: r for r in analysis.reports}
    table = Table("measure", "value", "unit", "date", "report", "according to")
    for f in sorted(rows, key=lambda f: (f.measure or "", f.date or "", f.file or "")):
        report = reports.get(f.report)
        where = f.file or f.report
        if report is not None and report.outlet:
            where = f"{where} ({report.outlet})"
        table.add_row(_short(f.measure, 45), _figure_value(f.bound, f.value, f.low, f.high), f.unit or "",
                      f.date or "?", where, _short(f.attribution, 30))
    console.print(table)
    for m in measures:
        if len(m.series) < 2:
            continue
        points = ", ".join(f"{p.date or '?'}: {_figure_value(p.bound, p.value, p.low, p.high)}" for p in m.series)
        console.print(f"[bold]{m.name}[/bold] ({m.trend or 'no trend'}): {points}", highlight=False)
    for d in found:
        console.print(f"[red]discrepancy[/red] {d.reason}", highlight=False)
    if not rows:
        console.print("no figures" + (f" for measure {measure!r}" if measure else ""), style="dim")


@profile_app.command("init")
def profile_init(
    paths: list[str] = typer.Argument(..., help="Report files or folders (recursively)."),
    out: Path = typer.Option(..., "-o", "--out", help="Profile file to write (YAML)."),
    meta: Optional[Path] = typer.Option(None, "--meta", help="Sidecar metadata.jsonl (default: one in each folder)."),
    glob: str = typer.Option("*", "--glob", help="Which files to read inside folders, e.g. '*.txt'."),
    nlp: str = typer.Option(DEFAULT_NLP, "--nlp", help="spaCy pipeline name or path."),
    n_process: int = typer.Option(1, "--n-process", help="Parser processes."),
) -> None:
    """Propose a profile (sides, roles, aliases, candidate issues) from reports, for you to edit.

    Example: dealtrace profile init ../shared/corpus -o profile.yaml
    """
    from .analyze.bootstrap import profile_from_reports
    from .ingest import read_reports
    from .profile import dump_profile

    settings = Settings(nlp=nlp, n_process=n_process, glob=glob)
    try:
        found = []
        for report in read_reports(paths, settings, sidecar=meta):
            if isinstance(report, Problem):
                err_console.print(f"[yellow]{report.kind}:[/yellow] {report.message}", highlight=False)
            else:
                found.append(report)
        if not found:
            raise fail("no reports read; nothing to propose a profile from.")
        proposed = profile_from_reports(found, settings)
        out.write_text(dump_profile(proposed), encoding="utf-8")
    except DealtraceError as e:
        raise fail(str(e)) from None
    err_console.print(f"{out}: {len(proposed.sides)} sides, {len(proposed.issues)} candidate issues "
                      f"from {len(found)} reports; edit it, then pass it with --profile.", highlight=False)


@app.command()
def brief(since: Optional[str] = typer.Option(None, "--since", help="Only what is dated on or after this day "
                                              "(YYYY-MM-DD) in the dated sections."),
          format: str = typer.Option("md", "--format", help="md or html."),
          out: Optional[Path] = typer.Option(None, "--out", help="File to write (default: standard output)."),
          model: str = typer.Option("compromise", "--model", help="Bargaining model for the forecast section."),
          db: str = DbOption) -> None:
    """Write the brief: state of play, sides, sticking points, proposals, timeline, figures, quotes, forecast.

    Example: dealtrace brief --since 2025-04-15 --format html --out brief.html
    """
    from .analyze.forecast import forecast as forecast_analysis
    from .analyze.proposals import as_day
    from .errors import Errors
    from .report import build_brief, render_html, render_markdown

    if format not in ("md", "html"):
        raise fail(f"--format {format!r}: give md or html.")
    if since and as_day(since) is None:
        raise fail(Errors.E045.format(value=since))
    tracker = open_tracker(db)
    analysis = tracker.load()
    if not analysis.reports:
        raise fail(f"{db}: no reports stored; run dealtrace ingest first.")
    try:
        forecasts = forecast_analysis(analysis, tracker.profile, model=model)
    except DealtraceError as e:
        raise fail(str(e)) from None
    made = build_brief(analysis, tracker.profile, since=since, forecasts=forecasts)
    text = render_html(made) if format == "html" else render_markdown(made)
    if out is None:
        sys.stdout.write(text)
        return
    out.write_text(text, encoding="utf-8")
    err_console.print(f"{out}: brief of {len(analysis.reports)} reports, {len(made.footnotes)} cited", highlight=False)


@app.command()
def serve(db: str = DbOption,
          host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; anything but loopback needs --token."),
          port: int = typer.Option(8000, "--port", help="Port to listen on."),
          token: Optional[str] = typer.Option(None, "--token", help="Require this token on every route "
                                              "(Authorization: Bearer T or ?token=T)."),
          max_body: int = typer.Option(1_000_000, "--max-body", help="Largest POST /api/ingest body, in bytes.")) -> None:
    """Serve the JSON API and the dashboard over a store (read-only except POST /api/ingest).

    Example: dealtrace serve --db demo.db --port 8000
    """
    import uvicorn

    from .web import create_app

    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        raise fail(f"--host {host}: serving beyond this machine needs --token (every route will require it).")
    app_ = create_app(open_tracker(db), token=token, max_body=max_body)
    err_console.print(f"dealtrace on http://{host}:{port}/ (store {db}); Ctrl-C stops it", highlight=False)
    uvicorn.run(app_, host=host, port=port, log_level="warning", server_header=False)
