"""The evidence-submission address and channels come only from configuration."""

from __future__ import annotations

import json
from urllib.parse import unquote

from tests.conftest import ROOT, build_site

CONFIGURED = "evidence@example.org"


def test_the_address_is_only_in_configuration():
    for folder in ("theme", "plugins", "sitebuild", "content"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in (".html", ".py", ".md", ".po", ".css"):
                assert CONFIGURED not in path.read_text(encoding="utf-8"), path


def mailto_links(site, page):
    return site.tree(page).xpath("//a[starts-with(@href,'mailto:')]")


def test_contact_page_mailto_has_localized_subject_and_is_isolated(sample_site):
    for page, subject in (("contact/index.html", "إرسال أدلة"), ("en/contact/index.html", "Evidence submission")):
        (link,) = sample_site.tree(page).xpath("//section[@class='submit-box']//a[starts-with(@href,'mailto:')]")
        address, _, query = link.get("href")[len("mailto:"):].partition("?")
        assert address == CONFIGURED
        assert unquote(query) == f"subject={subject}"
        assert link.getparent().tag == "bdi" and link.getparent().get("dir") == "ltr"


def test_every_page_calls_for_evidence_with_the_address_and_the_contact_page(sample_site):
    for page in sample_site.pages:
        footer = sample_site.tree(page).xpath("//aside[@class='evidence-cta']")[0]
        hrefs = footer.xpath(".//a/@href")
        assert f"mailto:{CONFIGURED}" in hrefs, page
        expected = "/en/contact/" if page.relative_to(sample_site.root).parts[0] == "en" else "/contact/"
        assert expected in hrefs, page


def test_changing_the_setting_changes_every_page(tmp_path):
    site = build_site(tmp_path, 'SUBMISSION_EMAIL = "tips@other.example"')
    for page in site.pages:
        text = page.read_text(encoding="utf-8")
        assert CONFIGURED not in text, page
        assert "mailto:tips@other.example" in text, page


def test_optional_channels_render_only_when_set(sample_site, tmp_path):
    assert not sample_site.tree("contact/index.html").xpath("//dl[@class='channels']")
    body = "\n".join([
        'SUBMISSION_SIGNAL = "+44 7700 900123"',
        # A fingerprint without a key file (published elsewhere) is allowed; tests/test_pgp.py
        # checks key files. The page prints it in groups of four.
        'SUBMISSION_PGP_FINGERPRINT = "abcd1234ef567890abcd1234ef567890abcd1234"',
        'SUBMISSION_POSTAL_ADDRESS = {"ar": "ص.ب. ١٢٣، غازي عنتاب", "en": "PO Box 123, Gaziantep"}',
        'ONION_LOCATION = "http://exampleonionaddressforthetests.onion"',
    ])
    site = build_site(tmp_path, body)
    arabic = site.tree("contact/index.html").xpath("//dl[@class='channels']")[0]
    assert arabic.xpath("string(.//dd[@class='postal'])") == "ص.ب. ١٢٣، غازي عنتاب"
    assert arabic.xpath(".//bdi[@dir='ltr']/text()") == ["+44 7700 900123"]
    assert arabic.xpath(".//code[@dir='ltr']/text()") == ["ABCD 1234 EF56 7890 ABCD 1234 EF56 7890 ABCD 1234"]
    assert not arabic.xpath(".//a[@download]")  # no key file, no download link
    english = site.tree("en/contact/index.html")
    assert english.xpath("string(//dd[@class='postal'])") == "PO Box 123, Gaziantep"
    # The onion address: text to copy, never a link (SecureDrop's landing-page guidance).
    for page in ("contact/index.html", "en/contact/index.html"):
        tree = site.tree(page)
        assert tree.xpath("//section[@class='submit-box']//code[@class='onion-address']/text()") == [
            "http://exampleonionaddressforthetests.onion"]
        assert not tree.xpath("//main//a[contains(@href, '.onion')]")


def test_organization_json_ld_carries_the_address(production_site):
    for page in ("index.html", "en/index.html", "contact/index.html"):
        (raw,) = production_site.tree(page).xpath("//script[@type='application/ld+json']/text()")
        data = json.loads(raw)
        assert data["@type"] == "Organization"
        assert data["contactPoint"]["email"] == CONFIGURED


def test_republished_source_and_disclaimer(sample_site, tmp_path):
    meeting = sample_site.tree("en/meetings/caesar-alliance-state-department/index.html")
    assert meeting.xpath("//p[@class='source']/a/@href") == ["https://example.org/free-observer/caesar-meeting"]
    assert meeting.xpath("//p[@class='disclaimer']")
    plain = sample_site.tree("en/news/detainees-families-vigil/index.html")
    assert not plain.xpath("//p[@class='disclaimer']")
    site = build_site(tmp_path, 'DISCLAIMER_ON = ["news"]')
    assert site.tree("news/detainees-families-vigil/index.html").xpath("//p[@class='disclaimer']")
    assert not site.tree("en/meetings/caesar-alliance-state-department/index.html").xpath(
        "//p[@class='disclaimer']"
    )
