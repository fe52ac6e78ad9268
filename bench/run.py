"""Build one generated corpus with stock Pelican and with our production build, in one run.

    python -m bench.run --pairs 300 [--runs 3] [--seed 1] [--work DIR] [--keep]

Each build runs as a subprocess (under /usr/bin/time when present), cold (output
and cache removed) and warm (the same build again after appending a sentence to
one article, cache and output kept). Each of the R runs does stock cold, stock
warm, ours cold, ours warm (the order of stock and ours alternates between runs).
Peak memory is reported twice: the largest single process (`/usr/bin/time %M`,
or getrusage's max over children) and the whole process tree (the sum of every
descendant's proportional set size, PSS, sampled every 50 ms from /proc).
See bench/README.md for what is measured and the recorded results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .generate import generate

ROOT = Path(__file__).resolve().parent.parent
GNU_TIME = Path("/usr/bin/time")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
STOCK_SITEURL = "https://bench.example.org"
TOUCH_MARK = "Benchmark edit"


def write_our_config(work: Path, content: Path, cache: Path, name: str = "oursconf.py",
                     base: str = "publishconf") -> Path:
    """`base` (publishconf: production, absolute URLs, strict; pelicanconf: the preview's
    and the editors' settings) with PATH = the corpus."""
    config = work / name
    config.write_text(
        "\n".join([
            "import sys",
            f"sys.path.insert(0, {str(ROOT)!r})",
            f"from {base} import *  # noqa: F403",
            f"PATH = {str(content)!r}",
            f"THEME = {str(ROOT / 'theme')!r}",
            f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]",
            f"CACHE_PATH = {str(cache)!r}",
            "",
        ]),
        encoding="utf-8",
    )
    return config


def write_stock_config(work: Path, cache: Path) -> Path:
    """Stock Pelican: default theme, default feeds (SITEURL set so they are written),
    no plugins; every article of both languages in one run. Only the pages folders
    are pointed at (the corpus keeps them in <lang>/pages/), and the content cache
    is on so that the warm build is comparable."""
    config = work / "stockconf.py"
    config.write_text(
        "\n".join([
            "SITENAME = 'Benchmark'",
            f"SITEURL = {STOCK_SITEURL!r}",
            "TIMEZONE = 'UTC'",
            "DEFAULT_LANG = 'en'",
            "PLUGINS = []  # not None: Pelican would load every installed namespace plugin",
            "PAGE_PATHS = ['ar/pages', 'en/pages']",
            "ARTICLE_EXCLUDES = ['ar/pages', 'en/pages']",
            "CACHE_CONTENT = True",
            "LOAD_CONTENT_CACHE = True",
            f"CACHE_PATH = {str(cache)!r}",
            "",
        ]),
        encoding="utf-8",
    )
    return config


# --- measuring a subprocess ----------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return found


def _memory(pid: int) -> int:
    """Proportional set size (shared pages divided among their sharers) of one process,
    else its resident size: summing RSS would count the pages a forked worker shares
    with its parent twice."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    with open(f"/proc/{pid}/statm") as handle:
        return int(handle.read().split()[1]) * PAGE_SIZE


def _tree_memory(pid: int) -> int:
    """Memory of `pid` and all its descendants right now."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            total += _memory(current)
        except (OSError, IndexError, ValueError):
            continue
        stack += _children(current)
    return total


@dataclass
class Measure:
    wall: float
    process_peak: int  # bytes, largest single process
    tree_peak: int  # bytes, sampled sum of PSS over the process tree (0 when not sampled)


def settle(output: Path, limit: float = 300.0) -> None:
    """Wait until the output's retired predecessor, deleted in the background after
    a build (sitebuild/build.py `_swap_in`), is gone: not to slow the next build."""
    waited = 0.0
    while list(output.parent.glob(".retired-*")) and waited < limit:
        time.sleep(0.1)
        waited += 0.1


