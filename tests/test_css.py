"""The stylesheet is direction-neutral: logical properties, no Arabic-breaking typography."""

from __future__ import annotations

import re

from tests.conftest import ROOT

CSS_FILES = sorted((ROOT / "theme" / "static").rglob("*.css"))
PHYSICAL = re.compile(
    r"(?<![\w-])(?P<property>margin-(left|right)|padding-(left|right)|border-(left|right)(-\w+)?|"
    r"left|right|float|clear|text-align)\s*:\s*(?P<value>[^;]*)"
)
PHYSICAL_VALUES = re.compile(r"\b(left|right)\b")


def declarations(text: str):
    """(line number, property, value, line) for each declaration; comments kept for exceptions."""
    for number, line in enumerate(text.splitlines(), 1):
        for match in PHYSICAL.finditer(line):
            yield number, match["property"], match["value"], line


def test_there_is_a_stylesheet():
    assert CSS_FILES


def test_no_physical_direction_outside_commented_exceptions():
    offenders = []
    for css in CSS_FILES:
        for number, prop, value, line in declarations(css.read_text(encoding="utf-8")):
            physical_property = prop not in ("float", "clear", "text-align")
            physical_value = bool(PHYSICAL_VALUES.search(value))
            if (physical_property or physical_value) and "/* physical:" not in line:
                offenders.append(f"{css.name}:{number}: {line.strip()}")
    assert not offenders


def test_no_letter_spacing_or_uppercase_for_arabic():
    for css in CSS_FILES:
        text = css.read_text(encoding="utf-8")
        assert "uppercase" not in text
        assert not re.search(r"letter-spacing\s*:(?!\s*normal)", text)


def test_no_third_party_fonts_or_imports():
    for css in CSS_FILES:
        text = css.read_text(encoding="utf-8")
        assert "@import" not in text
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)
