"""Property: any header and body either builds valid pages or fails naming the file — never a traceback."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import html

from sitebuild.build import build
from sitebuild.errors import BuildError
from tests.conftest import write_config

ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
ANY_TEXT = st.text(
    alphabet=st.one_of(ARABIC, st.characters(codec="utf-8"), st.sampled_from("<>&\"'{}:#*[]()\x07\x00")),
    max_size=60,
)
LINE = ANY_TEXT.map(lambda s: s.replace("\n", " ").replace("\r", " "))
DATES = st.one_of(
    st.sampled_from([
        "2021-01-28 10:00:00+02:00", "2021-02-30", "0001-01-01", "9999-12-31 23:59+14:00",
        "2021-01-28T10:00", "yesterday", "", "2021-13-01 25:61",
    ]),
    LINE,
)


PLAIN = st.text(
    alphabet=st.one_of(ARABIC, st.characters(categories=["L", "N", "Zs", "P"])), min_size=1, max_size=80
).map(str.strip).filter(bool)


def mostly(valid, odd):
    """Valid values most of the time, so that both outcomes are exercised."""
    return st.one_of(valid, valid, valid, valid, valid, odd)


@st.composite
def documents(draw):
    fields = {
        "Title": draw(mostly(PLAIN, st.one_of(LINE, st.text(max_size=3000)))),
        "Date": draw(mostly(st.just("2021-01-28 10:00:00+02:00"), DATES)),
        "Slug": draw(mostly(st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,8}){0,3}", fullmatch=True), LINE)),
        "Lang": draw(mostly(st.just("en"), st.sampled_from(["ar", "fr", "", "EN"]))),
        "Tags": draw(mostly(PLAIN, LINE)),
        "Summary": draw(mostly(PLAIN, LINE)),
        "Authors": draw(mostly(PLAIN, LINE)),
        "Status": draw(mostly(st.sampled_from(["published", "hidden", "draft"]), LINE)),
        draw(st.sampled_from(["Tittle", "Template", "Modified"])): draw(LINE),
    }
    keep = {key for key in fields if key in ("Title", "Date", "Lang") or draw(st.integers(0, 3)) == 0}
    if not draw(st.integers(0, 9)):
        keep.discard(draw(st.sampled_from(sorted(keep))))
    header = "".join(f"{key}: {value}\n" for key, value in fields.items() if key in keep)
    body = draw(mostly(PLAIN, st.text(max_size=400)))
    return header + "\n" + body + "\n"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents())
def test_random_documents_build_or_fail_naming_the_file(document):
    folder = Path(tempfile.mkdtemp(prefix="property-"))
    try:
        content = folder / "content"
        (content / "en" / "news").mkdir(parents=True)
        (content / "ar" / "news").mkdir(parents=True)
        source = content / "en" / "news" / "generated.md"
        source.write_text(document, encoding="utf-8", errors="surrogatepass")
        config = write_config(folder / "config", PATH=content)
        try:
            report = build(config, folder / "output", jobs=1)
        except BuildError as error:
            assert error.problems, str(error)
            assert any("generated.md" in str(p) for p in error.problems), str(error)
            assert not (folder / "output").exists()
            event("rejected with a message")
            return
        event("built")
        pages = list(report.output.rglob("*.html"))
        assert pages
        for page in pages:
            root = html.fromstring(page.read_bytes())
            assert root.get("lang") in ("ar", "en")
        written = [p for p in pages if "generated" in p.as_posix() or "/news/" in p.as_posix()]
        assert written
    finally:
        shutil.rmtree(folder, ignore_errors=True)
