"""Theme strings, dates and numbers for the language of the run, through Babel.

Installs the language's gettext catalog (theme/translations/<code>/, compiled by the
driver into COMPILED_CATALOGS) into every
Jinja environment and adds the filters `localdate`, `localnumber`, `digits` and
`language_name`,
and `gettext_in(code, message)` for pages that speak every language (404).
Pelican's strftime-based dates need OS locales; these never do.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache, partial
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import Translations
from markupsafe import Markup
from pelican import signals

from sitebuild.contracts import declare
from sitebuild.languages import to_digits


# Each formatted once per run: Babel formats a date in about 0.2 ms, and a listing page
# prints the same few hundred dates as the other listing pages.
@lru_cache(maxsize=8192)
def localdate(value: date | datetime, pattern: str, locale: str, digits: str) -> str:
    return to_digits(format_date(value, pattern, locale=locale), digits)


@lru_cache(maxsize=4096)
def localnumber(value: int | float, locale: str, digits: str) -> str:
    return to_digits(format_decimal(value, locale=locale), digits)


def gettext_in(code: str, message: str, *, catalogs: Path, loaded: dict) -> str:
    """A theme string in another language than the page's (for bilingual pages such as 404)."""
    if code not in loaded:
        loaded[code] = Translations.load(str(catalogs), [code])
    return loaded[code].gettext(message)


def language_name(code: str, locale: str, fallback: dict) -> str:
    """A language's name in the page's language (Babel's CLDR data): الإنجليزية, Arabic."""
    return Locale.parse(locale).languages.get(code) or fallback.get(code, code)


def remembered_gettext(translations: Translations):
    """`gettext` and `ngettext` as Jinja's newstyle ones behave (the translation as
    Markup, %-formatted with the variables escaped), each message looked up once:
    Jinja's go through two context calls and the catalog on each of a page's
    thirty-odd `_()` calls."""
    found: dict[str, Markup] = {}

    def gettext(message: str, **variables) -> Markup:
        text = found.get(message)
        if text is None:
            text = found[message] = Markup(translations.gettext(message))
        return text % variables

    def ngettext(singular: str, plural: str, n: int, **variables) -> Markup:
        variables.setdefault("num", n)
        return Markup(translations.ngettext(singular, plural, n)) % variables

    return gettext, ngettext


def install(generator) -> None:
    settings = generator.settings
    language = settings["LANGUAGE"]
    catalogs = Path(settings["COMPILED_CATALOGS"])
    translations = Translations.load(str(catalogs), [language["code"]])
    env = generator.env
    env.globals["gettext_in"] = partial(gettext_in, catalogs=catalogs, loaded={})
    env.install_gettext_translations(translations, newstyle=True)
    if env.autoescape is True:  # as newstyle gettext is in an autoescaping environment
        gettext, ngettext = remembered_gettext(translations)
        env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
    env.filters.update(
        localdate=partial(
            localdate,
            pattern=settings.get("DATE_PATTERN", "long"),
            locale=language["locale"],
            digits=language["digits"],
        ),
        localnumber=partial(localnumber, locale=language["locale"], digits=language["digits"]),
        digits=partial(to_digits, style=language["digits"]),
        language_name=partial(
            language_name,
            locale=language["locale"],
            fallback={row["code"]: row["name"] for row in settings["LANGUAGES"]},
        ),
    )


def register() -> None:
    declare(__name__)  # needs nothing from other plugins, provides nothing they use
    signals.generator_init.connect(install)
