"""Limits on a content file, checked before Markdown sees it.

Python-Markdown nests lists and quotes by recursion: a file with 1,000 nested
list levels costs it 26 s and 800 MB before failing, 5,000 run until killed; 40,000
unclosed `<div>`s cost the HTML sanitiser 3 s, and past 2,000 levels lxml stops
seeing elements.
No real article nests more than a few levels, so both the content check and the
reader in every language's run refuse a file beyond these limits, naming the file
and the line, before any Markdown runs.
"""

from __future__ import annotations

import re

from .errors import Problem
from .messages import msg

MAX_SOURCE_BYTES = 1024 * 1024  # a long report is about 300 KB of Markdown
MAX_NESTING = 16  # list and quote levels on one line
MAX_HTML_NESTING = 64  # elements open inside each other in HTML written in the text
FENCE = re.compile(r"^[ \t]*(```|~~~)")
HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*?(/?)>")
# Elements that have no end tag, or whose end tag HTML lets an author leave out.
NOT_NESTING = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
               "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot",
               "option", "optgroup", "colgroup", "caption", "rb", "rt", "rp"}
# One container marker at the start of what is left of a line: a quote or a list item.
CONTAINER = re.compile(r"(?:>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+)")


def _nesting(line: str) -> int:
    """List and quote levels a line opens: indentation (4 columns a level) plus markers."""
    width, index = 0, 0
    while index < len(line) and line[index] in " \t":
        width += 4 - width % 4 if line[index] == "\t" else 1
        index += 1
    levels = width // 4
    while match := CONTAINER.match(line, index):
        levels += 1
        index = match.end()
        while index < len(line) and line[index] in " \t":  # indentation inside a container
            index += 1
    return levels


def _html_too_deep(text: str, limit: int) -> int:
    """The line where raw HTML opens more than `limit` elements inside each other, or 0
    (HTML parsers slow down, then stop seeing elements, thousands of levels deep)."""
    if "<" not in text:
        return 0
    depth = 0
    for match in HTML_TAG.finditer(text):
        closing, name, self_closing = match.groups()
        if name.lower() in NOT_NESTING or self_closing:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        if depth > limit:
            return text.count("\n", 0, match.start()) + 1
    return 0


def limit_problem(path: str, text: str, settings: dict) -> Problem | None:
    """The first limit the file breaks, as a Problem, or None."""
    max_bytes = settings.get("MAX_SOURCE_BYTES", MAX_SOURCE_BYTES)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        return Problem(path, 1, "size",
                       msg("the file is {size} bytes, more than the limit of {limit}", size=f"{size:,}",
                           limit=f"{max_bytes:,}"),
                       msg("split it into several items, or raise MAX_SOURCE_BYTES in pelicanconf.py"))
    html_line = _html_too_deep(text, settings.get("MAX_HTML_NESTING", MAX_HTML_NESTING))
    if html_line:
        return Problem(path, html_line, "nesting",
                       msg("HTML elements nested more than {limit} deep",
                           limit=settings.get("MAX_HTML_NESTING", MAX_HTML_NESTING)),
                       msg("close the elements you open (</div>), or write the text in Markdown"))
    max_nesting = settings.get("MAX_NESTING", MAX_NESTING)
    in_fence = False
    for number, line in enumerate(text.split("\n"), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence and _nesting(line) > max_nesting:
            return Problem(path, number, "nesting",
                           msg("lists or quotes nested more than {limit} levels deep", limit=max_nesting),
                           msg("indent less: no reader follows that many levels"))
    return None
