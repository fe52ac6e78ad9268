"""Meeting accounts: the facts a meeting account's header carries, read and checked.

A meeting account is an article in the `meetings` section. Its header carries the
facts (MEETING_FIELDS). The content check reports missing or malformed fields with
file and line (`meeting_problems`); the `meetings` plugin turns a valid header into
`article.meeting` (`meeting_facts`) for the templates. Defined here, in the driver's
package, so the check, `invoke new` and `invoke status` need no plugin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .messages import msg

SECTION = "meetings"
TEMPLATE = "meeting"
# field name → required? (list fields take one value per line, or values split by ; or ؛)
MEETING_FIELDS = {
    "meeting_date": True,
    "place": True,
    "counterpart": True,
    "delegation": True,
    "topics": True,
    "requests": False,
    "outcomes": False,
    "followups": False,
}
LIST_FIELDS = ("delegation", "topics", "requests", "outcomes", "followups")
SEPARATORS = re.compile(r"\s*[;؛]\s*")


@dataclass
class MeetingFacts:
    meeting_date: date
    place: str
    counterpart: str
    delegation: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    followups: list[str] = field(default_factory=list)
    counterpart_slug: str = ""  # set by the meetings plugin (`counterpart_slug`)


def as_list(value) -> list[str]:
    """A header value as a list: continuation lines, or one line split on ; or ؛."""
    lines = value if isinstance(value, list) else [value]
    return [part for line in lines for part in SEPARATORS.split(str(line).strip()) if part]


def parse_meeting_date(value) -> date:
    text = value[0] if isinstance(value, list) else str(value)
    return date.fromisoformat(text.strip())


def meeting_problems(metadata: dict) -> list[tuple[str, str]]:
    """(field, what is wrong) for each missing or malformed field; empty when valid.

    Also used by the content check, which adds the file and line.
    """
    problems = [
        (name, msg("missing (required for a meeting account)"))
        for name, required in MEETING_FIELDS.items()
        if required and not as_list(metadata.get(name, []))
    ]
    if metadata.get("meeting_date"):
        try:
            parse_meeting_date(metadata["meeting_date"])
        except ValueError:
            value = " ".join(as_list(metadata["meeting_date"]))
            problems.append(("meeting_date", msg("'{value}' is not a date (write YYYY-MM-DD)", value=value)))
    return problems


def meeting_facts(metadata: dict) -> MeetingFacts:
    """The facts of a valid meeting account (check `meeting_problems` first)."""
    return MeetingFacts(
        meeting_date=parse_meeting_date(metadata["meeting_date"]),
        place=" ".join(as_list(metadata["place"])),
        counterpart=" ".join(as_list(metadata["counterpart"])),
        **{name: as_list(metadata.get(name, [])) for name in LIST_FIELDS},
    )


def counterpart_slug(name: str, lang: str, table: dict, slugify) -> str:
    """The address part of a body met: its key in COUNTERPARTS when `name` is one of its
    names in `lang` (so every language's page of that body has the same address),
    else `slugify(name)`."""
    for slug, names in table.items():
        if names.get(lang) == name:
            return slug
    return slugify(name)
