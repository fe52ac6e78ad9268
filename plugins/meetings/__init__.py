"""Meeting accounts: their facts on the article, their own template, and a page per
body met (counterpart) listing the meetings with it.

The facts and their rules are `sitebuild.meetings` (the content check reports a bad
field before any Pelican run, naming the file and the line; here a bad value is a
build error). This plugin gives a valid meeting account `article.meeting` (a
MeetingFacts, with its `counterpart_slug` from the COUNTERPARTS table or the name),
the `meeting` template, the Jinja global `counterpart_url(facts)`, and writes
COUNTERPART_SAVE_AS for each body met with the `counterpart` template. Its feeds are
the `feeds` plugin's.
"""

from __future__ import annotations

import logging
from functools import partial

from pelican import signals
from pelican.generators import Generator
from pelican.utils import slugify

from sitebuild.contracts import declare
from sitebuild.meetings import SECTION, TEMPLATE, counterpart_slug, meeting_facts, meeting_problems

logger = logging.getLogger(__name__)


def _slugify(settings: dict, name: str) -> str:
    return slugify(name, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
                   use_unicode=settings.get("SLUGIFY_USE_UNICODE", False))


def attach_facts(content) -> None:
    category = getattr(content, "category", None)
    if category is None or category.slug != SECTION:
        return
    problems = meeting_problems(content.metadata)
    for name, message in problems:
        logger.error("%s: %s: %s", content.source_path, name, message)
    if problems:
        return
    settings = content.settings
    content.meeting = meeting_facts(content.metadata)
    content.meeting.counterpart_slug = counterpart_slug(
        content.meeting.counterpart, content.lang, settings.get("COUNTERPARTS", {}),
        partial(_slugify, settings))
    if "template" not in content.metadata:
        content.template = TEMPLATE


def counterpart_url(facts, *, settings: dict) -> str:
    return settings["COUNTERPART_URL"].format(slug=facts.counterpart_slug)


def add_globals(generator) -> None:
    generator.env.globals["counterpart_url"] = partial(counterpart_url, settings=generator.settings)


def meetings_by_counterpart(articles: list) -> dict[str, list]:
    """slug → that body's meeting accounts, the latest meeting first."""
    grouped: dict[str, list] = {}
    for article in articles:
        if hasattr(article, "meeting"):
            grouped.setdefault(article.meeting.counterpart_slug, []).append(article)
    for meetings in grouped.values():
        meetings.sort(key=lambda a: (a.meeting.meeting_date, a.slug), reverse=True)
    return grouped


class CounterpartPages(Generator):
    """One page per body met: its meetings as a timeline and its feed."""

    def generate_output(self, writer) -> None:
        articles = [a for a in self.context.get("articles", []) if a.lang == self.settings["DEFAULT_LANG"]]
        template = self.get_template("counterpart")
        for slug, meetings in sorted(meetings_by_counterpart(articles).items()):
            url = self.settings["COUNTERPART_URL"].format(slug=slug)
            writer.write_file(
                self.settings["COUNTERPART_SAVE_AS"].format(slug=slug), template, self.context,
                relative_urls=False, url=url, page_url=url,
                counterpart=meetings[0].meeting.counterpart, counterpart_slug=slug, meetings=meetings)


def add_generator(pelican):
    return CounterpartPages


def register() -> None:
    declare(__name__, provides=["item.meeting"])
    signals.content_object_init.connect(attach_facts)
    signals.generator_init.connect(add_globals)
    signals.get_generators.connect(add_generator)
