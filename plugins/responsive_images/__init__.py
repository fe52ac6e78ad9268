"""Content images as responsive pictures, with captions (sitebuild/images.py makes the copies).

- The filter `responsive_images` (article.html, page.html: `content|responsive_images`)
  turns each `<img>` of the cleaned text whose address is a raster image under
  content/ into a `<picture>`: AVIF and WebP `<source>`s with `srcset`/`sizes`, the
  original as the `<img>` with its `width`/`height`, `loading="lazy"` and
  `decoding="async"` (a text's images are below its title). A Markdown title
  (`![alt](src "caption")`) becomes the `<figcaption>` of a `<figure>`. This runs on
  the sanitised HTML and writes elements the editors' allow-list does not have
  (`picture`, `source`): they are made here from the image's own attributes, never
  taken from the text. Feeds keep the plain `<img>`.
- The global `picture(path, alt, sizes, lazy)` gives the same markup for a path under
  content/ (the home page's lead image).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from lxml import etree, html
from markupsafe import Markup, escape
from pelican import signals

from sitebuild.contracts import declare
from sitebuild.images import ResponsiveImages
from sitebuild.media import RASTER_FORMATS, static_files

BODY_SIZES = "(min-width: 46rem) 42rem, calc(100vw - 2rem)"
_current: dict[str, ResponsiveImages] = {}


def _images(settings: dict) -> ResponsiveImages:
    key = settings["OUTPUT_PATH"]
    if key not in _current:
        _current.clear()
        _current[key] = ResponsiveImages(Path(settings["PATH"]), Path(settings["OUTPUT_PATH"]),
                                         Path(settings["CACHE_PATH"]))
    return _current[key]


def picture_markup(image_set, alt: str, sizes: str, lazy: bool, siteurl: str) -> str:
    def url(path: str) -> str:
        return escape(f"{siteurl}/{path}")

    loading = ' loading="lazy" decoding="async"' if lazy else ' fetchpriority="high"'
    size = f'alt="{escape(alt)}" width="{image_set.width}" height="{image_set.height}"{loading}'
    if not any(image_set.sources.values()):  # no lighter copy: the original alone
        return f'<img src="{url(image_set.src)}" {size}>'
    parts = ["<picture>"]
    types = list(image_set.sources)
    for mime in types[:-1]:  # the modern formats; the original's type is the <img>
        candidates = image_set.sources[mime]
        if candidates:
            srcset = ", ".join(f"{url(path)} {width}w" for path, width in candidates)
            # "/>": HTML allows it on a void element, and libxml2 (lxml, the tests'
            # and tools' parser) does not know <source> is void without it.
            parts.append(f'<source type="{mime}" srcset="{srcset}" sizes="{escape(sizes)}"/>')
    own = image_set.sources.get(types[-1], []) if types else []
    srcset = ", ".join([f"{url(path)} {width}w" for path, width in own]
                       + [f"{url(image_set.src)} {image_set.width}w"])
    parts.append(f'<img src="{url(image_set.src)}" srcset="{srcset}" sizes="{escape(sizes)}" {size}>')
    parts.append("</picture>")
    return "".join(parts)


def picture(path: str, alt: str = "", sizes: str = "100vw", lazy: bool = True, *, settings: dict) -> Markup:
    relative = path.lstrip("/")
    image_set = _images(settings).image_set(relative)
    siteurl = settings["SITEURL"]
    if image_set is None:
        lazy_attributes = ' loading="lazy" decoding="async"' if lazy else ""
        return Markup(f'<img src="{escape(siteurl)}/{escape(relative)}" alt="{escape(alt)}"{lazy_attributes}>')
    return Markup(picture_markup(image_set, alt, sizes, lazy, siteurl))


def _relative(src: str, siteurl: str) -> str | None:
    """The site-relative path of an image address of this site, else None."""
    if siteurl and src.startswith(siteurl + "/"):
        return src[len(siteurl) + 1:]
    if src.startswith("/") and not src.startswith("//"):
        return src[1:]
    return None


def responsive_images(content: str, *, settings: dict) -> Markup:
    if "<img" not in content:
        return Markup(content)
    siteurl = settings["SITEURL"]
    root = html.fragment_fromstring(content, create_parent="div")
    # lxml's HTML serialiser does not know <source> is void: each picture is written
    # as a placeholder element, replaced by its markup after serialising (editor HTML
    # cannot hold a data- attribute: the allow-list drops them).
    pictures: list[str] = []
    for img in list(root.iter("img")):
        relative = _relative(img.get("src", ""), siteurl)
        image_set = _images(settings).image_set(relative) if relative else None
        new = None
        if image_set is None:
            img.set("loading", "lazy")
            img.set("decoding", "async")
        else:
            new = html.Element("span", {"data-picture": str(len(pictures))})
            pictures.append(picture_markup(image_set, img.get("alt", ""), BODY_SIZES, True, siteurl))
        parent = img.getparent()
        # A lone image is a paragraph of its own in Markdown: a captioned one becomes
        # a <figure> in its place (a figure cannot sit inside a paragraph).
        alone = parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip() \
            and not (img.tail or "").strip()
        caption = img.attrib.pop("title", None) if alone else None
        if caption:
            figure = html.Element("figure")
            figure.append(new if new is not None else html.Element("img", dict(img.attrib)))
            figcaption = etree.SubElement(figure, "figcaption")
            figcaption.text = caption
            figure.tail = parent.tail
            parent.getparent().replace(parent, figure)
        elif new is not None:
            new.tail = img.tail
            parent.replace(img, new)
    inner = (root.text or "") + "".join(html.tostring(child, encoding="unicode") for child in root)
    for number, markup in enumerate(pictures):
        inner = inner.replace(f'<span data-picture="{number}"></span>', markup, 1)
    return Markup(inner)


def add_filters(generator) -> None:
    settings = generator.settings
    generator.env.filters["responsive_images"] = partial(responsive_images, settings=settings)
    generator.env.globals["picture"] = partial(picture, settings=settings)


def publish_copies(pelican) -> None:
    """Every raster image under the content's STATIC_PATHS gets its copies in the output,
    in the run that writes static files (but those only held-back items use: plugins/
    publication). Not while rendering: the render cache may reuse a page without
    rendering it, and its images' copies must be there all the same."""
    settings = pelican.settings
    if not settings.get("WRITE_STATIC", True):
        return
    content = Path(settings["PATH"])
    images = _images(settings)
    held = set(settings.get("HELD_BACK_FILES") or ())
    for relative in static_files(content, settings):
        if Path(relative).suffix.lower() in RASTER_FORMATS and relative not in held:
            images.publish(relative)
    _current.clear()


def register() -> None:
    declare(__name__)  # needs nothing from other plugins, provides nothing they use
    signals.generator_init.connect(add_filters)
    signals.finalized.connect(publish_copies)
