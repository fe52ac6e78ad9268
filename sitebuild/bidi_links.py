"""Addresses inside right-to-left text keep their left-to-right order.

An e-mail address or a web address written in an Arabic sentence is shown
scrambled unless it is isolated: `office@example.org` can read as
`org.example@office`. This tree processor gives every link whose text is an
address (a bare one made a link by `pymdownx.magiclink`, an `<https://…>`
autolink, or a link written with its address as text) `dir="ltr"`, which in HTML
isolates it from the surrounding text (as `<bdi dir="ltr">` would).
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class IsolateAddresses(Treeprocessor):
    def run(self, root) -> None:
        for link in root.iter("a"):
            text = "".join(link.itertext()).strip()
            # One Latin token: an address (e-mail addresses are entity-encoded by now).
            if text and link.get("dir") is None and text.isascii() and not any(map(str.isspace, text)):
                link.set("dir", "ltr")


class BidiLinksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After inline processing (priority 20), where links are made.
        md.treeprocessors.register(IsolateAddresses(md), "isolate_addresses", 6)


def makeExtension(**kwargs) -> BidiLinksExtension:  # noqa: N802 (Python-Markdown's name)
    return BidiLinksExtension(**kwargs)
