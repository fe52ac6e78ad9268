"""Table column alignment as a class, not a style attribute.

Python-Markdown's tables write `|:---:|` as `style="text-align: center;"` on each cell.
Editor HTML keeps no style attributes (sitebuild/sanitize.py: the site's stylesheet is
the only style, for a strict `style-src 'self'`), so this tree processor turns them into
`class="align-center"` (and -left, -right), which the stylesheet aligns.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALIGNMENT = re.compile(r"text-align: (left|right|center);")


class TableAlignment(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            for cell in table.iter():
                match = ALIGNMENT.fullmatch(cell.get("style", "")) if cell.tag in ("th", "td") else None
                if match:
                    del cell.attrib["style"]
                    cell.set("class", " ".join(filter(None, (cell.get("class"), f"align-{match[1]}"))))


class TableAlignExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # Block processors made the cells; this runs with the tree processors after them.
        md.treeprocessors.register(TableAlignment(md), "table_align", 4)


def makeExtension(**kwargs) -> TableAlignExtension:  # noqa: N802 (Python-Markdown's name)
    return TableAlignExtension(**kwargs)
