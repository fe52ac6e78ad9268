"""Build the whole site: one Pelican run per language in parallel (the content check
runs meanwhile and stops them on an error), then swap the new output in.

The output folder is replaced only when every language built cleanly and every
content file is accounted for; a failed build leaves the previous output as it was.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import shutil
import time
import traceback
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from babel.support import NullTranslations
from jinja2 import TemplateError

from . import afterrun
from .cache import close_content_cache, commit_render_records, open_content_cache, path_only
from .catalogs import compiled_catalogs
from .check import check_content
from .compress import precompress_site
from .config import Site, load_site
from .errors import BuildError, Problem
from .inventory import (
    SourceItem,
    published_items,
    read_inventory,
    section_index,
    translation_index,
)
from .languages import pelican_settings
from .messages import msg, nmsg, translate
from .pgp import FINGERPRINT, check_submission_key
from .publication import DRAFT, EMBARGO, held_back_files, publishes_unpublished
from .staging import (
    kill_with_parent,
    make_staging,
    remove_stale_staging,
    swap_in,
    terminate_cleanly,
)


@dataclass
class LanguageResult:
    code: str
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pages: int = 0  # HTML pages written
    # Content problems the run's reader found (what the HTML sanitiser removes), as the check prints them.
    problems: list[Problem] = field(default_factory=list)


@dataclass
class BuildReport:
    output: Path
    seconds: float
    items: dict[str, int]  # published items per language
    pages_written: dict[str, int]
    warnings: list[str]
    # DRAFT/EMBARGO → items production holds back (sitebuild/publication.py)
    held_back: dict[str, int] = field(default_factory=dict)
    held_back_files: int = 0  # images and documents only held-back items use
    preview: bool = False  # SHOW_UNPUBLISHED: the held-back items are shown, with a banner
    sources: list[SourceItem] = field(default_factory=list, repr=False)  # the inventory it built

    def summary(self, translations=None) -> str:
        """One line, in the editor's language (sitebuild/messages.py)."""
        translations = translations or NullTranslations()
        parts = [msg("{code}: {items}, {pages}", code=code,
                     items=nmsg("{n} item", "{n} items", self.items.get(code, 0)),
                     pages=nmsg("{n} page", "{n} pages", self.pages_written.get(code, 0)))
                 for code in self.pages_written]
        drafts = nmsg("{n} draft", "{n} drafts", self.held_back.get(DRAFT, 0))
        embargoed = nmsg("{n} embargoed item", "{n} embargoed items", self.held_back.get(EMBARGO, 0))
        held = (msg("the preview shows {drafts} and {embargoed} that production holds back",
                    drafts=drafts, embargoed=embargoed) if self.preview
                else msg("held back, not published: {drafts} and {embargoed} (`invoke check` lists "
                         "embargoes)", drafts=drafts, embargoed=embargoed))
        if self.held_back_files:
            held = msg("{held}, and {files} only they use", held=held,
                       files=nmsg("{n} file", "{n} files", self.held_back_files))
        line = msg("Built {output} in {seconds} s", output=str(self.output), seconds=f"{self.seconds:.2f}")
        separator = translate(msg("; "), translations)
        return separator.join(translate(part, translations) for part in [line, *parts, held])


class _Collector(logging.Handler):
    """Keeps every warning and error a Pelican run logs."""

    def __init__(self, result: LanguageResult):
        super().__init__(logging.WARNING)
        self.result = result

    def emit(self, record: logging.LogRecord) -> None:
        problem = getattr(record, "problem", None)  # logged with extra={"problem": ...}
        if isinstance(problem, Problem):
            self.result.problems.append(problem)
            return
        target = self.result.errors if record.levelno >= logging.ERROR else self.result.warnings
        target.append(record.getMessage())


def run_language(settings: dict, *, keep: bool = False) -> LanguageResult:
    """One language's Pelican run (in a worker process), then the work plugins left
    for after it (`afterrun`), done once the run's objects are released; `keep`: the
    caller keeps them (the preview's language process)."""
    from pelican import Pelican, signals
    from pelican.log import console
    from pelican.settings import read_settings

    console.quiet = True  # the driver prints one summary for all languages
    result = LanguageResult(settings["DEFAULT_LANG"])
    collector = _Collector(result)
    root = logging.getLogger()
    root.addHandler(collector)

    @path_only
    def written(path, context=None) -> None:
        result.pages += str(path).endswith(".html")

    signals.content_written.connect(written)
    cache = None
    try:
        cache = open_content_cache(settings)
        with afterrun.collected() as tasks:
            Pelican(read_settings(None, override=settings)).run()
            if not keep:
                afterrun.release()
            for task in tasks:
                task()
    except TemplateError as error:
        where = getattr(error, "filename", None) or getattr(error, "name", None) or "template"
        line = getattr(error, "lineno", None)
        result.errors.append(f"{where}{f':{line}' if line else ''}: {type(error).__name__}: {error}")
    except Exception as error:  # reported to the editor as one line, with the language
        # `--debug` (Pelican's DEBUG setting): the whole traceback, for maintainers.
        result.errors.append(traceback.format_exc().rstrip() if settings.get("DEBUG")
                             else f"{type(error).__name__}: {error}")
    finally:
        root.removeHandler(collector)
        signals.content_written.disconnect(written)
    close_content_cache(cache, clean=not result.errors and not result.warnings and not result.problems)
    return result


