"""Corrections: what changed in a published item, and when.

An item's `Correction:` field holds one correction per line (further lines indented,
as for meeting facts; a `;` belongs to the text), each `YYYY-MM-DD: what changed`:

    Correction: 2021-02-20: The number of families at the vigil was 40, not 400.

`parse_corrections` gives them newest first, or says what is wrong with a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .messages import msg

LINE = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2})\s*[:：—–-]\s*(?P<text>\S.*)\Z", re.DOTALL)


@dataclass(frozen=True)
class Correction:
    day: date
    text: str


def parse_corrections(value) -> tuple[list[Correction], list[str]]:
    corrections, problems = [], []
    lines = value if isinstance(value, list) else str(value).splitlines()
    for line in (line for line in lines if line.strip()):
        match = LINE.match(line.strip())
        try:
            day = date.fromisoformat(match["date"]) if match else None
        except ValueError:
            day = None
        if day is None:
            problems.append(msg("'{value}' is not 'YYYY-MM-DD: what changed'", value=line))
        else:
            corrections.append(Correction(day, " ".join(match["text"].split())))
    corrections.sort(key=lambda c: c.day, reverse=True)
    return corrections, problems