def measure(command: list[str], cwd: Path, sample_tree: bool = False) -> Measure:
    """Run `command`, return wall time and peak memory; raise on failure.

    `sample_tree`: also sample the process tree's memory every 50 ms (reading
    /proc/PID/smaps_rollup costs CPU, which a build using both cores would lose:
    timed runs do not sample)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing:
        wrapped = ([str(GNU_TIME), "-f", "%M", "-o", timing.name, *command]
                   if GNU_TIME.exists() else command)
        peak = [0]
        done = threading.Event()
        started = time.perf_counter()
        process = subprocess.Popen(wrapped, cwd=cwd, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_memory(process.pid))
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        if sample_tree and Path("/proc/self/task").is_dir():
            sampler.start()
        output, _ = process.communicate()
        wall = time.perf_counter() - started
        done.set()
        if sampler.is_alive():
            sampler.join()
        if process.returncode:
            raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{output[-3000:]}")
        if GNU_TIME.exists():
            process_peak = int(timing.read().strip().splitlines()[-1]) * 1024
        else:  # the max over every child this process has waited for, in KiB on Linux
            import resource

            process_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return Measure(wall, process_peak, peak[0])


# --- the corpus and the outputs ---------------------------------------------------


@dataclass(frozen=True)
class Article:
    lang: str
    section: str
    slug: str
    path: Path


def corpus_articles(content: Path) -> list[Article]:
    return [
        Article(path.parts[-3], path.parts[-2], path.stem, path)
        for path in sorted(content.glob("*/*/*.md"))
        if path.parts[-2] != "pages"
    ]


def our_page(output: Path, article: Article) -> Path:
    prefix = "" if article.lang == "ar" else f"{article.lang}/"
    return output / f"{prefix}{article.section}/{article.slug}/index.html"


def stock_page(output: Path, article: Article) -> Path:
    # DEFAULT_LANG is en: the Arabic version is the translation, saved as {slug}-ar.html.
    return output / (f"{article.slug}.html" if article.lang == "en" else f"{article.slug}-{article.lang}.html")


STYLESHEET = re.compile(r"<link\b[^>]*\brel=[\"']?stylesheet[^>]*>", re.IGNORECASE)
HREF = re.compile(r"\bhref=[\"']([^\"']+)[\"']")
CSS_IMPORT = re.compile(r"@import\s+(?:url\()?\s*[\"']?([^\"')\s;]+)")


def _local(output: Path, url: str, base: Path | None = None) -> Path:
    url = re.sub(r"^https?://[^/]+", "", url).split("?")[0].split("#")[0]
    if url.startswith("/"):
        return output / url.lstrip("/")
    return (base or output) / url


def css_bytes(output: Path, page: Path) -> int:
    """Bytes of every stylesheet the page links, with their @imports (each file once)."""
    html = page.read_text(encoding="utf-8")
    queue = [_local(output, HREF.search(tag)[1]) for tag in STYLESHEET.findall(html) if HREF.search(tag)]
    seen: set[Path] = set()
    while queue:
        css = queue.pop().resolve()
        if css in seen or not css.is_file():
            continue
        seen.add(css)
        queue += [_local(output, target, css.parent) for target in CSS_IMPORT.findall(css.read_text())]
    return sum(path.stat().st_size for path in seen)


@dataclass
class OutputStats:
    files: int
    bytes: int
    page_median: int
    page_max: int
    css_median: int
    css_max: int
    missing_pages: int


def output_stats(output: Path, pages: list[Path]) -> OutputStats:
    files = [path for path in output.rglob("*") if path.is_file()]
    present = [page for page in pages if page.is_file()]
    sizes = sorted(page.stat().st_size for page in present) or [0]
    # The stylesheets are the same on every article page of a theme: look at a sample.
    sample = present[:: max(1, len(present) // 50)]
    css = sorted(css_bytes(output, page) for page in sample) or [0]
    return OutputStats(
        files=len(files),
        bytes=sum(path.stat().st_size for path in files),
        page_median=int(statistics.median(sizes)),
        page_max=sizes[-1],
        css_median=int(statistics.median(css)),
        css_max=css[-1],
        missing_pages=len(pages) - len(present),
    )


# --- the benchmark -------------------------------------------------------------------


@dataclass
class Build:
    name: str
    command: list[str]
    output: Path
    cache: Path
    page_of: object  # (output, Article) -> Path
    cold: list[Measure] = field(default_factory=list)
    warm: list[Measure] = field(default_factory=list)
    stats: OutputStats | None = None
    tree_peak: int = 0  # bytes, from one more cold build with the process tree sampled


def touch_article(article: Article, run: int) -> str:
    """Append a sentence to one article's text; return the original text."""
    original = article.path.read_text(encoding="utf-8")
    article.path.write_text(original + f"\n{TOUCH_MARK} {run}.\n", encoding="utf-8")
    return original


