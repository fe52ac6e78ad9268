"""Read a built site: its pages, their links, and where each URL leads."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree, html

# url(...) and @import "..." in a stylesheet or a style attribute.
CSS_URL = re.compile(
    r"""url\(\s*(?P<q>['"]?)(?P<url>[^'")]*?)(?P=q)\s*\)|@import\s+(?P<iq>['"])(?P<import>[^'"]+)(?P=iq)"""
)
# Elements of feeds and sitemaps whose text is a URL; HTML fragments are parsed.
XML_URL_TEXT = {"link", "loc", "guid", "id", "uri", "icon", "logo", "url"}
XML_HTML_TEXT = {"content", "summary", "description", "encoded", "subtitle"}


def css_urls(text: str):
    """Every URL a stylesheet (or style attribute) refers to: url() and @import."""
    for match in CSS_URL.finditer(text):
        yield match["url"] if match["url"] is not None else match["import"]


def srcset_urls(value: str):
    """The URLs of a srcset attribute ("a.png 1x, b.png 2x")."""
    for candidate in value.split(","):
        if candidate.strip():
            yield candidate.split()[0]


@dataclass
class Site:
    root: Path
    siteurl: str = ""
    report: object = None
    _trees: dict = field(default_factory=dict, repr=False)

    @cached_property
    def pages(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    def tree(self, page: Path | str):
        page = self.root / page if isinstance(page, str) else page
        if page not in self._trees:
            self._trees[page] = html.fromstring(page.read_bytes())
        return self._trees[page]

    def text(self, page: str) -> str:
        return (self.root / page).read_text(encoding="utf-8")

    def local_path(self, url: str) -> str | None:
        """The site-relative path of an internal URL, or None for an outside link."""
        parts = urlsplit(url)
        if parts.scheme in ("mailto", "tel", "data", "javascript"):
            return None
        if parts.scheme or parts.netloc:
            if not self.siteurl or not url.startswith(self.siteurl):
                return None
            path = url[len(self.siteurl):]
        else:
            path = parts.path
        return unquote(urlsplit(path).path)

    def resolves(self, url: str, base: Path | None = None) -> bool:
        """Does an internal URL lead to a written file?"""
        path = self.local_path(url)
        if path is None:
            return True
        if not path.startswith("/"):
            if base is None:
                return False
            path = "/" + str((base.parent / path).relative_to(self.root))
        target = self.root / path.lstrip("/")
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target.is_file()

    def links(self, page: Path):
        """Every (attribute, url) a page points to."""
        tree = self.tree(page)
        for _element, attribute, link, _pos in tree.iterlinks():
            yield attribute, link

    # --- Everything the site refers to (pages, stylesheets, feeds, sitemaps) -----

    @cached_property
    def stylesheets(self) -> list[Path]:
        return sorted(self.root.rglob("*.css"))

    @cached_property
    def feeds_and_sitemaps(self) -> list[Path]:
        """Feeds and sitemaps, wherever the build writes them (*.xml, *.atom, *.rss)."""
        return sorted(
            path for pattern in ("*.xml", "*.atom", "*.rss") for path in self.root.rglob(pattern)
        )

    def references(self, path: Path):
        """Every (where, url) a written file points to: HTML attributes, srcset and
        inline CSS; a stylesheet's url() and @import; a feed's or sitemap's links
        and the links inside its HTML content."""
        suffix = path.suffix.lower()
        if suffix == ".css":
            for url in css_urls(path.read_text(encoding="utf-8")):
                yield "css url()", url
        elif suffix == ".html":
            yield from self._html_references(self.tree(path))
        else:
            yield from self._xml_references(path)

    @staticmethod
    def _html_references(tree):
        for element, attribute, link, _pos in tree.iterlinks():
            if attribute != "srcset":
                yield f"<{element.tag} {attribute or 'style'}>", link
        for element in tree.xpath("//*[@srcset]"):
            for url in srcset_urls(element.get("srcset")):
                yield f"<{element.tag} srcset>", url

    def _xml_references(self, path: Path):
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        for element in tree.iter("{*}*"):
            name = etree.QName(element).localname
            for attribute in ("href", "src", "url"):
                if element.get(attribute):
                    yield f"<{name} {attribute}>", element.get(attribute)
            text = (element.text or "").strip()
            if not text:
                continue
            if name in XML_URL_TEXT and (text.startswith(("/", "http://", "https://"))):
                if name == "guid" and element.get("isPermaLink") == "false":
                    continue
                yield f"<{name}>", text
            elif name in XML_HTML_TEXT and "<" in text:
                fragment = html.fragment_fromstring(text, create_parent="div")
                for where, url in self._html_references(fragment):
                    yield f"<{name}> {where}", url

    def target(self, url: str, base: Path | None = None) -> Path | None:
        """The written file an internal URL leads to (it may not exist), or None
        for an outside link or a relative URL without a base."""
        path = self.local_path(url)
        if path is None or (not path.startswith("/") and base is None):
            return None
        relative = not path.startswith("/")
        target = base.parent / path if relative else self.root / path.lstrip("/")
        if path.endswith("/") or path == "" or target.is_dir():
            target = target / "index.html"
        return target

    def fragment_exists(self, url: str, base: Path) -> bool:
        """Does `#fragment` name an element (id or a name) of the HTML page it leads to?"""
        fragment = unquote(urlsplit(url).fragment)
        if not fragment:
            return True
        target = base if url.startswith("#") else self.target(url, base)
        if target is None or target.suffix != ".html" or not target.is_file():
            return True
        tree = self.tree(target)
        return bool(tree.xpath("//*[@id=$f or @name=$f]", f=fragment))
