"""Identity on every page (issue 17): logo and short name, the section menu folded
behind <details>, social links from settings with self-hosted icons."""

from __future__ import annotations

from tests.conftest import build_site


def test_every_page_shows_the_logo_and_folds_the_menu(sample_site):
    for page in sample_site.pages:
        tree = sample_site.tree(page)
        [brand] = tree.xpath("//header//a[@class='brand']")
        assert brand.xpath("img/@src")[0].endswith("/theme/img/logo.svg"), page
        assert brand.xpath("img/@alt") == [""], page  # the name next to it is the link's text
        assert brand.text_content().strip(), page
        # The section menu is inside a <details> with a summary, so it needs no script.
        [menu] = tree.xpath("//header//details[@class='menu']")
        assert menu.xpath("summary") and menu.xpath(".//nav[@class='main-nav']//a"), page


def test_short_name_is_per_language(sample_site):
    assert sample_site.tree("index.html").xpath("//span[@class='site-name']/text()") == ["تحالف قيصر"]
    assert sample_site.tree("en/index.html").xpath("//span[@class='site-name']/text()") == ["Caesar Alliance"]


def test_social_links_come_from_settings_with_local_icons(tmp_path):
    site = build_site(tmp_path, 'SOCIAL_LINKS = [("Telegram", "https://t.me/other"), '
                                '("Mastodon", "https://social.example/@alliance")]')
    for page in ("index.html", "en/news/index.html"):
        links = site.tree(page).xpath("//ul[@class='social']//a")
        assert [a.get("href") for a in links] == ["https://t.me/other", "https://social.example/@alliance"]
        icons = [a.xpath("img/@src")[0] for a in links]
        assert icons == ["/theme/img/social/telegram.svg", "/theme/img/social/link.svg"]
        assert all((site.root / icon.lstrip("/")).is_file() for icon in icons)
        assert [a.text_content().strip() for a in links] == ["Telegram", "Mastodon"]


def test_no_social_links_no_list(tmp_path):
    site = build_site(tmp_path, "SOCIAL_LINKS = []")
    assert not site.tree("index.html").xpath("//ul[@class='social']")


def test_home_has_a_lead_story_and_latest_items_per_section(sample_site):
    for page, prefix in (("index.html", "/"), ("en/index.html", "/en/")):
        tree = sample_site.tree(page)
        [lead] = tree.xpath("//main//article[@class='lead-story']//h2/a/@href")
        sections = tree.xpath("//main//section[@class='home-section']")
        assert [s.xpath("h2/a/@href")[0] for s in sections][0] == f"{prefix}news/"
        listed = [href for s in sections for href in s.xpath(".//li/a/@href")]
        assert lead not in listed and len(listed) == len(set(listed)) >= 3


def test_listings_number_their_pages_and_do_not_repeat_the_section(tmp_path):
    site = build_site(tmp_path, "DEFAULT_PAGINATION = 1")
    first, second = site.tree("en/news/index.html"), site.tree("en/news/page/2/index.html")
    for tree, current in ((first, "1"), (second, "2")):
        numbers = tree.xpath("//nav[@class='pagination']/ol[@class='page-numbers']/li/a")
        assert [a.text for a in numbers] == ["1", "2"]
        assert [a.text for a in numbers if a.get("aria-current") == "page"] == [current]
    assert first.xpath("//ol[@class='page-numbers']/li/a[.='2']/@href") == ["/en/news/page/2/"]
    # The section's own listing does not name the section in every item; a tag's does.
    assert not first.xpath("//main//article[@class='summary']//p[@class='meta']/a")
    tag = site.tree("en/tags/detainees/index.html")
    assert tag.xpath("//main//article[@class='summary']//p[@class='meta']/a/@href")