def run_benchmark(pairs: int, runs: int, seed: int, work: Path, log=print,
                  with_phases: bool = True, preview_edits: int = 10) -> dict:
    generate(work, pairs, seed)
    content = work / "content"
    articles = corpus_articles(content)
    python = sys.executable
    builds = [
        Build("stock", [python, "-m", "pelican", str(content), "-s",
                        str(write_stock_config(work, work / "stock-cache")), "-o",
                        str(work / "stock-output"), "-q"],
              work / "stock-output", work / "stock-cache", stock_page),
        Build("ours", [python, "-m", "sitebuild", "build", "--config",
                       str(write_our_config(work, content, work / "ours-cache")), "--output",
                       str(work / "ours-output")],
              work / "ours-output", work / "ours-cache", our_page),
    ]
    touched = next(a for a in articles if a.lang == "ar" and a.section == "news")
    for run in range(runs):
        for build in builds if run % 2 == 0 else builds[::-1]:  # alternate who goes first
            for path in (build.output, build.cache):
                shutil.rmtree(path, ignore_errors=True)
            build.cold.append(measure(build.command, ROOT))
            settle(build.output)
            log(f"run {run + 1}/{runs} {build.name} cold: {build.cold[-1].wall:.2f} s")
            if build.stats is None:
                build.stats = output_stats(build.output, [build.page_of(build.output, a) for a in articles])
            original = touch_article(touched, run)
            try:
                build.warm.append(measure(build.command, ROOT))
                settle(build.output)
                page = build.page_of(build.output, touched)
                if f"{TOUCH_MARK} {run}." not in page.read_text(encoding="utf-8"):
                    raise RuntimeError(f"{build.name}: the warm build did not show the edit in {page}")
            finally:
                touched.path.write_text(original, encoding="utf-8")
            log(f"run {run + 1}/{runs} {build.name} warm: {build.warm[-1].wall:.2f} s")
    for build in builds:  # the process tree's memory, in one more (untimed) cold build
        for path in (build.output, build.cache):
            shutil.rmtree(path, ignore_errors=True)
        build.tree_peak = measure(build.command, ROOT, sample_tree=True).tree_peak
        settle(build.output)
        log(f"{build.name} cold, process tree sampled: {_mib(build.tree_peak)} MiB")
    phases = {}
    if with_phases:  # one more cold and warm build of ours, in-process timers on each step
        ours = builds[1]
        command = [python, "-m", "bench.phases", ours.command[ours.command.index("--config") + 1],
                   str(ours.output)]
        for mode in ("cold", "warm"):
            if mode == "cold":
                for path in (ours.output, ours.cache):
                    shutil.rmtree(path, ignore_errors=True)
            original = touch_article(touched, runs) if mode == "warm" else None
            try:
                completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
            finally:
                if original is not None:
                    touched.path.write_text(original, encoding="utf-8")
            phases[mode] = json.loads(completed.stdout.strip().splitlines()[-1])
            log(f"phases {mode}: {phases[mode]['build']:.2f} s")
    from .preview import measure_preview  # bench/preview.py uses this module's corpus helpers

    preview = measure_preview(content, work, preview_edits, seed, log) if preview_edits else None
    return {"pairs": pairs, "runs": runs, "seed": seed, "articles": len(articles),
            "builds": {build.name: build for build in builds}, "phases": phases, "preview": preview}


