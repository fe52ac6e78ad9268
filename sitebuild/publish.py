"""Publish the production site to hosts other than GitHub Pages' own workflow.

`publish` runs the full checked, strict build into a fresh folder first; if the
check or the build fails, nothing is published. Targets:
- `gh-pages`: commit the site to the `gh-pages` branch and push it (ghp-import).
- `rsync`: mirror it to `PUBLISH_RSYNC_TARGET` (e.g. `user@host:/var/www/site/`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .build import build
from .config import load_site
from .errors import BuildError

TARGETS = ("gh-pages", "rsync")


def _commands(target: str, site_dir: Path, settings: dict) -> list[str]:
    if target == "gh-pages":
        return [sys.executable, "-m", "ghp_import", "--no-jekyll", "--push", "--force",
                "--message", "Publish the site", "--remote", settings.get("PUBLISH_GIT_REMOTE", "origin"),
                str(site_dir)]
    destination = settings.get("PUBLISH_RSYNC_TARGET")
    if not destination:
        raise BuildError("publish: set PUBLISH_RSYNC_TARGET in publishconf.py (e.g. 'user@host:/var/www/site/')")
    if not shutil.which("rsync"):
        raise BuildError("publish: rsync is not installed (apt-get install rsync)")
    return ["rsync", "--archive", "--delete", "--checksum", f"{site_dir}/", destination]


def publish(config_path: str | Path, target: str) -> str:
    if target not in TARGETS:
        raise BuildError(f"publish: --to must be one of {', '.join(TARGETS)}, not '{target}'")
    site = load_site(config_path)
    with tempfile.TemporaryDirectory(prefix="publish-") as folder:
        report = build(config_path, Path(folder) / "site", strict=True)
        command = _commands(target, report.output, site.settings)
        result = subprocess.run(command, cwd=site.root, capture_output=True, text=True)
        if result.returncode:
            raise BuildError(f"publish: {' '.join(command[:3])} failed:\n{result.stderr.strip()}")
    return f"{report.summary()}\npublished to {target}"
