"""Text pasted as-is (one line per paragraph, bare addresses) keeps its shape, and
what a copied web page brings along (its headline, its footer) is pointed out."""

from __future__ import annotations

import shutil

import pytest

from sitebuild.__main__ import main
from tests.conftest import FIXTURES, ROOT, build_site, write_config


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


COPIED_PAGE = """Title: {title}
Date: 2021-01-28
Lang: {lang}

{first}
{body}
{footer}
"""


def check_output(tmp_path, capsys, files: dict[str, str]) -> tuple[int, str]:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for name, text in files.items():
        (content / name).write_text(text, encoding="utf-8")
    capsys.readouterr()
    status = main(["check", "--config", str(write_config(tmp_path / "config", PATH=content)),
                   "--messages-lang", "en"])
    return status, capsys.readouterr().out


def test_a_copied_headline_and_a_news_sites_footer_are_warned_about(tmp_path, capsys):
    """The reference case: the whole article copied from a news site, its headline as the
    first line (the title too, with other marks) and the site's disclaimer as the last."""
    arabic = COPIED_PAGE.format(
        lang="ar", title="التحالف يزور فريق قيصر في الخارجية الأمريكية",
        first="التحالفُ يزور فريق قيصر في الخارجيّة الأمريكية.",
        body="لبّى وفد من التحالف دعوة من فريق قانون قيصر.\nوطالب بتفتيش السفن القادمة من الموانئ السورية.",
        footer="“جميع المقالات في الموقع تعبّر عن رأي كتّابها ولا تعبر بالضرورة عن رأي موقع الأخبار”")
    english = COPIED_PAGE.format(
        lang="en", title="Alliance meets the Caesar team", first="# Alliance meets the Caesar team",
        body="The delegation raised the smuggling of fuel.\n\nIt asked for ships to be searched at sea.",
        footer="© 2021 Example News. All Rights Reserved.")
    status, out = check_output(tmp_path, capsys, {"ar/news/copied.md": arabic, "en/news/copied.md": english})
    assert status == 0, out  # warnings: the text is published, the editor is told
    assert "content/ar/news/copied.md:5: text: warning: the first line of the text repeats the title" in out
    assert ("content/ar/news/copied.md:8: text: warning: this line looks like another site's footer: "
            "«“جميع المقالات في الموقع") in out
    assert "content/en/news/copied.md:5: text: warning: the first line of the text repeats the title" in out
    assert ("content/en/news/copied.md:9: text: warning: this line looks like another site's footer: "
            "«© 2021 Example News. All Rights Reserved.»") in out


def test_own_words_near_the_edges_are_not_taken_for_a_copied_page(tmp_path, capsys):
    """A first line that only shares words with the title, and closing lines that speak
    of rights and of views, are the text's own."""
    english = COPIED_PAGE.format(
        lang="en", title="Families ask for news of the detained",
        first="Families of the detained asked again for news this week.",
        body="They reserved the right to take the case to court.",
        footer="The views of the families reflect those of many Syrians, all of whom have rights reserved by law.")
    status, out = check_output(tmp_path, capsys, {"en/news/own-words.md": english})
    assert status == 0
    assert "own-words.md" not in out
    assert "0 errors, 0 warnings" in out


def test_text_pasted_into_an_empty_file_gets_one_message_saying_how_to_start(tmp_path, capsys):
    pasted = "التحالف يزور فريق قيصر\nلبّى وفد من التحالف دعوة: ناقش الوفد العقوبات.\n"
    status, out = check_output(tmp_path, capsys, {"ar/meetings/pasted.md": pasted})
    assert status == 1
    lines = [line for line in out.splitlines() if "pasted.md" in line]
    assert lines == [f"{tmp_path}/content/ar/meetings/pasted.md:1: header: the file has no header: its first lines must give "
                     "at least Title, Date and Lang (make the file with `invoke new --kind meetings --lang ar "
                     "--title \"…\"` and paste the text under its header)"], out
