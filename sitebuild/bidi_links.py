"""Bare addresses become links, and addresses inside right-to-left text keep their order.

Text pasted from a news site or a chat app holds bare addresses
(`office@example.org`, `https://example.org/x`): each becomes a link. And an
address written in an Arabic sentence is shown scrambled unless it is isolated
(`office@example.org` can read as `org.example@office`), so every link whose
text is one Latin token (an address, or a Latin word) gets `dir="ltr"`, which in
HTML isolates it from the surrounding text as `<bdi dir="ltr">` would.

One pass over the finished tree, like sitebuild/typography.py: pymdownx.magiclink
does the linking with inline patterns tried at every position of every text, which
cost a quarter of the Markdown time of a build.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SKIPPED = {"a", "code", "pre", "kbd", "samp", "script", "style"}
ADDRESS = re.compile(
    r"(?P<url>https?://[^\s<>\"'«»]+[^\s<>\"'«».,;:!?،؛)\]])"
    r"|(?P<email>(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?![\w-]))",
    re.ASCII,
)


def _link(match: re.Match) -> etree.Element:
    text = match.group()
    link = etree.Element("a", {"href": text if match["url"] else f"mailto:{text}", "dir": "ltr"})
    link.text = text
    return link


def _split(text: str) -> tuple[str, list[tuple[etree.Element, str]]]:
    """Text before the first address, then each link with the text after it."""
    matches = list(ADDRESS.finditer(text))
    if not matches:
        return text, []
    pieces = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        pieces.append((_link(match), text[match.end():end]))
    return text[: matches[0].start()], pieces


class LinkAddresses(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        self._visit(root)
        for link in root.iter("a"):
            text = "".join(link.itertext()).strip()
            # One Latin token: an address (e-mail autolinks are entity-encoded by now) or a word.
            # (A footnote's back-link is an arrow, "&#8617;" at this point: no direction.)
            if text and link.get("dir") is None and text.isascii() and not any(map(str.isspace, text)) \
                    and link.get("class") != "footnote-backref":
                link.set("dir", "ltr")

    def _visit(self, element: etree.Element) -> None:
        if element.tag in SKIPPED:
            return
        if element.text and ("@" in element.text or "://" in element.text):
            element.text, pieces = _split(element.text)
            for position, (link, tail) in enumerate(pieces):
                link.tail = tail
                element.insert(position, link)
        for child in list(element):
            self._visit(child)
            if child.tail and ("@" in child.tail or "://" in child.tail):
                child.tail, pieces = _split(child.tail)
                at = list(element).index(child) + 1
                for offset, (link, tail) in enumerate(pieces):
                    link.tail = tail
                    element.insert(at + offset, link)


class BidiLinksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After inline processing (priority 20), where links are made.
        md.treeprocessors.register(LinkAddresses(md), "link_addresses", 6)


def makeExtension(**kwargs) -> BidiLinksExtension:  # noqa: N802 (Python-Markdown's name)
    return BidiLinksExtension(**kwargs)
