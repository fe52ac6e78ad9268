"""A video as a click-to-load facade: a line of its own in the Markdown,

    [[video https://www.youtube.com/watch?v=abc123 images/meeting-table.png "What the video shows"]]

becomes a figure with the local poster image inside a plain link to the provider's
page, a play label, and a caption saying what the click does. Nothing is loaded from
the provider before the click (no iframe, no script, no thumbnail from its servers:
the poster is a file of this site), and the caption says that a click opens the
provider's site, which then learns the reader's IP address.

The markup uses only elements and attributes the editors' allow-list has
(sitebuild/sanitize.py), with the class names `video`, `video-play` and
`video-notice` added to that list for it; so it passes the sanitiser unchanged and
a hand-written imitation can do no more than style itself like one. A line that
does not match exactly (another scheme than https, a poster that is not an image
under content/) stays a paragraph of text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension

LINE = re.compile(r'\[\[video\s+(?P<url>https://[^\s"]+)\s+(?P<poster>[\w./-]+\.(?:png|jpe?g|webp))'
                  r'\s+"(?P<title>[^"\n]+)"\s*\]\]')
# Hosts shown by their name; any other host is shown as it is.
PROVIDERS = {"youtube.com": "YouTube", "youtu.be": "YouTube", "vimeo.com": "Vimeo",
             "facebook.com": "Facebook", "t.me": "Telegram", "x.com": "X", "twitter.com": "X"}
CLASSES = ("video", "video-play", "video-notice")


def provider_of(url: str) -> tuple[str, str]:
    """(name, host) of a video address: ("YouTube", "www.youtube.com")."""
    host = (urlsplit(url).hostname or "").lower()
    bare = host[4:] if host.startswith("www.") else host
    return PROVIDERS.get(bare, bare), host


class VideoFacade(BlockProcessor):
    def __init__(self, parser, play: str, notice: str):
        super().__init__(parser)
        self.play, self.notice = play, notice

    def test(self, parent, block: str) -> bool:
        return LINE.fullmatch(block.strip()) is not None

    def run(self, parent, blocks) -> None:
        match = LINE.fullmatch(blocks.pop(0).strip())
        name, host = provider_of(match["url"])
        figure = etree.SubElement(parent, "figure", {"class": "video"})
        link = etree.SubElement(figure, "a", {"href": match["url"]})
        # The poster says what the video is about; with the play label it names the link.
        etree.SubElement(link, "img", {"src": "{static}/" + match["poster"].lstrip("/"), "alt": match["title"]})
        play = etree.SubElement(link, "span", {"class": "video-play"})
        play.text = self.play.format(provider=name)
        caption = etree.SubElement(figure, "figcaption")
        caption.text = match["title"] + " "
        notice = etree.SubElement(caption, "small", {"class": "video-notice"})
        # The host is a Latin address: isolated, so it keeps its order inside Arabic.
        before, _, after = self.notice.partition("{host}")
        notice.text = before.format(provider=name)
        address = etree.SubElement(notice, "bdi", {"dir": "ltr"})
        address.text = host
        address.tail = after.format(provider=name)


class VideoExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "play": ["Play on {provider}", "the link's label"],
            "notice": ["Opens {provider} ({host}): your click sends that site your IP address. "
                       "Nothing is loaded from it before you click.", "what the click sends"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.parser.blockprocessors.register(
            VideoFacade(md.parser, self.getConfig("play"), self.getConfig("notice")), "video_facade", 75)


def makeExtension(**kwargs) -> VideoExtension:  # noqa: N802 (Python-Markdown's name)
    return VideoExtension(**kwargs)
