"""cProfile one language's Pelican run of the production build, in-process.

    python -m bench.profile --pairs 300 [--lang ar] [--warm] [--top 40] [--sort tottime]

Generates a corpus in a temporary folder (or uses --corpus DIR), runs the content
check and one language's `sitebuild.build.run_language` under cProfile and prints
the top functions (CPU time). With --warm the language is built once first (filling
the content cache), one article gets a line more (put back afterwards) and the
profiled run is the cached rebuild.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import pstats
import shutil
import tempfile
import time
from pathlib import Path

from .generate import generate
from .run import write_our_config


def language_settings(config: Path, output: Path, lang: str) -> dict:
    """The settings `sitebuild.build.build` hands to the worker of `lang`."""
    from sitebuild.catalogs import compiled_catalogs
    from sitebuild.config import load_site
    from sitebuild.inventory import read_inventory, section_index, translation_index
    from sitebuild.languages import pelican_settings

    site = load_site(config)
    items = read_inventory(site.content_root, site.root, site.languages, site.settings)
    shared = {
        **site.settings,
        "COMPILED_CATALOGS": str(compiled_catalogs(site)),
        "OUTPUT_PATH": str(output),
        "TRANSLATION_INDEX": translation_index(items),
        "SECTION_INDEX": section_index(items),
    }
    language = next(language for language in site.languages if language.code == lang)
    return pelican_settings(shared, language, site.languages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--corpus", help="an existing folder holding content/ (default: generate one)")
    parser.add_argument("--lang", default="ar")
    parser.add_argument("--warm", action="store_true", help="profile a cached rebuild")
    parser.add_argument("--check", action="store_true", help="profile the content check instead")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--save", help="write the raw profile to this file")
    args = parser.parse_args(argv)

    from sitebuild.build import run_language
    from sitebuild.check import check_content
    from sitebuild.config import load_site
    from sitebuild.inventory import read_inventory

    work = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    try:
        corpus = Path(args.corpus) if args.corpus else work
        if not args.corpus:
            generate(work, args.pairs)
        config = write_our_config(work, corpus / "content", work / "cache")
        # CPU time, not wall time: other people's jobs on this machine would
        # otherwise be charged to whatever function was running when we lost the CPU.
        profiler = cProfile.Profile(time.process_time)
        if args.check:
            site = load_site(config)
            started = time.perf_counter()
            profiler.enable()
            items = read_inventory(site.content_root, site.root, site.languages, site.settings)
            problems = check_content(items, site)
            profiler.disable()
            print(f"inventory + check: {time.perf_counter() - started:.2f} s, {len(problems)} problems")
        else:
            settings = language_settings(config, work / "output", args.lang)
            edited, original = None, None
            if args.warm:
                run_language(copy.deepcopy(settings))  # Pelican changes nested settings in place
                edited = sorted((corpus / "content" / args.lang / "news").glob("*.md"))[0]
                original = edited.read_text(encoding="utf-8")
                edited.write_text(original + "\nOne more line.\n", encoding="utf-8")
            started, cpu = time.perf_counter(), time.process_time()
            try:
                profiler.enable()
                result = run_language(copy.deepcopy(settings))
                profiler.disable()
            finally:
                if edited is not None:
                    edited.write_text(original, encoding="utf-8")
            print(f"{args.lang}: {time.perf_counter() - started:.2f} s wall, "
                  f"{time.process_time() - cpu:.2f} s CPU, errors: {result.errors[:3]}")
        stats = pstats.Stats(profiler).strip_dirs().sort_stats(args.sort)
        stats.print_stats(args.top)
        if args.save:
            stats.dump_stats(args.save)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
