"""Where our build's time goes: `sitebuild.build.build` with its steps timed.

    python -m bench.phases [--without STEP]... CONFIG OUTPUT
                                   prints {"step": wall seconds, ...} as JSON

The steps are the functions `build()` calls (those that exist: the driver changes);
each is wrapped with a wall-clock timer. `_run_all` is every language's Pelican run,
in parallel worker processes; `import` is the driver's own imports. `--without
index_site` builds everything but the search index (the benchmark's "ours-nosearch").
"""

from __future__ import annotations

import json
import sys
import time

STEPS = ("load_site", "read_inventory", "check_content", "compile_catalogs", "_run_all",
         "_missing_outputs", "index_site", "_count_pages", "_swap_in")


def main(argv: list[str] | None = None) -> int:
    args = list(argv if argv is not None else sys.argv[1:])
    skipped = []
    while args and args[0] == "--without":  # --without STEP: that step does nothing
        skipped.append(args[1])
        args = args[2:]
    config, output = args
    started = time.perf_counter()
    import sitebuild.build as driver

    for name in skipped:
        setattr(driver, name, lambda *args, **kwargs: None)

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
        if hasattr(driver, name) and name not in skipped:
            timed(name)
    begun = time.perf_counter()
    driver.build(config, output)
    timings["build"] = time.perf_counter() - begun
    print(json.dumps(timings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
