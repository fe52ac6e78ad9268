"""schema.org JSON-LD for pages, built in Python and printed safely.

`jsonld` (a Jinja filter) serialises a dict for a `<script type="application/ld+json">`
block: `<`, `>`, `&` and line separators are escaped so no value can close the
script element. The Jinja globals build the objects from settings and content,
so templates stay declarative.
"""

from __future__ import annotations

import json
from functools import partial

from markupsafe import Markup
from pelican import signals

SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def jsonld(data: dict) -> Markup:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    for raw, escaped in SCRIPT_ESCAPES.items():
        text = text.replace(raw, escaped)
    return Markup(text)


def absolute(settings: dict, url: str) -> str:
    return f"{settings['SITEURL']}/{url}"


def organization(settings: dict) -> dict:
    code = settings["DEFAULT_LANG"]
    data = {
        "@type": "Organization",
        "name": settings["ORGANISATION"]["name"].get(code, settings["SITENAME"]),
        "url": absolute(settings, settings["LANGUAGE"]["path"]),
    }
    if settings.get("ORGANISATION", {}).get("logo"):
        data["logo"] = absolute(settings, settings["ORGANISATION"]["logo"])
    if settings.get("SUBMISSION_EMAIL"):
        data["contactPoint"] = {
            "@type": "ContactPoint",
            "contactType": "evidence submission",
            "email": settings["SUBMISSION_EMAIL"],
            "url": absolute(settings, settings["LANGUAGE"]["path"] + settings["CONTACT_PAGE_SLUG"] + "/"),
            "availableLanguage": [lang["code"] for lang in settings["LANGUAGES"]],
        }
    return data


def organization_jsonld(*, settings: dict) -> dict:
    return {"@context": "https://schema.org", **organization(settings)}


def meeting_jsonld(article, *, settings: dict) -> dict:
    """A NewsArticle about the meeting, the meeting itself an Event."""
    facts = article.meeting
    code = settings["DEFAULT_LANG"]
    event = {
        "@type": "Event",
        "name": article.title,
        "startDate": facts.meeting_date.isoformat(),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": {"@type": "Place", "name": facts.place, "address": facts.place},
        "organizer": organization(settings),
        "attendee": [{"@type": "Organization", "name": facts.counterpart}],
        "about": facts.topics,
        "inLanguage": code,
    }
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.date.isoformat(),
        "inLanguage": code,
        "url": absolute(settings, article.url),
        "publisher": organization(settings),
        "about": event,
    }


def add_globals(generator) -> None:
    settings = generator.settings
    generator.env.filters["jsonld"] = jsonld
    generator.env.globals.update(
        organization_jsonld=partial(organization_jsonld, settings=settings),
        meeting_jsonld=partial(meeting_jsonld, settings=settings),
    )


def register() -> None:
    signals.generator_init.connect(add_globals)
