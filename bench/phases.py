"""Where our build's time goes: `sitebuild.build.build` with its steps timed.

    python -m bench.phases CONFIG OUTPUT   prints {"step": wall seconds, ...} as JSON

The steps are the functions `build()` calls (those that exist: the driver changes);
each is wrapped with a wall-clock timer. `_run_all` is every language's Pelican run
(with its feeds, sitemap and search index), in parallel worker processes; `import`
is the driver's own imports.
"""

from __future__ import annotations

import json
import sys
import time

STEPS = ("load_site", "read_inventory", "check_content", "compile_catalogs", "_run_all",
         "_missing_outputs", "precompress_site", "_count_pages", "_swap_in", "commit_render_records")


def main(argv: list[str] | None = None) -> int:
    config, output = argv if argv is not None else sys.argv[1:]
    started = time.perf_counter()
    import sitebuild.build as driver

    timings = {"import": time.perf_counter() - started}

    def timed(name: str) -> None:
        original = getattr(driver, name)

        def wrapper(*args, **kwargs):
            begun = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                timings[name] = timings.get(name, 0.0) + time.perf_counter() - begun

        setattr(driver, name, wrapper)

    for name in STEPS:
        if hasattr(driver, name):
            timed(name)
    begun = time.perf_counter()
    driver.build(config, output)
    timings["build"] = time.perf_counter() - begun
    print(json.dumps(timings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
