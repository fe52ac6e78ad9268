"""Responsive copies of content images: a few widths, in modern formats, cached.

For a raster image under content/ (JPEG, PNG, WebP), `ResponsiveImages.image_set`
makes copies `<name>-<width>w.<ext>` beside its published copy, at each width of
WIDTHS smaller than the image, in AVIF (when this Pillow can write it), WebP and the
image's own format, and says what a `<picture>` needs: the sources by type, the
fallback, and the image's own width and height (no layout shift). Only copies that
save bytes are offered: a modern format whose widest copy is not lighter than the
original is left out (a flat drawing is often lightest as its own optimised PNG),
and so is a copy in the original's format that is not lighter than the original.

The copies go through the metadata stripping of `sitebuild.media` (turned upright
with `open_upright`, encoded with `encode_clean`, stripped again with
`strip_metadata`), so a resized copy carries no more than the published original:
no EXIF, GPS, XMP or comments, only the colour profile.

Encoding is slow (AVIF most), so each copy is kept in CACHE_PATH/responsive/<key>/
by the source's digest and the width: an unchanged image is never encoded again.
The key changes with this module, `sitebuild.media` and Pillow.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from . import media
from .cache import file_read

WIDTHS = (480, 960, 1440)
# Pillow format, file suffix, MIME type, encoder options (quality for drawings and photos alike).
MODERN = (("AVIF", ".avif", "image/avif", {"quality": 60, "speed": 8}),
          ("WEBP", ".webp", "image/webp", {"quality": 80, "method": 4}))
OWN = {"JPEG": (".jpg", "image/jpeg"), "PNG": (".png", "image/png"), "WEBP": (".webp", "image/webp")}


def _can_write(fmt: str) -> bool:
    from PIL import features

    return features.check({"AVIF": "avif", "WEBP": "webp"}.get(fmt, fmt.lower())) is not False


def _pipeline_key() -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(Path(media.__file__).read_bytes())
    digest.update(version("pillow").encode())
    return digest.hexdigest()[:16]


@dataclass
class ImageSet:
    src: str  # the published original, site-relative ("images/map.png")
    width: int
    height: int
    # MIME type → [(site-relative path, width)], best format first; the original's type last.
    sources: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


class ResponsiveImages:
    """Copies for one build: sources read from `content`, copies written under `output`."""

    def __init__(self, content: Path, output: Path, cache: Path):
        self.content, self.output = content, output
        self.cache = cache / "responsive" / _pipeline_key()
        self.sets: dict[str, ImageSet | None] = {}
        self.copies: dict[str, Path] = {}  # site-relative name → cached copy, of the sets made
        self.encoded = 0  # copies encoded by this build (the others came from the cache)

    def image_set(self, relative: str) -> ImageSet | None:
        """The copies of content/<relative>, encoded now if the cache lacks them (`publish`
        writes them); None if it is not a raster image under content/ (an SVG, another
        site's address, a missing file)."""
        file_read(self.content / relative)  # the page that shows it depends on its bytes
        if relative not in self.sets:
            self.sets[relative] = self._make(relative)
        return self.sets[relative]

    def _make(self, relative: str) -> ImageSet | None:
        source = (self.content / relative).resolve()
        fmt = media.RASTER_FORMATS.get(source.suffix.lower())
        if fmt is None or not source.is_file() or self.content.resolve() not in source.parents:
            return None
        data = source.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        _decoded, upright = media.open_upright(data)
        width, height = upright.size
        result = ImageSet(relative, width, height)
        stem = relative[: -len(source.suffix)]
        own_suffix, own_type = OWN[fmt]
        targets = [(f, suffix, mime, options) for f, suffix, mime, options in MODERN
                   if f != fmt and _can_write(f)]
        targets.append((fmt, own_suffix, own_type, {}))
        original = len(data)
        for target_fmt, suffix, mime, options in targets:
            copies = [(w, self._copy(upright, digest, w, target_fmt, suffix, options))
                      for w in WIDTHS if w < width]
            if target_fmt == fmt:
                # The original's own format: only the copies that weigh less than it.
                chosen = [(w, copy) for w, copy in copies if copy.stat().st_size < original]
            elif copies and copies[-1][1].stat().st_size < original:
                chosen = copies  # a modern format that saves bytes even at its widest
            else:
                chosen = []  # e.g. a flat drawing, smaller as the original PNG
            if chosen:
                result.sources[mime] = []
            for w, copy in chosen:
                name = f"{stem}-{w}w{suffix}"
                self.copies[name] = copy
                result.sources[mime].append((name, w))
        result.sources.setdefault(own_type, [])  # the <img> is always the original's type, last
        result.sources[own_type] = result.sources.pop(own_type)
        return result

    def _copy(self, upright, digest: str, width: int, fmt: str, suffix: str, options: dict) -> Path:
        cached = self.cache / f"{digest}-{width}{suffix}"
        if cached.is_file():
            return cached
        from PIL import Image

        height = max(1, round(upright.height * width / upright.width))
        resized = upright.resize((width, height), Image.Resampling.LANCZOS)
        resized.info = dict(upright.info)  # the colour profile only (open_upright)
        if fmt == "JPEG" and resized.mode not in ("RGB", "L"):
            resized = resized.convert("RGB")
        encoded = self._encode(resized, fmt, options)
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        temporary.write_bytes(encoded)
        os.replace(temporary, cached)
        self.encoded += 1
        return cached

    @staticmethod
    def _encode(image, fmt: str, options: dict) -> bytes:
        if fmt in ("JPEG", "PNG"):
            encoded = media.encode_clean(image, fmt)
        else:
            import io

            params = dict(options)
            if image.info.get("icc_profile"):
                params["icc_profile"] = image.info["icc_profile"]
            out = io.BytesIO()
            image.save(out, fmt, **params)
            encoded = out.getvalue()
        # Pillow writes no metadata it was not given; strip what it may add all the same.
        return media.strip_metadata(encoded, fmt)[0] if fmt in OWN else encoded

    def publish(self, relative: str) -> list[str]:
        """Write the chosen copies of content/<relative> into the output; their names."""
        image_set = self.image_set(relative)
        names = [name for paths in (image_set.sources.values() if image_set else []) for name, _w in paths]
        for name in names:
            self._publish(self.copies[name], name)
        return names

    def _publish(self, cached: Path, name: str) -> None:
        """A new file at output/<name> (a hard link to the cached copy), never a write into one."""
        target = self.output / name
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.unlink(missing_ok=True)
        try:
            os.link(cached, temporary)
        except OSError:
            shutil.copy2(cached, temporary)
        os.replace(temporary, target)
