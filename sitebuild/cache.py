"""Pelican's content cache, kept per language and invalidated when it must be.

Pelican's content cache (CACHE_CONTENT in pelicanconf.py) checks each source file
only, never the settings, templates or plugins. So each language's cache folder
keeps a key of everything else the cached content may depend on; a run whose key
differs, or that follows a run with errors or warnings (read-time warnings are
not repeated from a cache), starts by deleting Pelican's cache files.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

CACHE_KEY_FILE = "sitebuild-cache-key"
# The render_cache plugin's record of the pages of the published output, and of
# the run in progress (made current by `commit_render_records`).
RENDER_RECORD = "rendered.json"
RENDER_PENDING = "rendered.pending.json"
PELICAN_CACHE_FILE = re.compile(r"^\w+Generator(-Readers)?$")
# Rebuilt from the content by every build (OUTPUT_PATH is a new temporary folder):
# not configuration, and not read by anything Pelican caches.
# BUILD_TIME: what it decides (embargoes) is in the inventory and the indexes, not in a file.
NOT_IN_CACHE_KEY = ("OUTPUT_PATH", "FINAL_OUTPUT_PATH", "TRANSLATION_INDEX", "SECTION_INDEX",
                    "BUILD_TIME", "COMPILED_CATALOGS", "HELD_BACK_FILES")


class CachedText(str):
    """A string Pelican's content cache pickles as UTF-8 bytes, and reads back as itself.

    CPython's pickler keeps the UTF-8 form of every non-ASCII string it pickles inside
    the string, for the string's life: after Pelican saves its cache, every article's
    HTML (Arabic, or English with typographic quotes) would take twice its memory for
    the rest of the run (at 10,000 articles a language, the build's processes took 106 MiB
less without it: bench/README.md). This string's
    `__reduce__` encodes a copy instead, freed once it is written; what a warm run
    reads back is a `CachedText` again, for when that run saves the cache."""

    __slots__ = ()

    def __reduce__(self):
        return CachedText, (self.encode("utf-8"), "utf-8")


def path_only(receiver):
    """Mark a `content_written` receiver that looks at the path only, never reads or
    changes the file: the render_cache plugin may then hand it a page it will link."""
    receiver.path_only = True
    return receiver


def is_path_only(receiver) -> bool:
    return getattr(receiver, "path_only", False) is True


# Who learns of the files that template helpers read while a page renders.
_file_listeners: list = []


def listen_for_file_reads(listener) -> None:
    """`listener(path)` learns of every file a template's helper reads while a page
    renders (the render_cache plugin: the page then depends on that file's bytes)."""
    if listener not in _file_listeners:
        _file_listeners.append(listener)


def file_read(path) -> None:
    """Said by a template helper that reads a file (an image's size, for instance)."""
    for listener in _file_listeners:
        listener(Path(path))


def stable_repr(value) -> str:
    """Text of a settings value that is the same in every process (sorted, no addresses)."""
    if isinstance(value, dict):
        return "{" + ", ".join(sorted(f"{stable_repr(k)}: {stable_repr(v)}" for k, v in value.items())) + "}"
    if isinstance(value, (list, tuple, set, frozenset)):
        parts = [stable_repr(v) for v in value]
        return f"{type(value).__name__}[{', '.join(sorted(parts) if isinstance(value, (set, frozenset)) else parts)}]"
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))


def hash_files(digest, folder: Path, pattern: str = "*") -> None:
    """Add every file under `folder` (names and bytes) to a hashlib digest."""
    for path in sorted(folder.rglob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(f"\0{path.relative_to(folder)}\0".encode() + path.read_bytes())


def content_cache_key(settings: dict) -> str:
    """Settings, templates, plugin sources and library versions of one language's run."""
    from importlib.metadata import version

    digest = hashlib.sha256(
        f"{sys.version_info[:2]} pelican {version('pelican')} markdown {version('markdown')} nh3 {version('nh3')}".encode()
    )
    digest.update(stable_repr({k: v for k, v in settings.items() if k not in NOT_IN_CACHE_KEY}).encode())
    # This package's own source too: its Markdown extension (typography.py) shapes
    # what the reader caches.
    folders = [Path(__file__).parent, Path(settings["THEME"]) / "templates",
               *settings.get("THEME_TEMPLATES_OVERRIDES", []), *settings.get("PLUGIN_PATHS", [])]
    for folder in map(Path, folders):
        hash_files(digest, folder)
    return digest.hexdigest()


def render_key(settings: dict) -> str:
    """What every rendered page depends on: the content cache key and the whole
    theme (its static files are linked by digest, its catalogs translate)."""
    digest = hashlib.sha256(content_cache_key(settings).encode())
    hash_files(digest, Path(settings["THEME"]))
    return digest.hexdigest()


def commit_render_records(all_settings: list[dict], published: bool) -> None:
    """After a build: its render records become current when its output was
    published, else they are dropped (the previous output and record stay)."""
    for settings in all_settings:
        pending = Path(settings["CACHE_PATH"]) / RENDER_PENDING
        if published and pending.is_file():
            os.replace(pending, pending.with_name(RENDER_RECORD))
        else:
            pending.unlink(missing_ok=True)


def open_content_cache(settings: dict) -> tuple[Path, str] | None:
    """Empty the language's cache if its key changed; `close_content_cache` writes it back."""
    if not (settings.get("CACHE_CONTENT") and settings.get("LOAD_CONTENT_CACHE")):
        return None
    folder, key = Path(settings["CACHE_PATH"]), content_cache_key(settings)
    key_file = folder / CACHE_KEY_FILE
    previous = key_file.read_text(encoding="utf-8") if key_file.is_file() else None
    if previous != key and folder.is_dir():
        for path in folder.iterdir():
            if PELICAN_CACHE_FILE.match(path.name) and path.is_file():
                path.unlink()
    key_file.unlink(missing_ok=True)
    return key_file, key


def close_content_cache(cache: tuple[Path, str] | None, clean: bool) -> None:
    """Keep the key only after a run without errors or warnings (see the module's docstring)."""
    if cache and clean:
        key_file, key = cache
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(key, encoding="utf-8")
