"""Security headers (defined in sitebuild/security.py) on the pages and for the host.

Templates get `content_security_policy`, the policy a `<meta http-equiv>` can carry
(partials/head.html prints it first in every page's head). The default language's
run writes `_headers` at the output root: the full policy, `frame-ancestors`,
`nosniff`, `no-referrer`, `Permissions-Policy`, cache lifetimes. Registered last.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup, escape
from pelican import signals

from sitebuild.contracts import declare
from sitebuild.security import content_security_policy, headers_file

HEADERS_FILE = "_headers"


def add_policy(generator) -> None:
    policy = escape(content_security_policy(generator.settings, meta=True))
    # Quotes as they are written ('self'), readable in the page source: safe in a
    # double-quoted attribute, and the rest is escaped.
    generator.env.globals["content_security_policy"] = Markup(str(policy).replace("&#39;", "'"))


def write_headers(pelican) -> None:
    settings = pelican.settings
    if not settings.get("LANGUAGE", {}).get("primary"):
        return  # written once, by the primary language's run
    target = Path(settings["OUTPUT_PATH"]) / HEADERS_FILE
    target.write_text(headers_file(settings), encoding="utf-8")


def register() -> None:
    declare(__name__)  # needs nothing from other plugins, provides nothing they use
    signals.generator_init.connect(add_policy)
    signals.finalized.connect(write_headers)
