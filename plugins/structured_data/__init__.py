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

from sitebuild.contracts import declare

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
        "@id": absolute(settings, settings["LANGUAGE"]["path"]) + "#organization",
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


def share_image(item, settings: dict) -> str:
    """Absolute URL of the item's `Image:` (a path under content/), or the site's default."""
    path = getattr(item, "image", None) or settings.get("SHARE_IMAGE") or settings["ORGANISATION"]["logo"]
    return absolute(settings, path.lstrip("/"))


def _author(name: str, settings: dict) -> dict:
    """A Person, unless the AUTHORS_TABLE lists the name (in any language) as an
    Organization, e.g. the organisation's media office."""
    for entry in settings.get("AUTHORS_TABLE", {}).values():
        if name in entry["name"].values():
            data = {"@type": entry.get("type", "Person"), "name": name}
            if entry.get("url"):
                data["url"] = entry["url"]
            return data
    return {"@type": "Person", "name": name}


def _authors(article, settings: dict) -> list[dict]:
    authors = [_author(author.name, settings) for author in getattr(article, "authors", [])]
    return authors or [organization(settings)]


def _translations(alternates: list[dict], code: str) -> dict:
    """workTranslation on the original (the default language's version), translationOfWork on the others."""
    others = [{"@id": alt["url"]} for alt in alternates if alt["available"] and alt["code"] != code]
    if not others:
        return {}
    original = alternates[0]
    if original["code"] == code:
        return {"workTranslation": others}
    if original["available"]:
        return {"translationOfWork": {"@id": original["url"]}}
    return {}


def meeting_event(article, settings: dict) -> dict:
    facts = article.meeting
    return {
        "@type": "Event",
        "name": article.title,
        "startDate": facts.meeting_date.isoformat(),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": {"@type": "Place", "name": facts.place, "address": facts.place},
        # The publisher, by reference: its name and address, not its contact point again.
        "organizer": {key: value for key, value in organization(settings).items()
                      if key in ("@type", "@id", "name", "url")},
        "attendee": [{"@type": "Organization", "name": facts.counterpart}],
        "about": facts.topics,
        "inLanguage": settings["DEFAULT_LANG"],
    }


def article_jsonld(article, alternates: list[dict], *, settings: dict) -> dict:
    """A NewsArticle; a meeting account's is `about` the meeting, an Event."""
    url = absolute(settings, article.url)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "headline": article.title,
        "datePublished": article.date.isoformat(),
        "dateModified": (getattr(article, "modified", None) or article.date).isoformat(),
        "inLanguage": settings["DEFAULT_LANG"],
        "url": url,
        "mainEntityOfPage": url,
        "image": share_image(article, settings),
        "author": _authors(article, settings),
        "publisher": organization(settings),
        **_translations(alternates, settings["DEFAULT_LANG"]),
    }
    if getattr(article, "meeting", None):
        data["about"] = meeting_event(article, settings)
    return data


def breadcrumb_jsonld(article, section_name: str, *, settings: dict) -> dict:
    """Home › section › article."""
    trail = [
        (settings["SITENAME"], settings["LANGUAGE"]["path"]),
        (section_name, article.category.url),
        (article.title, article.url),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute(settings, url)}
            for position, (name, url) in enumerate(trail, 1)
        ],
    }


def add_globals(generator) -> None:
    settings = generator.settings
    generator.env.filters["jsonld"] = jsonld
    generator.env.globals.update(
        organization_jsonld=partial(organization_jsonld, settings=settings),
        article_jsonld=partial(article_jsonld, settings=settings),
        breadcrumb_jsonld=partial(breadcrumb_jsonld, settings=settings),
        share_image=partial(share_image, settings=settings),
    )


def register() -> None:
    declare(__name__, needs=["item.meeting"])
    signals.generator_init.connect(add_globals)
