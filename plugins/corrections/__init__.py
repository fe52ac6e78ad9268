"""Corrections on published items: `Correction: YYYY-MM-DD: what changed` (see
`sitebuild.corrections`) gives the item `corrections` (newest first), which the
theme shows as "Updated on … — what changed" and lists under the text, and makes
the newest correction the item's `modified` date (feeds, JSON-LD) unless the item
sets `Modified:` itself. A malformed line is a build error naming the file."""

from __future__ import annotations

import logging
from datetime import datetime, time

from pelican import signals

from sitebuild.contracts import declare
from sitebuild.corrections import parse_corrections

logger = logging.getLogger(__name__)


def attach_corrections(content) -> None:
    value = content.metadata.get("correction")
    if not value:
        return
    corrections, problems = parse_corrections(value)
    for problem in problems:
        logger.error("%s: correction: %s", content.source_path, problem)
    content.corrections = corrections
    if corrections and not getattr(content, "modified", None):
        newest = datetime.combine(corrections[0].day, time(12), tzinfo=content.date.tzinfo)
        content.modified = max(newest, content.date)


def register() -> None:
    declare(__name__)  # needs nothing from other plugins, provides nothing they use
    signals.content_object_init.connect(attach_corrections)
