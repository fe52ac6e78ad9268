"""Read a built site: its pages, their links, and where each URL leads."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html


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
