"""The editors' preview: serve the built site, rebuild on every save, refresh the page.

`invoke livereload` builds the site, serves it on http://127.0.0.1:8000/ and
watches the content, the theme, the plugins and the settings file (with
watchfiles, which Pelican itself uses: the system tells it of each save). One
saved change gives one update (changes that arrive together are applied
together; a change made during a build gives one more), and its summary or its
problems are printed once. A change to the text of existing items is applied by
processes that keep each language's last build in memory (sitebuild/live.py):
only the pages that show it are rendered. Anything else is a full build. Open pages reload themselves after a successful
build: the server adds `<script src="/_preview/reload.js">` to the HTML it serves
(the files on disk are not changed), and that script listens to
`/_preview/events` (server-sent events). A missing page gets the site's own
404 page; /_status/ shows the editors' dashboard (sitebuild/status.py).
`invoke serve` is the same server without watching.

Written here, on the standard library, rather than with the `livereload`
package: that package injects an inline script, which the site's
Content-Security-Policy (rightly) refuses, and serves its own 404 page.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import watchfiles

from .build import build
from .check import check_items
from .config import Site, load_site
from .errors import BuildError
from .inventory import SourceItem, reread_item, same_place
from .live import LiveSession
from .messages import editor_language, msg, nmsg, translate, translations_for
from .status import as_html, status_report

RELOAD_SCRIPT = b'<script src="/_preview/reload.js" defer></script>'
RELOAD_JS = b"""// The preview's reload: the server says when a new build is in place.
new EventSource("/_preview/events").addEventListener("reload", () => location.reload());
"""
IGNORED_NAMES = ("__pycache__", ".git")


class Generation:
    """The number of the newest successful build; pages wait on it to reload."""

    def __init__(self):
        self.number = 0
        self.changed = threading.Condition()

    def bump(self) -> None:
        with self.changed:
            self.number += 1
            self.changed.notify_all()

    def wait_past(self, number: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.number > number, timeout)
            return self.number


def _ignored(name: str) -> bool:
    """Folders of tools, and the files editors write beside the one being saved."""
    return (name in IGNORED_NAMES or name.startswith(".") or name.endswith(("~", ".swp", ".tmp"))
            or name == "4913")  # vim's test file


class Rebuilder:
    """Watches the sources; one save gives one update of the served site.

    A save that changes only the text of existing items is applied by the language
    processes that keep the last build's state (sitebuild/live.py): the pages that show
    it are rendered into the served folder, in well under a second on a large site.
    Anything else, or when that is not possible, is a full build (sitebuild/build.py),
    which keeps the last good build when it fails."""

    def __init__(self, config: str, output: str, watched: list[Path], generation: Generation,
                 live: LiveSession | None = None):
        self.config, self.output, self.watched, self.generation = config, output, watched, generation
        self.live = live
        self.builds = 0
        self.site: Site | None = None
        self.sources: dict[str, SourceItem] = {}  # the last good build's items, by absolute path
        try:
            codes = [lang.code for lang in load_site(config).languages]
        except BuildError:  # the build says what is wrong
            codes = []
        self.translations = translations_for(editor_language(None, codes))

    def say(self, text) -> None:
        print(translate(text, self.translations), flush=True)

    def rebuild(self) -> bool:
        self.builds += 1
        try:
            report = build(self.config, self.output, runner=self.live.run_all if self.live else None)
        except BuildError as error:
            if self.live:
                self.live.built(False)
            print(error.localized(self.translations), flush=True)
            self.say(msg("The preview keeps the last good build; save the file again once it is fixed."))
            return False
        if self.live:
            self.live.built(True)
        self.site = load_site(self.config)
        self.sources = {str(self.site.content_root / item.source_path): item for item in report.sources}
        print(report.summary(self.translations), flush=True)
        self.generation.bump()
        return True

    def apply(self, changed: set[str]) -> bool:
        """One save (the files it changed): updated in place when it can be, else rebuilt."""
        if (self.live and self.live.ready and self.site and changed
                and all(path in self.sources and os.path.isfile(path) for path in changed)
                and self._update(sorted(changed))):
            return True
        return self.rebuild()

    def _update(self, changed: list[str]) -> bool:
        """The items' new text, checked, applied by their languages' processes."""
        started = time.perf_counter()
        site = self.site
        new = {path: reread_item(self.sources[path], site) for path in changed}
        if any(not same_place(self.sources[path], item) for path, item in new.items()):
            return False  # a new slug, status, date or language: the full build places it
        items = [new.get(path, item) for path, item in self.sources.items()]
        problems = check_items(list(new.values()), items, site)
        if any(problem.severity == "error" for problem in problems):
            return False  # the full build reports them, and keeps the last good build
        by_language: dict[str, list[str]] = {}
        for path, item in new.items():
            by_language.setdefault(item.language.code, []).append(path)
        updates = self.live.update(by_language, Path(self.output))
        if any(update.rebuild for update in updates):
            return False
        self.sources.update(new)
        for problem in problems:  # warnings and notices: errors went to the full build
            print(problem.localized(self.translations), flush=True)
        pages = sum(len(update.pages) for update in updates)
        names = ", ".join(str(item.path) for item in new.values())
        self.say(msg("Updated {files} in {seconds} s ({pages})", files=names,
                     seconds=f"{time.perf_counter() - started:.2f}",
                     pages=nmsg("{n} page", "{n} pages", pages)))
        self.generation.bump()
        return True

    def watch(self, stop: threading.Event) -> None:
        roots = [str(path) for path in self.watched]

        def wanted(change, path: str) -> bool:
            root = next((r for r in roots if path == r or path.startswith(r.rstrip(os.sep) + os.sep)), None)
            relative = Path(path).relative_to(root).parts if root else Path(path).parts[-1:]
            return not any(_ignored(part) for part in relative)

        # One batch of changes per save (watchfiles waits `step` ms for the save to end);
        # what changes during a build comes as the next batch.
        for changes in watchfiles.watch(*roots, watch_filter=wanted, step=50, stop_event=stop,
                                        raise_interrupt=False):
            self.apply({path for _, path in changes})


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the output folder; HTML gets the reload script; a missing page the site's 404."""

    generation: Generation | None = None
    config: str = "pelicanconf.py"

    def log_message(self, format: str, *args) -> None:  # one line per request is noise here
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        if self.path == "/_preview/reload.js":
            return self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_JS)
        if self.path == "/_preview/events":
            return self._events()
        if self.path.split("?")[0] in ("/_status", "/_status/") and self.generation is not None:
            page = as_html(status_report(load_site(self.config))).encode()
            return self._send(HTTPStatus.OK, "text/html; charset=utf-8", page)
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().do_GET()  # the standard redirect to the folder's address
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            return self._send_html(HTTPStatus.OK, path)
        if path.is_file():
            return super().do_GET()
        missing = Path(self.directory) / "404.html"
        if missing.is_file():
            return self._send_html(HTTPStatus.NOT_FOUND, missing)
        return self.send_error(HTTPStatus.NOT_FOUND)

    def _send_html(self, status: HTTPStatus, path: Path) -> None:
        page = path.read_bytes()
        if self.generation is not None:
            page = page.replace(b"</head>", RELOAD_SCRIPT + b"</head>", 1)
        self._send(status, "text/html; charset=utf-8", page)

    def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        if self.generation is None:
            return self.send_error(HTTPStatus.NOT_FOUND)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = self.generation.number
        try:
            while True:
                now = self.generation.wait_past(seen, timeout=15)
                message = b"event: reload\ndata: new build\n\n" if now > seen else b": still here\n\n"
                self.wfile.write(message)
                self.wfile.flush()
                seen = now
        except (BrokenPipeError, ConnectionResetError):
            pass


