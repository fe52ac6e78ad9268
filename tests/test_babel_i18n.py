"""The babel_i18n plugin and the theme catalogs: localized UI, dates, digits, plurals."""

from __future__ import annotations

import shutil

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from babel.support import Translations

from sitebuild.catalogs import EXTRA_KEYWORDS, compile_catalogs
from sitebuild.errors import BuildError
from tests.conftest import ROOT, build_site

CATALOGS = ROOT / "theme" / "translations"
AR_PO = CATALOGS / "ar" / "LC_MESSAGES" / "messages.po"


def theme_msgids() -> set[str]:
    method_map = [("**.html", "jinja2")]
    options = {"**.html": {"extensions": "jinja2.ext.i18n"}}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "theme" / "templates"), method_map, options_map=options,
        keywords={**DEFAULT_KEYWORDS, **EXTRA_KEYWORDS},
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_theme_msgid_is_translated_in_arabic():
    with AR_PO.open("rb") as po:
        catalog = read_po(po)
    msgids = theme_msgids()
    assert len(msgids) > 20
    missing = []
    for msgid in msgids:
        message = catalog.get(msgid)
        strings = message.string if message else ""
        strings = strings if isinstance(strings, tuple) else (strings,)
        if not message or message.fuzzy or not all(strings):
            missing.append(msgid)
    assert not missing


@pytest.mark.parametrize(
    ("count", "form"), [(0, 0), (1, 1), (2, 2), (3, 3), (10, 3), (11, 4), (99, 4), (100, 5), (102, 5)]
)
def test_arabic_plural_forms_follow_the_documented_gnu_order(count, form, tmp_path):
    compile_catalogs(CATALOGS, ["ar"], tmp_path / "compiled")
    translations = Translations.load(str(tmp_path / "compiled"), ["ar"])
    with AR_PO.open("rb") as po:
        forms = read_po(po).get("%(num)s item").string
    assert translations.ngettext("%(num)s item", "%(num)s items", count) == forms[form]
    assert "n%100>=11 ? 4 : 5" in AR_PO.read_text(encoding="utf-8")


def test_arabic_dates_use_arabic_month_names(sample_site):
    dates = sample_site.tree("meetings/caesar-alliance-state-department/index.html").xpath(
        "//article//p[@class='meta']/time/text()"
    )
    assert dates == ["28 يناير 2021"]
    english = sample_site.tree("en/meetings/caesar-alliance-state-department/index.html")
    assert english.xpath("//article//p[@class='meta']/time/text()") == ["28 January 2021"]


LEVANTINE_DIGITS = """
LANGUAGES = [dict(LANGUAGES[0], locale="ar_SY", digits="{digits}"), LANGUAGES[1]]
"""


@pytest.mark.parametrize(
    ("digits", "expected"), [("latin", "28 كانون الثاني 2021"), ("arab", "٢٨ كانون الثاني ٢٠٢١")]
)
def test_levantine_month_names_and_arabic_indic_digits_are_settings(digits, expected, tmp_path):
    site = build_site(tmp_path, LEVANTINE_DIGITS.format(digits=digits))
    page = site.tree("meetings/caesar-alliance-state-department/index.html")
    assert page.xpath("//article//p[@class='meta']/time/text()") == [expected]
    # Digits are a display choice only: machine-readable dates stay ISO.
    assert page.xpath("//article//p[@class='meta']/time/@datetime") == ["2021-01-28T10:00:00+02:00"]
    english = site.tree("en/meetings/caesar-alliance-state-department/index.html")
    assert english.xpath("//article//p[@class='meta']/time/text()") == ["28 January 2021"]


def test_interface_strings_come_from_the_catalog(sample_site):
    arabic = sample_site.tree("index.html")
    english = sample_site.tree("en/index.html")
    assert arabic.xpath("//a[@class='skip-link']/text()") == ["انتقل إلى المحتوى"]
    assert english.xpath("//a[@class='skip-link']/text()") == ["Skip to content"]


def test_a_language_without_a_catalog_stops_the_build(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    shutil.rmtree(theme / "translations" / "ar")
    with pytest.raises(BuildError, match=r"no message catalog for language 'ar'"):
        build_site(tmp_path / "site", THEME=theme)


def test_catalog_is_compiled_from_the_po_at_every_build(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    po = theme / "translations" / "ar" / "LC_MESSAGES" / "messages.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgstr "انتقل إلى المحتوى"', 'msgstr "تخطَّ إلى المحتوى"'),
        encoding="utf-8",
    )
    before = sorted(p.relative_to(theme) for p in theme.rglob("*"))
    site = build_site(tmp_path / "site", THEME=theme)
    assert site.tree("index.html").xpath("//a[@class='skip-link']/text()") == ["تخطَّ إلى المحتوى"]
    # Compiled into the cache: a build writes nothing inside the theme (the preview watches it).
    assert (tmp_path / "site" / ".cache" / "catalogs" / "ar" / "LC_MESSAGES" / "messages.mo").is_file()
    assert sorted(p.relative_to(theme) for p in theme.rglob("*")) == before
