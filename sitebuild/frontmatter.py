"""What editors write above the text, made into the one header form Markdown reads.

Python-Markdown's `meta` extension (which Pelican uses) reads `Key: value` lines
with continuation lines indented by four spaces. Editors also write:

- a byte-order mark first (Windows Notepad saves one): dropped;
- continuation lines indented with a Tab or two spaces, or written as a list
  (`- item`): made four-space continuation lines;
- YAML front matter between `---` lines, as Hugo, Jekyll and web CMS exports
  write it: read with PyYAML (quotes, lists and dates as YAML means them) and
  written as `Key: value` lines.

The inventory (and so the content check) and the reader in every language's run
both read the result of `canonical_source`, so they always agree. In the
`Key: value` form every line stays on its line, so problems keep their line
numbers; for YAML the inventory takes each field's line from the YAML parser.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime

import yaml

BOM = "\ufeff"
FENCE = re.compile(r"^-{3}\s*$")
FENCE_END = re.compile(r"^(-{3}|\.{3})\s*$")
KEY_LINE = re.compile(r"^[ ]{0,3}[A-Za-z0-9_-]+:")
# A continuation line as editors write it: a Tab, two or more spaces, or a list bullet.
CONTINUATION = re.compile(r"^(?:\t+[ \t]*|[ ]{2,}|[ \t]*[-*•][ \t]+)(?:[-*•][ \t]+)?(?P<value>\S.*)$")
# Fields that take several values on one line, separated by commas.
COMMA_FIELDS = ("tags", "authors")


@dataclass
class FrontMatter:
    """A YAML header: its fields (one list of values each), their lines, where the text starts."""

    values: dict[str, list[str]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    body_line: int = 1
    error: str = ""  # what YAML said was wrong, with its line
    error_line: int = 1


def _text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read_yaml(lines: list[str]) -> FrontMatter | None:
    """The YAML front matter at the top of a file (its lines), or None if it has none."""
    if not lines or not FENCE.match(lines[0]):
        return None
    end = next((i for i in range(1, len(lines)) if FENCE_END.match(lines[i])), None)
    if end is None:
        return FrontMatter(error="the header starts with --- but no line --- ends it", body_line=1)
    found = FrontMatter(body_line=end + 2)
    try:
        node = yaml.compose("\n".join(lines[1:end]), Loader=yaml.SafeLoader)
        data = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        found.error = str(getattr(error, "problem", None) or error)
        found.error_line = (mark.line + 2) if mark else 1
        return found
    if not isinstance(data, dict):
        found.error = "the header is not a list of `field: value` lines"
        return found
    key_lines = {str(key.value).lower(): key.start_mark.line + 2 for key, _ in node.value} if node else {}
    for key, value in data.items():
        name = sys.intern(str(key).lower())
        values = [_text_of(v) for v in value] if isinstance(value, list) else [_text_of(value)]
        if name in COMMA_FIELDS:
            values = [", ".join(v for v in values if v)]
        found.values[name] = values or [""]
        found.lines[name] = key_lines.get(name, 1)
    return found


def _canonical_yaml(front: FrontMatter, lines: list[str]) -> str:
    header = []
    for name, values in front.values.items():
        header.append(f"{name}: {values[0]}")
        header += [f"    {value}" for value in values[1:]]
    return "\n".join([*header, "", *lines[front.body_line - 1:]])


def canonical_source(text: str) -> str:
    """The file's text with its header in the form Python-Markdown's `meta` reads."""
    if text.startswith(BOM):
        text = text[len(BOM):]
    lines = text.split("\n")
    front = read_yaml(lines)
    if front is not None:
        return text if front.error else _canonical_yaml(front, lines)
    for index, line in enumerate(lines):
        if not line.strip():
            break  # the header ends at the first empty line
        if KEY_LINE.match(line):
            continue
        match = CONTINUATION.match(line)
        if index == 0 or not match:
            break
        lines[index] = "    " + match["value"].rstrip()
    return "\n".join(lines)
