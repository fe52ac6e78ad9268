"""Messages for editors in their own language: the check, the build summary, `invoke new`.

A message is written in English with named fields, `msg("'{value}' is not a date",
value=value)`. The result is the English text (so logs, caches and tests read as
before) and remembers its template and values, so the command line can print it in
the editor's language from the catalog `sitebuild/locale/<code>/LC_MESSAGES/messages.po`
(Babel, compiled in memory; GNU gettext's Arabic plural order, like the theme's).
A template without a translation is printed in English.

Which language: `--messages-lang`, else SITEBUILD_MESSAGES_LANG, else the environment's
locale (LC_ALL, LC_MESSAGES, LANG), else the site's first language. `invoke i18n` extracts `msg`/`nmsg` templates into
`sitebuild/locale/messages.pot` and updates each language's catalog.
"""

from __future__ import annotations

import os
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
# Babel extraction keywords for these functions (`invoke i18n`).
KEYWORDS = {"msg": (1,), "nmsg": (1, 2)}


class Text(str):
    """English text that remembers how it was made, for translation when printed."""

    template: str
    plural: str | None
    values: dict

    def __new__(cls, template: str, plural: str | None = None, **values):
        number = values.get("n")
        english = plural if plural is not None and number != 1 else template
        text = super().__new__(cls, english.format(**values))
        text.template, text.plural, text.values = template, plural, values
        return text

    def __reduce__(self):  # pickled into the check's cache and across processes
        return (_rebuild, (self.template, self.plural, self.values))

    def translated(self, translations: NullTranslations) -> str:
        if self.plural is not None:
            form = translations.ngettext(self.template, self.plural, self.values.get("n", 0))
        else:
            form = translations.gettext(self.template)
        values = {key: translate(value, translations) for key, value in self.values.items()}
        try:
            return form.format(**values)
        except (KeyError, IndexError, ValueError):  # a broken translation: the English
            return str(self)


def _rebuild(template: str, plural: str | None, values: dict) -> Text:
    return Text(template, plural, **values)


def msg(template: str, **values) -> Text:
    return Text(template, **values)


def nmsg(singular: str, plural: str, n: int, **values) -> Text:
    """A message with a number: `n` chooses the plural form (six in Arabic)."""
    return Text(singular, plural, n=n, **values)


def translate(text, translations: NullTranslations) -> str:
    return text.translated(translations) if isinstance(text, Text) else str(text)


@cache
def translations_for(code: str) -> NullTranslations:
    """The catalog of a language, compiled in memory (English needs none)."""
    po = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=code)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def editor_language(requested: str | None, site_codes: list[str]) -> str:
    """`--messages-lang`, else the environment's language if the site has it, else the
    site's first language."""
    if requested:
        return requested
    for variable in ("SITEBUILD_MESSAGES_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        code = value.split(".")[0].split("_")[0].lower()
        if code and code not in ("c", "posix"):
            return code if code in site_codes else "en"
    return site_codes[0] if site_codes else "en"
