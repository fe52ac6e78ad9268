"""Smart quotes per language, without touching code."""

from __future__ import annotations

import markdown
import pytest

from pelicanconf import LANGUAGES


def render(text: str, **config) -> str:
    return markdown.Markdown(
        extensions=["sitebuild.typography"], extension_configs={"sitebuild.typography": config}
    ).convert(text)


@pytest.mark.parametrize(("source", "expected"), [
    ('He said "yes".', "He said \u201cyes\u201d."),
    ("it's 'fine'", "it\u2019s \u2018fine\u2019"),
    ('("paren") and [\"bracket\"]', "(\u201cparen\u201d) and [\u201cbracket\u201d]"),
    ("wait... now -- then --- end", "wait\u2026 now \u2013 then \u2014 end"),
    ('*"em"* after', "<em>\u201cem\u201d</em> after"),
])
def test_english_quotes_dashes_ellipses(source, expected):
    assert render(source) == f"<p>{expected}</p>"


def test_code_is_left_alone():
    assert render('`say "hi" -- ok...`') == '<p><code>say "hi" -- ok...</code></p>'
    assert '"x"' in render('```\nprint("x")\n```', )


def test_arabic_gets_guillemets_and_plain_apostrophes():
    quotes = LANGUAGES[0]["quotes"]  # the Arabic row of the site's language table
    assert render('قال "نعم" و\'هكذا\'', double=quotes[:2], single=quotes[2:]) == "<p>قال «نعم» و'هكذا'</p>"
