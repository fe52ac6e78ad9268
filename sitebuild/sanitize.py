"""Editor-written HTML through one allow-list: what is kept, and what would be removed.

Every piece of HTML an editor writes (the Markdown body and the header fields Pelican
renders as Markdown, `Summary:`) reaches pages, feeds and the search index through the
Markdown reader (plugins/markdown_reader), which cleans it with `clean_html`: nh3, the
Python binding of the Rust sanitiser ammonia, with the tables below. `removals` says,
from the same tables, what the sanitiser would take out, so that the content check and
the build report it (`html_problems`: one Problem per removal, with the line) instead
of letting an editor's text disappear silently.

Decisions the tables encode:
- No scripts, frames, embeds, forms, styles or inline SVG/MathML; no `on*=` or `style=`
  attributes (the site's stylesheet is the only style: a strict `style-src 'self'`).
- Links (`<a href>`) may go anywhere over https, http, mailto and tel, or be relative
  (also Pelican's `{filename}`, `{static}`, ... placeholders, replaced after reading).
- Anything the reader's browser *loads* (`<img src>`, `srcset`) must come from this
  site: a relative address or a placeholder; an image from another site would tell that
  site who reads what. (An absolute address of the site itself is refused too: it would
  differ between the preview and production.) No video or audio players: link to them.
- Addresses are judged after entity decoding and with every space and control character
  ignored (`jav&#x09;ascript:` and Markdown's expanded tab are `javascript:`).
- `id`, `lang`, `dir` and `title` on every element (Arabic needs `dir` and `lang`;
  footnotes and the table of contents need `id`). `class` only with the names our
  Markdown extensions write (footnotes, code languages, table alignment, the TOC):
  the theme's classes are its interface (hidden text, notices), not for the
  text. Ids are not prefixed (footnote and heading links need them as written).
- `rel` is not added: the theme's `<meta name="referrer" content="no-referrer">`
  keeps every link from telling the other site where the reader came from, and with
  no `target` allowed there is no opener to protect.
"""

from __future__ import annotations

import html as html_entities
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import lxml.html
import nh3
from lxml import etree

from .errors import Problem
from .inventory import parse_header
from .rendering import BODY

# --- The allow-list ----------------------------------------------------------------

# URL schemes a link may use; anything else (javascript:, vbscript:, data:, ...) is removed.
SCHEMES = frozenset({"https", "http", "mailto", "tel"})
# Attributes every allowed element may carry (`class` and `dir` values filtered below).
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "dir", "lang", "title"})
_TEXT = ("p", "br", "hr", "div", "span", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
         "em", "strong", "b", "i", "u", "s", "small", "mark", "cite", "dfn", "kbd", "samp", "var",
         "code", "sub", "sup", "wbr", "q", "abbr", "bdi", "bdo", "ruby", "rt", "rp",
         "ul", "dl", "dt", "dd", "figure", "figcaption", "table", "caption", "thead", "tbody",
         "tfoot", "tr", "summary")
