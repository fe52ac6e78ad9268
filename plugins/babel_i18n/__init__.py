"""Theme strings, dates and numbers for the language of the run, through Babel.

Installs the language's gettext catalog (theme/translations/<code>/) into every
Jinja environment and adds the filters `localdate`, `localnumber` and `digits`.
Pelican's strftime-based dates need OS locales; these never do.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import Translations
from pelican import signals

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def to_digits(text: str, style: str) -> str:
    """Babel writes Latin digits for Arabic; the `arab` style turns them into ٠-٩."""
    return str(text).translate(ARABIC_INDIC) if style == "arab" else str(text)


def localdate(value: date | datetime, pattern: str, locale: str, digits: str) -> str:
    return to_digits(format_date(value, pattern, locale=locale), digits)


def localnumber(value: int | float, locale: str, digits: str) -> str:
    return to_digits(format_decimal(value, locale=locale), digits)


def install(generator) -> None:
    settings = generator.settings
    language = settings["LANGUAGE"]
    catalogs = Path(settings["THEME"]) / "translations"
    translations = Translations.load(str(catalogs), [language["code"]])
    env = generator.env
    env.install_gettext_translations(translations, newstyle=True)
    env.filters.update(
        localdate=partial(
            localdate,
            pattern=settings.get("DATE_PATTERN", "long"),
            locale=language["locale"],
            digits=language["digits"],
        ),
        localnumber=partial(localnumber, locale=language["locale"], digits=language["digits"]),
        digits=partial(to_digits, style=language["digits"]),
    )


def register() -> None:
    signals.generator_init.connect(install)
