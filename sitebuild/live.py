"""The preview's live state: one long-lived process per language keeps what its last
Pelican run read (the generators, their items and context) from one save to the next.

A full build (`sitebuild.build.build` with `LiveSession.run_all` as its runner) runs
each language in its process, which then keeps that run's state. A save that changes
only the text, title or fields of items the state already holds is applied to that state: the process
reads the saved files again with Pelican's readers (and the project's plugins), puts
the new items in place of the old ones, and renders through the render_cache writer
in its in-place mode, so only the pages whose digest changed (the item's page, the
listings that show it, the pages that read its body) are rendered, and only those
whose bytes changed are moved into the served folder. Anything else — a new, moved
or deleted file, a changed address, date, section, tag or status, a template, a setting,
a problem the reader reports — answers "rebuild": the caller runs a full build. The
search index and the sitemaps are refreshed by that next full build.

The processes are started with the "spawn" method: the preview serves pages from
threads, and forking a process with threads is unsafe.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .build import LanguageResult, run_language

SCRATCH = "/dev/shm"


@dataclass
class Update:
    """What one language's process did with a save."""

    pages: list[str] = field(default_factory=list)  # output files that changed
    rebuild: str = ""  # why a full build is needed instead ("" when the update was applied)
    seconds: float = 0.0


class _State:
    """One language's last Pelican run, and the render record of its updates since."""

    def __init__(self, pelican, generators: list):
        self.pelican, self.generators = pelican, generators
        self.record: dict | None = None  # the render_cache writer's `live_record`
        self.unsaved = False  # the record on disk is older than the updates

    def save_record(self, writer_class) -> None:
        """Before the next full build: the record of the pages the updates wrote."""
        if self.unsaved and self.record is not None:
            writer_class(self.pelican.settings["OUTPUT_PATH"], settings=self.pelican.settings,
                         record=self.record).save_in_place()
        self.unsaved = False


def _items(generators) -> dict[str, tuple[object, object]]:
    """Every item of the run by its source path: (generator, item)."""
    from pelican.contents import Content

    found = {}
    for generator in generators:
        for value in vars(generator).values():
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, Content):
                        found.setdefault(item.source_path, (generator, item))
    return found


def _swap(value, old, new, seen: set[int], depth: int = 0) -> None:
    """Put `new` wherever `old` is, in the lists and dicts under `value` (each once)."""
    if depth > 4 or id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, list):
        for index, element in enumerate(value):
            if element is old:
                value[index] = new
            elif isinstance(element, (list, tuple, dict)):
                _swap(element, old, new, seen, depth + 1)
    elif isinstance(value, dict):
        for key, element in value.items():
            if element is old:
                value[key] = new
            elif isinstance(element, (list, tuple, dict)):
                _swap(element, old, new, seen, depth + 1)
    elif isinstance(value, tuple):
        for element in value:
            if isinstance(element, (list, tuple, dict)):
                _swap(element, old, new, seen, depth + 1)


