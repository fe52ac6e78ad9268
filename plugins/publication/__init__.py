"""Drafts and embargoed items: held back from production, shown with a banner in the preview.

A production build (`SHOW_UNPUBLISHED = False`) gives every held-back item
Pelican's documented `skip` status as it is read, so nothing of it is written
anywhere. The rule is `sitebuild.publication.hold_back_reason`, which the driver
uses too (translation links, the build summary, the after-build check).

The images and documents only held-back items use (`HELD_BACK_FILES`, found by the
driver: `sitebuild.publication.held_back_files`) are left out of the static files
Pelican copies, and `responsive_images` makes no copies of them: they are published
with the first build that publishes an item using them.

In the preview, templates call `unpublished_reason(item)` to show a banner.
"""

from __future__ import annotations

from functools import partial

from pelican import signals

from sitebuild.contracts import declare
from sitebuild.publication import hold_back_reason, publishes_unpublished


def skip_held_back(generator, metadata: dict) -> None:
    settings = generator.settings
    if publishes_unpublished(settings):
        return
    if hold_back_reason(metadata.get("status", ""), metadata.get("date"), settings):
        metadata["status"] = "skip"


def leave_out_held_back_files(generator) -> None:
    held = set(generator.settings.get("HELD_BACK_FILES") or ())
    if held:
        statics = generator.context.get("staticfiles") or []
        generator.context["staticfiles"] = [static for static in statics
                                            if static.relative_source_path not in held]


def unpublished_reason(item, *, settings: dict) -> str | None:
    """'draft', 'embargo' or None, for the preview's banner."""
    if item is None:
        return None
    return hold_back_reason(getattr(item, "status", ""), getattr(item, "date", None), settings)


def add_globals(generator) -> None:
    generator.env.globals["unpublished_reason"] = partial(unpublished_reason, settings=generator.settings)


def register() -> None:
    declare(__name__)  # needs nothing from other plugins, provides nothing they use
    signals.article_generator_context.connect(skip_held_back)
    signals.page_generator_context.connect(skip_held_back)
    signals.static_generator_finalized.connect(leave_out_held_back_files)
    signals.generator_init.connect(add_globals)
