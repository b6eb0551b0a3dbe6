"""Read inputs of any supported format and turn each into a cleaned Report.

The stage for a batch is `read_reports`: read every input (files, folders, URLs, `-`), take each
page's main text, learn the lines the batch repeats (boilerplate), then clean and build each report.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

from ..errors import Errors
from ..model import Problem, Report, Source, normalise_body, record_id
from ..settings import Settings
from .boilerplate import find_boilerplate
from .clean import clean_text, parse_byline, split_names
from .fetch import fetch, is_url
from .formats import RawInput, read_bytes, read_text_bytes
from .html import MAX_DEPTH, extract_html, too_deep
from .language import detect_language
from .listing import sorted_files
from .metadata import iso_date, load_sidecar

__all__ = ["read_inputs", "read_reports", "build_report", "report_from_text", "load_sidecar", "find_boilerplate",
           "RawInput", "read_file", "read_text_bytes", "detect_language"]

log = logging.getLogger(__name__)
SIDECAR_NAME = "metadata.jsonl"


def iter_paths(paths: Iterable[str | Path], settings: Settings) -> Iterator[str | Path | Problem]:
    """Files under the given paths (folders recursively, by the glob), URLs and `-`, in a stable order."""
    for path in paths:
        if is_url(path) or str(path) == "-":
            yield str(path)
            continue
        path = Path(path)
        if not path.exists():
            yield Problem(str(path), Errors.E001.format(path=path), "E001", "failed")
        elif path.is_dir():
            for child in sorted_files(path, settings.glob):  # listed as read: a folder of 100k files is not held
                if child.is_file() and not child.name.startswith(".") and child.name != SIDECAR_NAME:
                    yield child
        else:
            yield path


def read_file(path: Path, settings: Settings = Settings()) -> Iterator[RawInput | Problem]:
    """Every report in one file; never raises."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > settings.max_bytes:
            yield Problem(source, Errors.E005.format(path=source, size=size, cap=settings.max_bytes), "E005",
                          "skipped")
            return
        data = path.read_bytes()
    except OSError as e:
        yield Problem(source, Errors.E004.format(path=source, detail=e.strerror or e), "E004", "failed")
        return
    yield from _guarded(read_bytes(data, path.name, source, settings.max_bytes), source)


def read_stdin(settings: Settings, stream: BinaryIO | None = None) -> Iterator[RawInput | Problem]:
    """Reports piped in on `-`; the format is sniffed from the bytes."""
    stream = stream if stream is not None else sys.stdin.buffer
    data = stream.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        yield Problem("<stdin>", Errors.E005.format(path="<stdin>", size=f"more than {settings.max_bytes}",
                                                    cap=settings.max_bytes), "E005", "skipped")
        return
    yield from _guarded(read_bytes(data, "stdin", "<stdin>", settings.max_bytes, None, False), "<stdin>")


def _guarded(items: Iterator[RawInput | Problem], source: str) -> Iterator[RawInput | Problem]:
    """A reader bug becomes one Problem for its input instead of ending the whole batch."""
    try:
        yield from items
    except Exception as e:  # last line of defence; readers handle the failures they know
        log.warning("reader failed on %s", source, exc_info=True)
        yield Problem(source, Errors.E004.format(path=source, detail=f"{type(e).__name__}: {e}"[:200]), "E004",
                      "failed")


def read_inputs(paths: Iterable[str | Path], settings: Settings = Settings()) -> Iterator[RawInput | Problem]:
    """Every report in the given files, folders, URLs and `-` (stdin), or a Problem per bad input."""
    for item in iter_paths(paths, settings):
        if isinstance(item, Problem):
            yield item
        elif item == "-":
            yield from read_stdin(settings)
        elif isinstance(item, str):
            yield from _guarded(fetch(item, settings), item)
        else:
            yield from read_file(item, settings)


