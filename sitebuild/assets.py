"""The theme's CSS and JavaScript are published under names carrying their content's hash.

The rule for those names (used by plugins/fingerprint, which renames the files and
gives templates their URLs, and by sitebuild/security.py, which gives them long cache
lifetimes in `_headers`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

FINGERPRINTED = (".css", ".js")
HASH_LENGTH = 10


def fingerprinted_name(relative: str, source: Path) -> str:
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:HASH_LENGTH]
    stem, suffix = os.path.splitext(relative)
    return f"{stem}.{digest}{suffix}"


def theme_static(settings: dict) -> Path:
    return Path(settings["THEME"]) / "static"


def published_asset(relative: str, data: bytes) -> bytes:
    """What is published for a theme asset: a stylesheet without its comments and
    spaces (rcssmin; the source stays commented), anything else as it is."""
    if relative.endswith(".css"):
        import rcssmin

        return rcssmin.cssmin(data.decode("utf-8")).encode("utf-8")
    return data
