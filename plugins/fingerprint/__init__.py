"""Cache-friendly theme assets: CSS and JavaScript named by their content hash.

Templates write `{{ "css/site.css"|asset }}`, which gives the URL
`<SITEURL>/theme/css/site.<hash>.css`. The hash comes from the theme's source
file, so every language's run computes the same name without talking to the
others; the run that copies the theme's files (WRITE_STATIC) renames them after
writing. A host can then cache these files forever: a changed file gets a new name.
Stylesheets are published minified (`sitebuild.assets.published_asset`).
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from pelican import signals

from sitebuild.assets import FINGERPRINTED, fingerprinted_name, published_asset, theme_static
from sitebuild.contracts import declare


def asset_url(relative: str, *, settings: dict, names: dict) -> str:
    """URL of a theme asset, e.g. "css/site.css" → <SITEURL>/theme/css/site.<hash>.css."""
    if relative not in names:
        source = theme_static(settings) / relative
        if not source.is_file():
            raise FileNotFoundError(f"theme asset {relative} not found in {theme_static(settings)}")
        names[relative] = (
            fingerprinted_name(relative, source) if source.suffix in FINGERPRINTED else relative
        )
    return f"{settings['SITEURL']}/{settings['THEME_STATIC_DIR']}/{names[relative]}"


def add_filter(generator) -> None:
    generator.env.filters["asset"] = partial(asset_url, settings=generator.settings, names={})


def rename_written_assets(pelican) -> None:
    settings = pelican.settings
    if not settings.get("WRITE_STATIC", True):
        return
    source_root = theme_static(settings)
    written = Path(settings["OUTPUT_PATH"]) / settings["THEME_STATIC_DIR"]
    for source in sorted(source_root.rglob("*")):
        if source.suffix in FINGERPRINTED:
            relative = source.relative_to(source_root).as_posix()
            target = written / relative
            if target.is_file():
                # A new file under the hashed name, never a write into `target`
                # (an output file may be a hard link to another build's file).
                final = written / fingerprinted_name(relative, source)
                temporary = final.with_name(final.name + ".tmp")
                temporary.unlink(missing_ok=True)
                temporary.write_bytes(published_asset(relative, target.read_bytes()))
                os.replace(temporary, final)
                target.unlink()


def register() -> None:
    declare(__name__)  # needs nothing from other plugins, provides nothing they use
    signals.generator_init.connect(add_filter)
    signals.finalized.connect(rename_written_assets)
