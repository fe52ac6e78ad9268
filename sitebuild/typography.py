"""Smart quotes, dashes and ellipses for Python-Markdown, per language, cheaply.

Python-Markdown's `smarty` does this with a dozen inline patterns tried on every
piece of text, which doubled the Markdown time of a build. This tree processor
makes one pass over the finished text nodes instead (code, pre and kbd are left
alone). Quotes are a setting: English gets “ ” ‘ ’, Arabic « » and a plain
apostrophe (English curly quotes face the wrong way in right-to-left text).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SKIPPED = {"code", "pre", "kbd", "samp", "script", "style"}
# A quote opens at the start of a text or after a space, an opening bracket or a dash.
OPENS_AFTER = " \t\n([{\u00ab\u2014\u2013-/"
DOUBLE = re.compile('"')
SINGLE = re.compile("'")
DASHES = ((re.compile(r"(?<!-)---(?!-)"), "\u2014"), (re.compile(r"(?<!-)--(?!-)"), "\u2013"))
ELLIPSIS = re.compile(r"\.\.\.")


def _quotes(text: str, pattern: re.Pattern, opening: str, closing: str, before: str) -> str:
    def replace(match: re.Match) -> str:
        start = match.start()
        previous = text[start - 1] if start else before
        return opening if previous in OPENS_AFTER else closing

    return pattern.sub(replace, text)


class SmartTypography(Treeprocessor):
    def __init__(self, md: Markdown, double: str, single: str):
        super().__init__(md)
        self.double, self.single = double, single

    def fix(self, text: str, before: str) -> str:
        if '"' in text:
            text = _quotes(text, DOUBLE, self.double[0], self.double[1], before)
        if "'" in text:
            text = _quotes(text, SINGLE, self.single[0], self.single[1], before)
        if "--" in text:
            for pattern, dash in DASHES:
                text = pattern.sub(dash, text)
        if "..." in text:
            text = ELLIPSIS.sub("\u2026", text)
        return text

    def walk(self, element: etree.Element, before: str) -> str:
        """Fix element's text and its children's; return the last character seen."""
        if element.tag in SKIPPED:
            return "x"  # what follows code is never an opening position by itself
        if element.text:
            element.text = self.fix(element.text, before)
            before = element.text[-1]
        for child in element:
            before = self.walk(child, before)
            if child.tail:
                child.tail = self.fix(child.tail, before)
                before = child.tail[-1]
        return before

    def run(self, root: etree.Element) -> None:
        for block in root:
            self.walk(block, " ")


class TypographyExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "double": ["\u201c\u201d", "opening and closing double quotes"],
            "single": ["\u2018\u2019", "opening and closing single quotes (the second is the apostrophe)"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # After inline processing (priority 20): the text nodes are final.
        processor = SmartTypography(md, self.getConfig("double"), self.getConfig("single"))
        md.treeprocessors.register(processor, "smart_typography", 5)


def makeExtension(**kwargs) -> TypographyExtension:  # noqa: N802 (Python-Markdown's name)
    return TypographyExtension(**kwargs)