class _Problems(logging.Handler):
    """Warnings and errors logged while the saved files are read."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.found.append(record.getMessage())


def _reread(state: _State, source: str):
    """The item of `source` read again, or a reason to rebuild."""
    from pelican import signals
    from pelican.contents import SkipStub
    from pelican.generators import ArticlesGenerator, PagesGenerator

    found = _items(state.generators).get(source)
    if found is None:
        return None, "not an item of the last build"
    generator, old = found
    if isinstance(generator, ArticlesGenerator):
        preread, context_signal = signals.article_generator_preread, signals.article_generator_context
    elif isinstance(generator, PagesGenerator):
        preread, context_signal = signals.page_generator_preread, signals.page_generator_context
    else:
        return None, f"read by {type(generator).__name__}"
    new = generator.readers.read_file(
        base_path=generator.path, path=os.path.relpath(source, generator.path), content_class=type(old),
        context=generator.context, preread_signal=preread, preread_sender=generator,
        context_signal=context_signal, context_sender=generator)
    if isinstance(new, SkipStub) or not new.is_valid():
        return None, "no longer a valid item"
    # What the run set on the item after reading it (its translations, frozen URLs…).
    for name, value in vars(old).items():
        vars(new).setdefault(name, value)
    return (generator, old, new), ""


def update(state: _State, sources: list[str], output: Path) -> Update:
    """Apply saved files to the state and write the pages that changed into `output`."""
    from pelican.generators import ArticlesGenerator, PagesGenerator

    started = time.perf_counter()
    problems = _Problems()
    logging.getLogger().addHandler(problems)
    try:
        swaps = []
        for source in sources:
            swap, why = _reread(state, source)
            if swap is None:
                return Update(rebuild=f"{source}: {why}")
            swaps.append(swap)
        writer_class = _writer_class(state)
        if not hasattr(writer_class, "publish_in_place"):
            return Update(rebuild="the render_cache plugin is not in PLUGINS")
        retitled = False
        for _, old, new in swaps:
            if writer_class.structure_state(old) != writer_class.structure_state(new):
                return Update(rebuild=f"{new.source_path}: its address, dates, section, tags or status changed")
            retitled = retitled or writer_class.light_state(old) != writer_class.light_state(new)
        if problems.found:
            return Update(rebuild="; ".join(problems.found))
        context = state.generators[0].context
        for _, old, new in swaps:
            seen: set[int] = set()
            for holder in [context, *state.generators]:
                _swap(list(vars(holder).values()) if holder is not context else context, old, new, seen)
            for translation in getattr(new, "translations", []):
                _swap(getattr(translation, "translations", []), old, new, seen)

        # Scratch files on tmpfs when there is one: most are empty (reused listing pages).
        scratch = Path(tempfile.mkdtemp(prefix="sitebuild-live-", dir=SCRATCH if os.access(SCRATCH, os.W_OK)
                                        else output.parent))
        try:
            settings = {**state.pelican.settings, "OUTPUT_PATH": str(scratch)}
            writer = (writer_class(str(scratch), settings=settings, record=state.record) if state.record
                      else writer_class(str(scratch), settings=settings))
            writer.publish_in_place({new.source_path for _, _, new in swaps}, retitled)
            for generator in state.generators:
                if isinstance(generator, (ArticlesGenerator, PagesGenerator)):
                    kept, generator.output_path = generator.output_path, str(scratch)
                    try:
                        generator.generate_output(writer)
                    finally:
                        generator.output_path = kept
            if problems.found:
                return Update(rebuild="; ".join(problems.found))
            pages = _publish(scratch, output)
            state.record, state.unsaved = writer.live_record, True
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return Update(pages=pages, seconds=time.perf_counter() - started)
    finally:
        logging.getLogger().removeHandler(problems)


def _writer_class(state: _State):
    """The writer the run used (a plugin's, through Pelican's `get_writer` signal)."""
    from pelican import signals
    from pelican.writers import Writer

    return next((w for _, w in signals.get_writer.send(state.pelican) if isinstance(w, type)), Writer)


def _publish(scratch: Path, output: Path) -> list[str]:
    """Move what the writer wrote into the served folder: files with other bytes than
    the served ones (a page it reused is empty, and stays out)."""
    moved = []
    for folder, _, names in os.walk(scratch):
        for name in names:
            path = Path(folder) / name
            if not path.stat().st_size:
                continue
            relative = path.relative_to(scratch)
            target = output / relative
            if target.is_file() and target.read_bytes() == path.read_bytes():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.live")
            shutil.copyfile(path, partial)
            os.replace(partial, target)  # a page being served is never half-written
            moved.append(relative.as_posix())
    return sorted(moved)


def _serve(connection) -> None:
    """A language's process: builds and updates, on request, until the pipe closes."""
    from pelican import signals

    state: _State | None = None
    captured: dict = {}

    def keep_pelican(pelican) -> None:
        captured["pelican"] = pelican

    def keep_generators(generators) -> None:
        captured["generators"] = generators

    signals.initialized.connect(keep_pelican, weak=False)
    signals.all_generators_finalized.connect(keep_generators, weak=False)
    while True:
        try:
            command, payload = connection.recv()
        except (EOFError, KeyboardInterrupt):
            return
        try:
            if command == "build":
                if state is not None:
                    state.save_record(_writer_class(state))
                captured.clear()
                result: LanguageResult = run_language(payload, keep=True)
                clean = not (result.errors or result.problems)
                state = _State(captured["pelican"], captured["generators"]) if clean and captured else None
                connection.send(result)
            elif command == "stop":
                if state is not None:
                    state.save_record(_writer_class(state))
                return
            elif command == "update":
                sources, output = payload
                connection.send(update(state, sources, Path(output)) if state is not None
                                else Update(rebuild="the last build of this language failed"))
        except Exception as error:  # the parent rebuilds; the state may be half-updated
            state = None
            connection.send(Update(rebuild=f"{type(error).__name__}: {error}") if command == "update"
                            else LanguageResult(payload.get("DEFAULT_LANG", "?"), errors=[str(error)]))


class LiveSession:
    """The preview's language processes (one per language, started on first use)."""

    def __init__(self):
        self._context = multiprocessing.get_context("spawn")
        self._workers: dict[str, tuple] = {}
        self.ready = False  # the last full build succeeded: updates may be applied

    def _worker(self, code: str):
        if code not in self._workers:
            parent, child = self._context.Pipe()
            process = self._context.Process(target=_serve, args=(child,), daemon=True,
                                            name=f"preview-{code}")
            process.start()
            child.close()
            self._workers[code] = (parent, process)
        return self._workers[code][0]

    def run_all(self, all_settings: list[dict], check) -> list[LanguageResult]:
        """`sitebuild.build.build`'s runner: every language in its process while `check` runs."""
        self.ready = False
        connections = [self._worker(settings["DEFAULT_LANG"]) for settings in all_settings]
        for connection, settings in zip(connections, all_settings, strict=True):
            connection.send(("build", settings))
        try:
            check()
        finally:
            results = [connection.recv() for connection in connections]  # the runs finish either way
        return results

    def built(self, succeeded: bool) -> None:
        """The build that `run_all` ran was published (or not)."""
        self.ready = succeeded

    def update(self, sources_by_language: dict[str, list[str]], output: Path) -> list[Update]:
        """Apply saved files in each language's process (in parallel)."""
        connections = {code: self._worker(code) for code in sources_by_language}
        for code, connection in connections.items():
            connection.send(("update", (sources_by_language[code], str(output))))
        results = [connection.recv() for connection in connections.values()]
        if any(result.rebuild for result in results):
            self.ready = False
        return results

    def close(self) -> None:
        for connection, process in self._workers.values():
            connection.send(("stop", None))
            connection.close()
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
        self._workers.clear()
