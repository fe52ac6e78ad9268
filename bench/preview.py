"""The editors' preview, timed as an editor meets it: from a save to the page served.

    python -m bench.preview --pairs 300 [--edits 10] [--seed 1]

Starts `python -m sitebuild.preview --watch` (what `invoke livereload` runs, with the
editors' settings, pelicanconf.py) on a generated corpus, waits for its first build,
then, one at a time, appends a sentence to the text of `--edits` articles chosen by a
seeded draw (both languages, every section) and times each save until the served
page (over HTTP, as a browser gets it) shows the sentence; then one title edit, timed
until the site's archive page lists the new title. The files are put back afterwards.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .generate import generate
from .run import ROOT, Article, corpus_articles, write_our_config

MARK = "Preview benchmark sentence"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Server:
    def __init__(self, config: Path, output: Path):
        self.port = _free_port()
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitebuild.preview", "--watch", "--config", str(config),
             "--output", str(output), "--port", str(self.port)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "SITEBUILD_MESSAGES_LANG": "en"})  # its lines are read here
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, condition, seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"the preview did not get there ({what}):\n" + "\n".join(self.lines[-20:]))
            time.sleep(0.01)

    def get(self, path: str) -> str:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path)
            return connection.getresponse().read().decode("utf-8", "replace")
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _address(article: Article) -> str:
    prefix = "" if article.lang == "ar" else f"/{article.lang}"
    return f"{prefix}/{article.section}/{article.slug}/"


def nearest_rank(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measure_preview(content: Path, work: Path, edits: int = 10, seed: int = 1, log=print) -> dict:
    articles = corpus_articles(content)
    chosen = random.Random(seed).sample(articles, edits + 1)
    config = write_our_config(work, content, work / "preview-cache", "previewconf.py", base="pelicanconf")
    server = _Server(config, work / "preview-output")
    originals: dict[Path, str] = {}
    try:
        started = time.perf_counter()
        server.wait_for(lambda: any(line.startswith("Serving") for line in server.lines), 3600, "first build")
        log(f"preview: first build and start {time.perf_counter() - started:.1f} s")
        seconds = []
        for number, article in enumerate(chosen[:edits]):
            time.sleep(1.0)  # a quiet preview between saves, as between an editor's saves
            originals.setdefault(article.path, article.path.read_text(encoding="utf-8"))
            sentence = f"{MARK} {number}."
            began = time.perf_counter()
            article.path.write_text(originals[article.path] + f"\n{sentence}\n", encoding="utf-8")
            server.wait_for(lambda a=article, s=sentence: s in server.get(_address(a)), 600, sentence)
            seconds.append(time.perf_counter() - began)
            log(f"preview edit {number + 1}/{edits} ({article.lang}/{article.section}): {seconds[-1]:.2f} s")
        time.sleep(1.0)
        article = chosen[edits]
        originals.setdefault(article.path, article.path.read_text(encoding="utf-8"))
        title = f"{MARK} title"
        lines = originals[article.path].split("\n")
        lines = [f"Title: {title}" if line.startswith("Title:") else line for line in lines]
        began = time.perf_counter()
        article.path.write_text("\n".join(lines), encoding="utf-8")
        archive = "/archives/" if article.lang == "ar" else f"/{article.lang}/archives/"
        server.wait_for(lambda: title in server.get(archive), 600, "title in the archive")
        title_seconds = time.perf_counter() - began
        log(f"preview title edit to the archive page: {title_seconds:.2f} s")
        time.sleep(1.0)  # the preview prints its line after the files are in place
        updates = sum(line.startswith("Updated ") for line in server.lines)
    finally:
        server.stop()
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
    return {"edits": edits, "p50": statistics.median(seconds), "p95": nearest_rank(seconds, 0.95),
            "max": max(seconds), "title": title_seconds, "updated_in_place": updates}


def report_line(result: dict) -> str:
    return (f"preview edit-to-page: p50 {result['p50']:.2f} s, p95 {result['p95']:.2f} s "
            f"({result['edits']} text edits and a title edit, {result['updated_in_place']} applied in place; max "
            f"{result['max']:.2f} s); title edit to the archive page: {result['title']:.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.preview", description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    try:
        generate(work, args.pairs, args.seed)
        result = measure_preview(work / "content", work, args.edits, args.seed,
                                 log=lambda text: print(text, file=sys.stderr, flush=True))
        print(report_line(result))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