# Element → the attributes it may carry besides GLOBAL_ATTRIBUTES.
ELEMENTS: dict[str, frozenset[str]] = {
    **{name: frozenset() for name in _TEXT},
    "a": frozenset({"href", "hreflang", "rel"}),
    "img": frozenset({"src", "srcset", "alt", "width", "height", "loading"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "time": frozenset({"datetime"}),
    "data": frozenset({"value"}),
    "del": frozenset({"datetime"}),
    "ins": frozenset({"datetime"}),
    "colgroup": frozenset({"span"}),
    "col": frozenset({"span"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "abbr"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "details": frozenset({"open"}),
}
# Attributes holding an address: its scheme must be in SCHEMES (ammonia checks these two).
URL_ATTRIBUTES = frozenset({"href", "src"})
# (element, attribute) whose addresses the browser loads by itself: only from this site.
LOADED = frozenset({("img", "src"), ("img", "srcset")})
# The class names our Markdown extensions write: footnotes, the [TOC] and its heading
# links, fenced code's language, table column alignment (sitebuild/table_align.py),
# the video facade (sitebuild/video.py: style only, its markup is otherwise plain).
# (Another extension's classes must be added here.)
CLASSES = re.compile(r"(footnote|footnote-ref|footnote-backref|toc|toclink|headerlink|align-(left|right|center)"
                     r"|video|video-play|video-notice|language-[\w.+#-]+)\Z")
DIR_VALUES = frozenset({"ltr", "rtl", "auto"})
# Removed with everything inside them: their content is code, a page of its own, or
# fallback that means nothing without them. (Other removed elements keep their text.)
REMOVED_WITH_CONTENT = frozenset({
    "script", "style", "template", "noscript", "iframe", "frame", "frameset", "noframes",
    "noembed", "object", "applet", "svg", "math", "textarea", "select", "title", "xmp",
    "plaintext", "head",
})


def kept_value(element: str, attribute: str, value: str) -> str | None:
    """An allowed attribute's value as the page keeps it, or None to remove it: the
    rules of the allow-list that are about values rather than names."""
    if attribute == "class":
        kept = [name for name in value.split() if CLASSES.match(name)]
        return " ".join(kept) if kept else None
    if attribute == "dir":
        return value if value.strip().lower() in DIR_VALUES else None
    if attribute in URL_ATTRIBUTES and url_scheme(value) not in SCHEMES | {""}:
        return None  # also what ammonia takes for relative: `jav    ascript:` (Markdown expands tabs)
    if (element, attribute) in LOADED and loaded_from_elsewhere(value):
        return None
    return value


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    return kept_value(element, attribute, value)


_CLEANER = nh3.Cleaner(
    tags=set(ELEMENTS),
    clean_content_tags=set(REMOVED_WITH_CONTENT),
    attributes={"*": set(GLOBAL_ATTRIBUTES), **{name: set(attrs) for name, attrs in ELEMENTS.items()}},
    attribute_filter=_attribute_filter,
    strip_comments=True,
    link_rel=None,
    url_schemes=set(SCHEMES),
    url_relative="pass_through",
)


def clean_html(html: str) -> str:
    """`html` with everything outside the allow-list removed (nh3/ammonia)."""
    return _CLEANER.clean(html) if html else html


# --- Addresses, as a browser reads them ---------------------------------------------

_EDGES = "".join(chr(c) for c in range(0x21))  # C0 controls and space, stripped at both ends
_TAB_NEWLINE = re.compile("[\t\n\r]")
_SPACES_CONTROLS = re.compile(r"[\s\x00-\x1f\x7f]+")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def url_scheme(value: str) -> str:
    """The scheme of an attribute value (already entity-decoded), or '' if relative.
    Stricter than a browser, which strips controls and spaces around it and tabs and
    newlines inside: every space and control character is ignored."""
    match = _SCHEME.match(_SPACES_CONTROLS.sub("", value))
    return match[1].lower() if match else ""


def from_this_site(value: str) -> bool:
    """A relative address (or a Pelican placeholder such as {static}/images/a.png),
    not one with a scheme or a `//host` (browsers read backslashes as slashes)."""
    address = _TAB_NEWLINE.sub("", value.strip(_EDGES))
    return not url_scheme(address) and not re.match(r"[/\\]{2}", address)


# --- What the sanitiser would remove -------------------------------------------------

@dataclass(frozen=True)
class Removal:
    """One thing the sanitiser removes: what, how to fix it, and what to look for in the
    source (best first) to find its line."""

    what: str
    hint: str
    needles: tuple[str, ...]


HTML_HELP = "README: What HTML you may write"
_IMAGE_HINT = "put the image in content/images/ and write ![what it shows]({static}/images/name.jpg)"
_MEDIA_HINT = "link to the video or recording instead: [what it is](https://…)"
_FORM_HINT = "forms are not allowed: link to the form's page instead"
_FRAME_HINT = "frames and embeds are not allowed: link to the video or page instead"
_STYLE_HINT = "the site's stylesheet styles every page: remove it"
_FORM_FIELDS = {"input", "button", "select", "textarea", "option", "optgroup", "label", "fieldset",
                "legend", "output", "datalist", "keygen"}
_FRAMES = {"iframe", "frame", "frameset", "object", "embed", "applet", "portal", "fencedframe"}
_MEDIA = {"video", "audio", "source", "track"}
# Tags a parser folds into the page's own <html>, <head> or <body> (`<body onload=…>` would
# give the page's body the attribute): ammonia drops them and lxml hides them, so they are
# looked for in the text.
_DOCUMENT_TAG = re.compile(r"<(html|head|body)[\s/>]", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)


def loaded_from_elsewhere(*values: str) -> str:
    """The first address in `values` (attribute values, srcset lists) that is not this
    site's, or ''. (A srcset is split at commas and spaces, so data: addresses count too.)"""
    for value in values:
        for candidate in value.split(","):
            address = candidate.split()[0] if candidate.strip() else ""
            if address and not from_this_site(address):
                return address
    return ""


def _css_elsewhere(css: str) -> str:
    for match in _CSS_URL.finditer(css):
        address = match[1] or match[2]
        if not from_this_site(address):
            return address
    return ""


def _element_removal(element) -> Removal:
    tag = element.tag
    attrs = element.attrib
    needles = (f"<{tag}",)
    elsewhere = loaded_from_elsewhere(*(attrs.get(name, "") for name in ("src", "data", "href", "poster",
                                                                          "srcset", "background")))
    if tag == "script":
        return Removal("raw <script> in the text", "remove it: the text can never run scripts", needles)
    if tag in _FRAMES:
        source = attrs.get("src") or attrs.get("data") or ("srcdoc" if "srcdoc" in attrs else "")
        what = f"embedded {tag} from {source}" if source and source != "srcdoc" else (
            f"embedded {tag} with srcdoc" if source else f"embedded {tag}")
        return Removal(what, _FRAME_HINT, needles)
    if tag in _MEDIA:
        what = f"<{tag}> loads {elsewhere} from another site" if elsewhere else f"<{tag}> is not allowed"
        return Removal(what, _MEDIA_HINT, needles)
    if tag == "picture":
        return Removal("<picture> is not allowed", "use one image: ![what it shows]({static}/images/name.jpg)",
                       needles)
    if tag == "style":
        css = _css_elsewhere(element.text or "")
        what = f"<style> loads {css} from another site" if css else "<style> element"
        return Removal(what, _STYLE_HINT, needles)
    if tag == "link":
        what = f"<link> loads {elsewhere} from another site" if elsewhere else "<link> element"
        return Removal(what, "remove it: the theme links everything a page needs", needles)
    if tag == "base":
        return Removal(f"<base href={attrs.get('href', '')}> would change where every link goes",
                       "remove it", needles)
    if tag == "meta":
        refresh = attrs.get("http-equiv", "").strip().lower() == "refresh"
        what = "<meta http-equiv=refresh> would send readers elsewhere" if refresh else "<meta> element"
        return Removal(what, "remove it; write a link to the page instead", needles)
    if tag == "form":
        action = attrs.get("action", "")
        return Removal(f"form sending to {action}" if action else "<form> element", _FORM_HINT, needles)
    if tag in _FORM_FIELDS:
        what = f"<{tag}> loads {elsewhere} from another site" if elsewhere else f"<{tag}> (a form field)"
        return Removal(what, _FORM_HINT, needles)
    if tag == "svg":
        return Removal("inline <svg> drawing",
                       "save it as a file in content/images/ and write ![what it shows]({static}/images/name.svg)",
                       needles)
    if tag == "math":
        return Removal("inline <math> formula", "write the formula as text, or as an image in content/images/",
                       needles)
    return Removal(f"<{tag}> is not allowed", f"remove it; {HTML_HELP} lists what is kept", needles)


def _kept(tag: str, name: str, value: str) -> str | None:
    """What the sanitiser keeps of this attribute of an allowed element (None: nothing)."""
    if name not in GLOBAL_ATTRIBUTES and name not in ELEMENTS[tag]:
        return None
    if name in URL_ATTRIBUTES and url_scheme(value) not in SCHEMES | {""}:
        return None
    return kept_value(tag, name, value)


def _attribute_removal(tag: str, name: str, value: str) -> Removal:
    """Why the sanitiser removes or changes this attribute of an allowed element."""
    # `name=`, the value, then the bare name (`autofocus`, or the debris of broken quotes), the tag.
    needles = (f"{name}=", *((value,) if value.strip() else ()), name, f"<{tag}")
    if name.startswith("on"):
        return Removal(f"{name}= attribute runs a script", "remove the attribute", needles)
    if name == "style":
        css = _css_elsewhere(value)
        what = f"style= attribute loads {css} from another site" if css else "style= attribute"
        return Removal(what, "the site's stylesheet styles the text: remove the attribute", needles)
    if name == "srcset":
        elsewhere = loaded_from_elsewhere(value)
        what = f"srcset= loads {elsewhere} from another site" if elsewhere else "srcset= attribute"
        return Removal(what, "use one image: ![what it shows]({static}/images/name.jpg)", needles)
    if name not in GLOBAL_ATTRIBUTES and name not in ELEMENTS[tag]:
        return Removal(f"{name}= attribute on <{tag}> is not allowed", f"remove it; {HTML_HELP} lists what is kept",
                       needles)
    scheme = url_scheme(value) if name in URL_ATTRIBUTES else ""
    if scheme not in SCHEMES | {""}:
        needles = (value, f"{scheme}:", f"{name}=")
        if tag == "img":
            return Removal(f"{scheme}: image", _IMAGE_HINT, needles)
        return Removal(f"{scheme}: link", "link to a normal web address, https://…", needles)
    if (tag, name) in LOADED:
        return Removal(f"image loaded from another site: {value.strip()}", _IMAGE_HINT, (value, f"{name}="))
    if name == "class":
        dropped = [token for token in value.split() if not CLASSES.match(token)]
        return Removal(f"class {' '.join(dropped)!r} is not one this site uses",
                       "remove it: only the classes Markdown writes itself are kept", tuple(dropped))
    if name == "dir":
        return Removal(f"dir={value!r} is not ltr, rtl or auto", 'write dir="rtl" or dir="ltr"', needles)
    return Removal(f"{name}= attribute on <{tag}> is changed", f"remove it; {HTML_HELP} lists what is kept",
                   needles)


# huge_tree: libxml2 otherwise stops at 256 levels of nesting, and would not see the rest.
_PARSER = lxml.html.HTMLParser(huge_tree=True)
_DOCUMENT = {"html", "head", "body"}


def _parse(html: str) -> list:
    """The fragment's top elements, parsed as a document: the parser puts what it must
    into <head> (a leading <style>), or after <body>; every part is walked, but the
    document's own <html>, <head> and <body> are not the fragment's."""
    try:
        document = lxml.html.document_fromstring(html, parser=_PARSER)
    except (etree.ParserError, ValueError):  # nothing but comments or blanks
        return []
    stack, top = [document], []
    while stack:
        element = stack.pop()
        if isinstance(element.tag, str) and element.tag in _DOCUMENT:
            stack.extend(reversed(element))
        else:
            top.append(element)
    return top


def _elements(html: str) -> Iterator:
    """The fragment's elements in document order (no comments), without recursion."""
    stack = list(reversed(_parse(html)))
    while stack:
        element = stack.pop()
        if isinstance(element.tag, str):
            yield element
            stack.extend(reversed(element))


def removals(html: str, cleaned: str | None = None) -> list[Removal]:
    """What `clean_html` removes from `html` (`cleaned`, if given, is its result).

    The fragment is parsed with lxml (libxml2's HTML5 tokenizer) and walked with the
    tables above; then every element and attribute the walk expects the sanitiser to
    keep is looked for in its result, so that what ammonia drops for a reason of its
    own (an invalid address, misnested table parts) is reported too.
    """
    if not html or "<" not in html:
        return []
    cleaned = clean_html(html) if cleaned is None else cleaned
    if html_entities.unescape(cleaned) == html_entities.unescape(html):
        return []  # the same markup: nothing was removed (the usual case, and cheap)
    found = [Removal(f"<{tag.lower()}> element", "remove it: the theme writes the page's <html>, <head> and <body>",
                     (f"<{tag}",)) for tag in _DOCUMENT_TAG.findall(html)]
    expected_tags: Counter = Counter()
    expected_attributes: Counter = Counter()
    stack = list(reversed(_parse(html)))
    while stack:
        element = stack.pop()
        tag = element.tag
        if not isinstance(tag, str):  # a comment or processing instruction: ammonia drops it
            continue
        if tag not in ELEMENTS:
            found.append(_element_removal(element))
            if tag in REMOVED_WITH_CONTENT:
                continue
        else:
            expected_tags[tag] += 1
            for name, value in element.attrib.items():
                kept = _kept(tag, name, value)
                if kept != value:
                    found.append(_attribute_removal(tag, name, value))
                if kept is not None:
                    expected_attributes[(tag, name, kept)] += 1
        stack.extend(reversed(element))
    kept = list(_elements(cleaned))
    kept_tags = Counter(element.tag for element in kept)
    kept_attributes = Counter((e.tag, name, value) for e in kept for name, value in e.attrib.items())
    missing_tags = expected_tags - kept_tags
    for tag in missing_tags:
        found.append(Removal(f"<{tag}> is dropped: the HTML around it is not well formed",
                             "check that its tags are closed and in the right order", (f"<{tag}",)))
    for tag, name, value in expected_attributes - kept_attributes:
        if tag in missing_tags:  # gone with its element, reported above
            continue
        if name in URL_ATTRIBUTES:
            found.append(Removal(f"{name}= on <{tag}> is dropped: {value.strip()!r} is not a valid address",
                                 "write the whole address without spaces, e.g. https://example.org/page",
                                 (value, f"{name}=")))
        else:
            found.append(Removal(f"{name}= on <{tag}> is dropped", f"{HTML_HELP} lists what is kept",
                                 (value, f"{name}=")))
    return found


# --- Where in the source --------------------------------------------------------------

def _squash(text: str) -> str:
    return _SPACES_CONTROLS.sub("", text).casefold()


def source_line(lines: Sequence[str], needles: Sequence[str], first: int, last: int,
                occurrence: int = 0) -> int | None:
    """The line (1-based, `first`..`last` of `lines`) whose text the removal came from:
    the first needle found, compared without case, spaces, control characters or
    entities (`jav&#x61;script:` is `javascript:`); its `occurrence`-th appearance if
    there are that many. None when no needle is found."""
    window = range(first, min(last, len(lines)) + 1)
    for needle in needles:
        squashed = _squash(needle)
        if not squashed:
            continue
        for decode in (html_entities.unescape, str):
            hits = [number for number in window if squashed in _squash(decode(lines[number - 1]))]
            if not hits:  # a value written over several lines
                joined, starts = "", []
                for number in window:
                    starts.append((len(joined), number))
                    joined += _squash(decode(lines[number - 1]))
                at = joined.find(squashed)
                if at >= 0:
                    hits = [max(number for start, number in starts if start <= at)]
            if hits:
                return hits[min(occurrence, len(hits) - 1)]
    return None




def html_problems(path: str, text: str, html: dict[str, str],
                  cleaned: dict[str, str] | None = None) -> list[Problem]:
    """One `html` Problem per removal from the rendered body (`html["body"]`) and from each
    Markdown-rendered header field (`html[name]`), at the line of the source `text` it
    came from (else the body's first line, or the field's line). `cleaned`: the
    `clean_html` results, when the caller has them already."""
    found = {part: removals(value, (cleaned or {}).get(part)) for part, value in html.items()}
    if not any(found.values()):
        return []
    lines = text.split("\n")
    header = parse_header(text, line_fields=True)
    problems = []
    for part, part_removals in found.items():
        if part == BODY:
            first, last = header.body_line, len(lines)
            fallback = next((n for n in range(first, last + 1) if lines[n - 1].strip()), first)
            where = ""
        else:
            field_lines = [n for n, name in header.field_of_line.items() if name == part] or [1]
            first = fallback = min(field_lines)
            last = max(field_lines)
            where = f", in `{part.title()}:`"
        seen: Counter = Counter()
        for removal in part_removals:
            line = source_line(lines, removal.needles, first, last, seen[removal.needles])
            seen[removal.needles] += 1
            problems.append(Problem(path, line or fallback, "html", removal.what + where, removal.hint))
    return problems