def _sidecar_entry(raw: RawInput, sidecar: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    if not sidecar:
        return {}
    name = Path(raw.file).name
    if "#" in name:
        # An entry for the whole container (JSONL, WARC, feed) holds for each record, except
        # what differs per record; an entry for the record itself wins.
        whole = sidecar.get(name.split("#")[0], {})
        entry = {key: value for key, value in whole.items() if key not in ("published", "title", "url")}
        entry.update(sidecar.get(name, {}))
        return entry
    return dict(sidecar.get(name, {}))


def _main_text(raw: RawInput) -> tuple[str, dict[str, Any]] | Problem:
    """The text to clean and any page metadata: trafilatura's main text for HTML, the text otherwise."""
    if raw.format != "html":
        return raw.text, {}
    if too_deep(raw.text):
        return Problem(raw.source, Errors.E016.format(path=raw.source, depth=MAX_DEPTH), "E016", "skipped")
    page = extract_html(raw.text, url=raw.fields.get("url"))
    if page is None:
        return Problem(raw.source, Errors.E010.format(path=raw.source), "E010", "skipped")
    return page["text"], page


def build_report(raw: RawInput, sidecar: dict[str, dict[str, Any]] | None = None,
                 boilerplate: frozenset[str] = frozenset()) -> Report | Problem:
    """Clean one input and gather its metadata (sidecar > JSON field > HTML metadata > text)."""
    main = _main_text(raw)
    if isinstance(main, Problem):
        return main
    return _assemble(raw, main, _sidecar_entry(raw, sidecar), boilerplate)


def _assemble(raw: RawInput, main: tuple[str, dict[str, Any]], meta: dict[str, Any],
              boilerplate: frozenset[str]) -> Report | Problem:
    text, html_meta = main
    fields = raw.fields
    outlet = meta.get("outlet") or fields.get("outlet") or html_meta.get("sitename")
    cleaned = clean_text(text, outlet=outlet, boilerplate=boilerplate, lenient=raw.format in ("html", "feed"))
    if not cleaned.body.strip():
        return Problem(raw.source, Errors.E006.format(path=raw.source), "E006", "skipped")
    published = (iso_date(meta.get("published")) or iso_date(fields.get("published"))
                 or iso_date(html_meta.get("date")) or iso_date(cleaned.date_text))
    authors = list(fields.get("authors") or [])
    if not authors and html_meta.get("author"):
        authors = split_names(str(html_meta["author"]).replace(";", ","))
    # A page's metadata often names only the first author; the byline in the text names them all.
    for line in html_meta.get("bylines", []):
        byline = parse_byline(line if line.lower().startswith("by ") else "By " + line, outlet)
        authors += [name for name in (byline[0] if byline else []) if name not in authors]
    authors += [name for name in cleaned.authors if name not in authors]
    body = cleaned.body
    report = Report(
        id=record_id(normalise_body(body)),
        file=raw.file,
        source=raw.source,
        raw_text=raw.text,
        body=body,
        title=meta.get("title") or fields.get("title") or html_meta.get("title") or cleaned.title,
        outlet=outlet or cleaned.outlet_tag,
        authors=authors,
        contributors=cleaned.contributors,
        dateline=cleaned.dateline,
        published=published,
        language=detect_language(body),
        format=raw.format,
        notes=cleaned.notes,
        # raw offsets only mean something when the raw input is the plain text itself
        offset_map=cleaned.offset_map if raw.format == "txt" else [],
    )
    report.sources = [Source(report=report.id, file=report.file, outlet=report.outlet, published=report.published)]
    return report


def read_reports(paths: Iterable[str | Path], settings: Settings = Settings(),
                 sidecar: dict[str, dict[str, Any]] | str | Path | None = None) -> Iterator[Report | Problem]:
    """The whole ingest stage for a batch: read every input, learn its boilerplate, build each report.

    Without a sidecar, a `metadata.jsonl` in any given folder is used.
    """
    paths = list(paths)
    if isinstance(sidecar, (str, Path)):
        sidecar = load_sidecar(sidecar)
    elif sidecar is None:
        sidecar = {}
        for path in paths:
            candidate = Path(path) / "metadata.jsonl" if str(path) != "-" else None
            if candidate is not None and candidate.is_file():
                sidecar.update(load_sidecar(candidate))
    prepared: list[tuple[RawInput, tuple[str, dict[str, Any]], dict[str, Any]] | Problem] = []
    for raw in read_inputs(paths, settings):
        if isinstance(raw, Problem):
            prepared.append(raw)
            continue
        main = _main_text(raw)
        if isinstance(main, Problem):
            prepared.append(main)
            continue
        prepared.append((raw, main, _sidecar_entry(raw, sidecar)))
    items = [item for item in prepared if not isinstance(item, Problem)]
    outlets = [_outlet_of(raw, main[1], meta) for raw, main, meta in items]
    boilerplate = find_boilerplate([(outlet, main[0]) for outlet, (_, main, _) in zip(outlets, items)])
    outlet_at = {id(item): outlet for item, outlet in zip(items, outlets)}
    for item in prepared:
        if isinstance(item, Problem):
            yield item
            continue
        raw, main, meta = item
        lines = boilerplate.get(outlet_at[id(item)]) or boilerplate[None]
        yield _assemble(raw, main, meta, lines)


def _outlet_of(raw: RawInput, page: dict[str, Any], meta: dict[str, Any]) -> str | None:
    outlet = meta.get("outlet") or raw.fields.get("outlet") or page.get("sitename")
    return str(outlet).casefold() if outlet else None


def report_from_text(text: str, published: Any = None, file: str = "<text>", outlet: str | None = None,
                     title: str | None = None) -> Report | Problem:
    """A Report from a string, as `dealtrace.analyze` needs."""
    raw = RawInput(file=file, source=file, text=text, format="txt",
                   fields={"published": published, "outlet": outlet, "title": title})
    if not text.strip():
        return Problem(file, Errors.E002.format(path=file), "E002", "skipped")
    return build_report(raw)