def watched_paths(config: str) -> list[Path]:
    site = load_site(config)
    plugins = [Path(p) for p in site.settings.get("PLUGIN_PATHS", [])]
    return [site.content_root, site.theme, *plugins, site.config_path]


def serve(config: str, output: str, port: int, watch: bool) -> None:
    output_path = Path(output)
    generation = Generation() if watch else None
    live = LiveSession() if watch else None
    rebuilder = Rebuilder(config, output, watched_paths(config), generation or Generation(), live)
    if watch or not (output_path / "index.html").is_file():  # `invoke serve` with nothing built
        print("Building the site…", flush=True)
        if not rebuilder.rebuild() and not (output_path / "index.html").is_file():
            sys.exit(1)
    stop = threading.Event()
    if watch:
        threading.Thread(target=rebuilder.watch, args=(stop,), daemon=True).start()
    handler = type("Handler", (PreviewHandler,), {"generation": generation, "config": config})
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(output_path)))
    server.daemon_threads = True
    print(f"Serving {output} on http://127.0.0.1:{port}/ — press Ctrl+C to stop.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        stop.set()
        server.server_close()
        if live:
            live.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sitebuild.preview",
                                     description="Serve the built site; with --watch, rebuild on save.")
    parser.add_argument("--config", default="pelicanconf.py")
    parser.add_argument("--output", default="output")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--watch", action="store_true", help="rebuild and reload on every save")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    serve(args.config, args.output, args.port, args.watch)


if __name__ == "__main__":
    main()
