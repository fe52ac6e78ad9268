"""Every published JPEG, PNG and WebP is a copy without metadata, turned upright.

Pelican would copy images byte for byte, with their EXIF (GPS position, camera serial
numbers, owner), XMP, IPTC and embedded thumbnails. This plugin writes the copy that
`sitebuild.media.published_image` makes instead (see that module for what is removed
and kept), from a cache of such copies by the source's content digest
(`CACHE_PATH/images/`), so an unchanged image is not processed again.

Two public hooks, because Pelican writes static files in two places:

- Images under content/ (STATIC_PATHS, `{static}` and `{attach}` links) are in
  `context["staticfiles"]`, which `StaticGenerator.generate_output` copies. A plugin's
  generator (`get_generators`) has its `generate_output` called after the articles' and
  pages' (so `{attach}` has moved the files it moves) and before the StaticGenerator's:
  `CleanImages` takes the raster images out of that list and writes their clean copies.
  Only the run that writes static files has them (see `shared_static`).
- The theme's static files are copied wholesale by the StaticGenerator; like
  `fingerprint`, `finalized` then replaces each raster one with its clean copy.

Every file is written new (a hard link to the cached copy through a temporary name and
`os.replace`), never written into: an output file may be a link to another file.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pelican import signals

from sitebuild.contracts import declare
from sitebuild.media import RASTER_FORMATS, ImageCache, MediaError

logger = logging.getLogger(__name__)
_current: list[ImageCache] = []  # the cache of the run in progress, for `finalized`


def _cache(settings: dict) -> ImageCache:
    if not _current:
        _current.append(ImageCache(Path(settings["CACHE_PATH"]) / "images"))
    return _current[0]


def _is_raster(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in RASTER_FORMATS


def _publish(cache: ImageCache, source: Path, target: Path, shown: str) -> None:
    try:
        cache.publish(source, target)
    except (MediaError, OSError) as error:
        raise RuntimeError(f"{shown}: image: cannot publish it without its metadata: {error}") from error


class CleanImages:
    """Writes the clean copies of the raster images Pelican would copy (see above)."""

    def __init__(self, context, settings, path, theme, output_path, **_ignored):
        self.context, self.settings = context, settings
        self.path, self.output_path = path, output_path
        _current.clear()  # made at the start of each run: nothing is left of a failed one

    def generate_output(self, writer) -> None:
        statics = self.context.get("staticfiles") or []
        images = [static for static in statics if _is_raster(static.source_path)]
        if not images:
            return
        self.context["staticfiles"] = [static for static in statics if not _is_raster(static.source_path)]
        cache = _cache(self.settings)
        for static in images:
            source = Path(self.path, static.source_path)
            _publish(cache, source, Path(self.output_path, static.save_as), static.relative_source_path)
        logger.debug("image_privacy: %d images, %d cleaned anew", len(images), cache.made)


def add_generator(pelican):
    return CleanImages


def clean_theme_images(pelican) -> None:
    """The theme's raster images, copied by the StaticGenerator, replaced by clean copies."""
    settings = pelican.settings
    try:
        written = Path(pelican.output_path) / settings["THEME_STATIC_DIR"]
        for entry in settings.get("THEME_STATIC_PATHS", []):
            source = Path(pelican.theme) / entry
            files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
            for path in files:
                relative = path.name if path == source else path.relative_to(source).as_posix()
                target = written / relative
                if _is_raster(path.name) and target.is_file():
                    _publish(_cache(settings), path, target, f"theme/{entry}/{relative}")
        if _current:
            _current[0].save()
    finally:
        _current.clear()


def register() -> None:
    declare(__name__)  # needs nothing from other plugins, provides nothing they use
    signals.get_generators.connect(add_generator)
    signals.finalized.connect(clean_theme_images)
