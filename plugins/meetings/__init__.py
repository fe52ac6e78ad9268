"""Meeting accounts: their facts on the article, and their own template.

The facts and their rules are `sitebuild.meetings` (the content check reports a bad
field before any Pelican run, naming the file and the line; here a bad value is a
build error). This plugin gives a valid meeting account `article.meeting` (a
MeetingFacts) and the `meeting` template.
"""

from __future__ import annotations

import logging

from pelican import signals

from sitebuild.contracts import declare
from sitebuild.meetings import SECTION, TEMPLATE, meeting_facts, meeting_problems

logger = logging.getLogger(__name__)


def attach_facts(content) -> None:
    category = getattr(content, "category", None)
    if category is None or category.slug != SECTION:
        return
    problems = meeting_problems(content.metadata)
    for name, message in problems:
        logger.error("%s: %s: %s", content.source_path, name, message)
    if problems:
        return
    content.meeting = meeting_facts(content.metadata)
    if "template" not in content.metadata:
        content.template = TEMPLATE


def register() -> None:
    declare(__name__, provides=["item.meeting"])
    signals.content_object_init.connect(attach_facts)