def _mib(value: float) -> str:
    return f"{value / 2**20:.0f}"


def _walls(measures: list[Measure]) -> tuple[float, float, float]:
    walls = [m.wall for m in measures]
    return statistics.median(walls), min(walls), max(walls)


def report(result: dict) -> str:
    builds = result["builds"]
    articles = result["articles"]
    lines = [
        f"Benchmark: --pairs {result['pairs']} ({articles} articles + 4 pages), --runs {result['runs']}, "
        f"seed {result['seed']}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, Python {platform.python_version()}",
        "",
        "| build | wall s median (min–max) | peak MiB: largest process / process tree (cold) "
        "| ms/article | output files | output MiB |",
        "|---|---|---|---|---|---|",
    ]
    for name in builds:
        build = builds[name]
        for mode, measures in (("cold", build.cold), ("warm", build.warm)):
            median, low, high = _walls(measures)
            lines.append(
                f"| {name} {mode} | {median:.2f} ({low:.2f}–{high:.2f}) "
                f"| {_mib(max(m.process_peak for m in measures))} / {_mib(build.tree_peak)} "
                f"| {1000 * median / articles:.1f} | {build.stats.files} | {_mib(build.stats.bytes)} |"
            )
    stock_cold, ours_cold = _walls(builds["stock"].cold)[0], _walls(builds["ours"].cold)[0]
    stock_warm, ours_warm = _walls(builds["stock"].warm)[0], _walls(builds["ours"].warm)[0]
    lines += [
        "",
        f"ours/stock cold: {ours_cold / stock_cold:.2f}   ours/stock warm: {ours_warm / stock_warm:.2f}   "
        f"ours warm/ours cold: {ours_warm / ours_cold:.2f}   (stock warm/stock cold: {stock_warm / stock_cold:.2f})",
    ]
    lines += [
        "",
        "| build | article page HTML bytes: median / max | CSS it loads, bytes: median / max |",
        "|---|---|---|",
    ]
    for name in ("stock", "ours"):
        stats = builds[name].stats
        missing = f" ({stats.missing_pages} article pages missing!)" if stats.missing_pages else ""
        lines.append(f"| {name} | {stats.page_median} / {stats.page_max}{missing} "
                     f"| {stats.css_median} / {stats.css_max} |")
    if result.get("preview"):
        from .preview import report_line

        lines += ["", report_line(result["preview"])]
    phases = result.get("phases")
    if phases:
        lines += [
            "",
            "Our build, step by step (one more cold and warm build, wall seconds; `_run_all` is "
            "the Pelican runs, one process per language):",
            "",
            "| step | cold | warm |",
            "|---|---|---|",
        ]
        for step in phases["cold"]:
            lines.append(f"| {step} | {phases['cold'][step]:.2f} | {phases['warm'].get(step, 0):.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=300, help="article pairs (N): 2N articles")
    parser.add_argument("--runs", type=int, default=3, help="cold + warm builds of each kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", help="working folder (default: a new folder in /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and outputs")
    parser.add_argument("--preview-edits", type=int, default=10,
                        help="text edits timed in the preview, save to page (0: none; bench/preview.py)")
    parser.add_argument("--no-phases", action="store_true",
                        help="skip the extra step-by-step build of ours")
    args = parser.parse_args(argv)
    if args.work and Path(args.work).exists() and any(Path(args.work).iterdir()):
        parser.error(f"--work {args.work} is not empty")
    work = Path(args.work or tempfile.mkdtemp(prefix="bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        result = run_benchmark(args.pairs, args.runs, args.seed, work,
                               log=lambda text: print(text, file=sys.stderr, flush=True),
                               with_phases=not args.no_phases, preview_edits=args.preview_edits)
        print(report(result))
    finally:
        if args.keep:
            print(f"corpus and outputs kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
