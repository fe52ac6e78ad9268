"""Lighthouse scores of every page type in both languages, on the production build
served from 127.0.0.1 (npm devDependency `lighthouse`, Debian's Chromium).

    .venv/bin/python -m tests.tools.lighthouse [--only KIND ...]

Prints one line per page (performance, accessibility, best practices, SEO, each 0-100)
and writes the JSON reports to test-artifacts/lighthouse/.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from pathlib import Path

from tests.conftest import build_site
from tests.quality import ARTIFACTS, CHROMIUM, LANGUAGE_PREFIXES, PAGE_TYPES, ROOT, serve

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# No host name resolves: nothing but the local server can be reached.
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'"


def scores(url: str, report: Path) -> dict[str, int]:
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
        check=True, env={**os.environ, "CHROME_PATH": str(CHROMIUM)}, timeout=300)
    data = json.loads(report.read_text(encoding="utf-8"))
    return {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", default=list(PAGE_TYPES))
    args = parser.parse_args()
    folder = ARTIFACTS / "lighthouse"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp) / "output") as url:
        build_site(Path(tmp), base="publishconf", body=f"SITEURL = {url!r}")
        for lang, prefix in LANGUAGE_PREFIXES.items():
            for kind in args.only:
                found = scores(f"{url}/{prefix}{PAGE_TYPES[kind]}", folder / f"{lang}-{kind}.json")
                print(f"{lang:3}{kind:10}" + "".join(f"{found[name]:>16}" for name in CATEGORIES), flush=True)


if __name__ == "__main__":
    main()
