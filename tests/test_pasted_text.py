"""Text pasted as-is (one line per paragraph, bare addresses) keeps its shape."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import FIXTURES, ROOT, build_site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pasted")
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copy(FIXTURES / "pasted" / "pasted-meeting-report.md", content / "ar" / "news")
    return build_site(folder / "site", PATH=content)


def test_a_pasted_13_line_article_shows_its_lines_apart(site):
    body = site.tree("news/pasted-meeting-report/index.html").xpath('//div[@class="body"]')[0]
    source = (FIXTURES / "pasted" / "pasted-meeting-report.md").read_text(encoding="utf-8")
    lines = source.split("\n\n", 1)[1].strip().splitlines()
    assert len(lines) == 13
    # Every line of the paste is its own line on the page: a line break between each two.
    assert len(body.xpath(".//br")) == 12
    text = body.text_content()
    for line in lines:
        assert line.replace('"', "") [:20] in text


def test_bare_addresses_in_arabic_text_are_isolated_links(site):
    body = site.tree("news/pasted-meeting-report/index.html").xpath('//div[@class="body"]')[0]
    mail = body.xpath('.//a[@href="mailto:evidence@example.org"]')
    assert mail and mail[0].get("dir") == "ltr" and mail[0].text == "evidence@example.org"
    web = body.xpath('.//a[@href="https://example.org/caesar-act"]')
    assert web and web[0].get("dir") == "ltr"
    # The links sit inside the Arabic sentences, not on lines of their own.
    assert "إلى البريد" in (mail[0].getprevious().tail if mail[0].getprevious() is not None else "") \
        or "إلى البريد" in mail[0].getparent().text_content()


def test_links_written_with_words_keep_the_text_direction(sample_site):
    """A link whose text is Arabic words is not forced left to right."""
    for page in sample_site.pages:
        tree = sample_site.tree(page)
        for link in tree.xpath('//div[@class="body"]//a[@dir="ltr"]'):
            assert link.text_content().isascii()


@pytest.mark.parametrize("source, links", [
    ("راسلونا على office@example.org، أو زوروا https://example.org/a?b=1.", [
        ("mailto:office@example.org", "office@example.org"), ("https://example.org/a?b=1", "https://example.org/a?b=1")]),
    ("`office@example.org` and <https://example.org/> and [the site](https://example.org/x)", [
        ("https://example.org/", "https://example.org/"), ("https://example.org/x", "the site")]),
    ("no address here, just user @ name and a:b", []),
])
def test_bare_addresses_become_links_once(source, links):
    import markdown
    from lxml import html

    page = html.fragment_fromstring(markdown.markdown(source, extensions=["sitebuild.bidi_links"]),
                                    create_parent="div")
    assert [(a.get("href"), a.text_content()) for a in page.iter("a")] == links
    assert not page.xpath("//code//a")
