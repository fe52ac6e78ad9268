"""Content images as responsive pictures, and the video facade (issue 17)."""

from __future__ import annotations

import shutil

import pytest
from PIL import Image

from sitebuild.media import inspect_file
from tests.conftest import ROOT, build_site

PHOTO_ARTICLE = """Title: Photo
Date: 2021-05-01 10:00:00+02:00
Slug: photo
Lang: en
Summary: A photo.

First paragraph.

![A street at night]({static}/images/street.jpg "The street (photo)")

Inline ![tiny]({static}/images/street.jpg) in a sentence.

[[video https://www.youtube.com/watch?v=abc123 images/street.jpg "What the video shows"]]

[[video javascript:alert(1) images/street.jpg "not a video"]]
"""


def noisy_photo(path, gps: bool) -> None:
    """A photograph-like JPEG (noise compresses badly, as photos do), with a GPS position."""
    image = Image.effect_noise((1800, 1000), 60).convert("RGB")
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (33.0, 30.0, 0.0), 3: "E", 4: (36.0, 18.0, 0.0)}
    image.save(path, quality=90, exif=exif.tobytes())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pictures")
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    noisy_photo(content / "images" / "street.jpg", gps=False)
    (content / "en" / "news" / "photo.md").write_text(PHOTO_ARTICLE, encoding="utf-8")
    site = build_site(folder / "site", PATH=content, CACHE_PATH=folder / "cache")
    return folder, content, site


def test_a_photo_becomes_a_picture_with_modern_formats(built):
    _folder, _content, site = built
    tree = site.tree("en/news/photo/index.html")
    [figure] = tree.xpath("//div[@class='body']/figure[not(@class)]")
    assert figure.xpath("string(figcaption)") == "The street (photo)"
    [img] = figure.xpath("picture/img")
    assert (img.get("width"), img.get("height")) == ("1800", "1000")
    assert img.get("loading") == "lazy" and img.get("decoding") == "async"
    assert img.get("title") is None and img.get("alt") == "A street at night"
    types = figure.xpath("picture/source/@type")
    assert types == ["image/avif", "image/webp"]
    for srcset in figure.xpath("picture/source/@srcset") + [img.get("srcset")]:
        for candidate in srcset.split(", "):
            url, width = candidate.split()
            assert (site.root / url.lstrip("/")).is_file(), url
            if url != "/images/street.jpg":
                with Image.open(site.root / url.lstrip("/")) as copy:
                    assert f"{copy.width}w" == width
    # An image inside a sentence stays in it: a picture, no figure.
    assert tree.xpath("//div[@class='body']/p[contains(., 'Inline')]/picture/img[@alt='tiny']")


def test_copies_carry_no_metadata_and_are_not_encoded_twice(built, tmp_path):
    folder, content, _site = built
    noisy_photo(content / "images" / "street.jpg", gps=True)
    assert inspect_file(content / "images" / "street.jpg").findings  # the source has a position
    with pytest.raises(Exception, match="GPS"):  # the check refuses to publish it...
        build_site(tmp_path / "refused", PATH=content, CACHE_PATH=folder / "cache")
    noisy_photo(content / "images" / "street.jpg", gps=False)
    cache = sorted((folder / "cache" / "responsive").rglob("*.*"))
    stamps = {path: path.stat().st_mtime_ns for path in cache}
    site = build_site(tmp_path / "again", PATH=content, CACHE_PATH=folder / "cache")
    copies = sorted((site.root / "images").glob("street-*"))
    assert copies
    for copy in copies:
        if copy.suffix in (".jpg", ".webp"):
            assert not inspect_file(copy).findings, copy
        assert b"Exif" not in copy.read_bytes()[:4096], copy
    # Same source bytes as the first build: every copy came from the cache.
    assert {path: path.stat().st_mtime_ns for path in cache} == stamps


def test_a_flat_drawing_stays_its_own_lightest_file(sample_site):
    [img] = sample_site.tree("news/weekly-bulletin-crossings/index.html").xpath(
        "//div[@class='body']/figure/img")
    assert img.get("src") == "/images/crossings.png" and img.get("srcset") is None
    assert (img.get("width"), img.get("height")) == ("1600", "900")


def test_the_lead_image_on_the_home_page_is_not_lazy(sample_site):
    [img] = sample_site.tree("en/index.html").xpath("//article[@class='lead-story']//img")
    assert img.get("loading") is None and img.get("fetchpriority") == "high"
    assert img.get("width") and img.get("height")


def test_video_is_a_local_poster_and_a_plain_link(built):
    _folder, _content, site = built
    tree = site.tree("en/news/photo/index.html")
    [video] = tree.xpath("//figure[@class='video']")
    [link] = video.xpath("a")
    assert link.get("href") == "https://www.youtube.com/watch?v=abc123"
    assert link.xpath("string(span[@class='video-play'])") == "Play on YouTube"
    assert all(src.startswith("/images/") for src in video.xpath(".//img/@src | .//source/@srcset"))
    notice = video.xpath("string(figcaption/small[@class='video-notice'])")
    assert "www.youtube.com" in notice and "IP address" in notice
    assert not tree.xpath("//iframe | //video | //script[@src[contains(., 'youtube')]]")
    # Only https: anything else stays text.
    assert tree.xpath("//div[@class='body']/p[contains(., 'javascript:alert(1)')]")
    assert not tree.xpath("//a[starts-with(@href, 'javascript')]")


def test_video_notice_is_in_the_page_language(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    article = content / "ar" / "news" / "call-for-evidence-sanctions-evasion.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n[[video https://vimeo.com/1 "
                       'images/meeting-table.png "المؤتمر الصحفي"]]\n', encoding="utf-8")
    site = build_site(tmp_path / "site", PATH=content)
    [video] = site.tree("news/call-for-evidence-sanctions-evasion/index.html").xpath("//figure[@class='video']")
    assert video.xpath("string(.//span[@class='video-play'])") == "شاهد على Vimeo"
    assert "عنوان IP" in video.xpath("string(.//small)")