def _run_all(all_settings: list[dict], jobs: int, check) -> list[LanguageResult]:
    """Every language's run, in parallel worker processes; meanwhile this process
    runs `check` (the content check): when it raises, the runs are stopped."""
    if jobs <= 1 or len(all_settings) == 1:
        check()
        return [run_language(s) for s in all_settings]
    # The workers are forked: without this, their garbage collector would touch (and so
    # copy) every object of this process, the inventory of every file among them.
    gc.freeze()
    try:
        # Fork, said explicitly (Python 3.14 makes forkserver the default on Linux): the
        # workers start with this process's settings, plugins' signals and frozen heap.
        context = multiprocessing.get_context("fork")
        pool = context.Pool(min(jobs, len(all_settings)), initializer=kill_with_parent)
    finally:
        gc.unfreeze()
    with pool:  # leaving it stops the workers
        runs = pool.map_async(run_language, all_settings, chunksize=1)
        check()
        return runs.get()


def _check(items: list[SourceItem], site: Site) -> None:
    """The content check: warnings are logged, errors stop the build."""
    # Markdown is not rendered here (it would compete with the runs for the CPU): the
    # runs' reader reports what the HTML sanitiser removes.
    problems = check_content(items, site, render_html=False)
    for warning in (p for p in problems if p.severity == "warning"):
        logging.getLogger("sitebuild").warning("%s", warning)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise BuildError(_stopped(len(errors)), errors)


def _stopped(errors: int):
    return nmsg("content check: {n} error; nothing was published",
                "content check: {n} errors; nothing was published", errors)


def _pelican_problem(message: str, code: str, items: list[SourceItem], site: Site) -> Problem:
    """A message Pelican or a plugin logged, given to the file it names (if it names one)."""
    for item in items:
        if str(site.content_root / item.source_path) in message or f" {item.source_path}" in message:
            return Problem(str(item.path), 1, "pelican", f"{code}: {message}")
    return Problem(code, 0, "pelican", message)


def _missing_outputs(items: list[SourceItem], output: Path) -> list[Problem]:
    """Every published content file must have produced its page (stock Pelican may skip one)."""
    return [
        Problem(
            str(item.path),
            1,
            "output",
            msg("no page was written for this file (expected {page})", page=item.save_as),
            msg("see the messages above; fix the file or mark it `Status: draft`"),
        )
        for item in items
        if not (output / item.save_as).is_file()
    ]


def build(
    config_path: str | Path,
    output: str | Path | None = None,
    *,
    strict: bool | None = None,
    jobs: int | None = None,
    debug: bool = False,
    runner=None,
) -> BuildReport:
    """Build the site into `output`. `runner(all_settings, check)` runs the languages
    while `check` runs (default: `_run_all`, a pool of `jobs` processes; the preview
    keeps a process per language, sitebuild/live.py)."""
    started = time.perf_counter()
    site: Site = load_site(config_path)
    strict = site.strict if strict is None else strict
    output = Path(output or site.settings["OUTPUT_PATH"]).resolve()
    # The contact page's PGP key must be the one its fingerprint names, and usable; the
    # page shows the fingerprint in groups of four (sitebuild/pgp.py).
    site.settings[FINGERPRINT] = check_submission_key(site)

    # One "now" for the whole build: the driver and every run agree on what is embargoed.
    site.settings["BUILD_TIME"] = datetime.now(UTC).isoformat()
    items = read_inventory(site.content_root, site.root, site.languages, site.settings)
    published = published_items(items, site.settings)
    held_files = held_back_files(items, site.content_root, site.settings)
    catalogs = compiled_catalogs(site)

    output.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(output)
    all_settings: list[dict] = []
    with terminate_cleanly():
        staging = make_staging(output)
        try:
            shared = {
                **site.settings,
                "OUTPUT_PATH": str(staging),
                "DEBUG": debug or site.settings.get("DEBUG", False),
                "FINAL_OUTPUT_PATH": str(output),  # the previous build, for the render_cache plugin
                "TRANSLATION_INDEX": translation_index(published),
                "SECTION_INDEX": section_index(published),
                "HELD_BACK_FILES": held_files,  # the publication plugin leaves them out
                "COMPILED_CATALOGS": str(catalogs),  # for the babel_i18n plugin
            }
            all_settings = [pelican_settings(shared, lang, site.languages) for lang in site.languages]
            # The content check runs while the languages build; its errors stop them.
            run = runner or (lambda settings, check: _run_all(settings, jobs or os.cpu_count() or 1, check))
            results = run(all_settings, lambda: _check(items, site))
            messages = [
                _pelican_problem(message, lang_result.code, items, site)
                for lang_result in results
                for message in lang_result.errors + (lang_result.warnings if strict else [])
            ]
            shown = {str(site.content_root / item.source_path): str(item.path) for item in items}
            found = sorted({replace(p, path=shown.get(p.path, p.path)) for r in results for p in r.problems})
            if found:
                raise BuildError(_stopped(len(found)), found + messages)
            if messages:
                raise BuildError(msg("Pelican reported errors and warnings; nothing was published") if strict
                                 else msg("Pelican reported errors; nothing was published"), messages)
            missing = _missing_outputs(published, staging)
            if missing:
                raise BuildError(msg("some content files produced no page; nothing was published"), missing)
            precompress_site(staging, site.settings)  # optional .gz/.br copies, last
            swap_in(staging, output)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            commit_render_records(all_settings, published=False)
            raise
    commit_render_records(all_settings, published=True)
    listed, held_back = {}, {}
    for item in published:
        if item.status == "published":
            listed[item.language.code] = listed.get(item.language.code, 0) + 1
    for item in items:
        if item.hold_back:
            held_back[item.hold_back] = held_back.get(item.hold_back, 0) + 1
    return BuildReport(
        output=output,
        seconds=time.perf_counter() - started,
        items=listed,
        pages_written={result.code: result.pages for result in results},
        warnings=[w for r in results for w in r.warnings],
        held_back=held_back,
        held_back_files=len(held_files),
        preview=publishes_unpublished(site.settings),
        sources=items,
    )
