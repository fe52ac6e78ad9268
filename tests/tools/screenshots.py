"""Screenshots of every page type for a reviewer to look at, and the layout figures
issue 17 asks for (header height, the meeting card on a phone).

    .venv/bin/python -m tests.tools.screenshots [--only KIND ...]

Builds the production site served from 127.0.0.1 into a temporary folder and writes
test-artifacts/screens/<lang>-<kind>-<width>-<scheme>.png (full pages), then prints
one line of measurements per page. Nothing leaves the machine (tests/quality.py).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.conftest import build_site
from tests.quality import (
    ARTIFACTS,
    LANGUAGE_PREFIXES,
    PAGE_TYPES,
    GuardedContext,
    chromium,
    open_page,
    serve,
)

SCREENS = ARTIFACTS / "screens"
WIDTHS = [375, 1280]
SCHEMES = ["light", "dark"]

MEASURE = """() => {
  const main = document.querySelector("main");
  const facts = document.querySelector(".facts");
  const core = facts && facts.querySelector(".facts-core");
  return {
    main_top: Math.round(main.getBoundingClientRect().top + scrollY),
    facts_height: facts ? Math.round(facts.getBoundingClientRect().height) : null,
    core_bottom: core ? Math.round(core.getBoundingClientRect().bottom + scrollY) : null,
    height: document.documentElement.scrollHeight,
  };
}"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", default=list(PAGE_TYPES))
    parser.add_argument("--widths", nargs="*", type=int, default=WIDTHS)
    parser.add_argument("--schemes", nargs="*", default=SCHEMES)
    args = parser.parse_args()
    SCREENS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp) / "output") as url:
        build_site(Path(tmp), base="publishconf", body=f"SITEURL = {url!r}")
        with chromium() as browser:
            for width in args.widths:
                for scheme in args.schemes:
                    context = GuardedContext(browser, url, viewport={"width": width, "height": 900})
                    try:
                        for lang, prefix in LANGUAGE_PREFIXES.items():
                            for kind in args.only:
                                page = open_page(context, f"{url}/{prefix}{PAGE_TYPES[kind]}", scheme)
                                name = f"{lang}-{kind}-{width}-{scheme}"
                                page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)
                                print(name, page.evaluate(MEASURE), flush=True)
                                page.close()
                    finally:
                        context.close()


if __name__ == "__main__":
    main()
