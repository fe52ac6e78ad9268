"""The language table and the Pelican settings each language's run gets.

Every URL of a language lives under its `prefix` folder; every run writes into
the same output folder with the same SITEURL, so no URL ever needs `..`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import BuildError
from .messages import msg, translate, translations_for

REQUIRED_FIELDS = ("code", "name", "dir", "locale", "digits", "prefix", "sitename")

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def to_digits(text: str, style: str) -> str:
    """Babel writes Latin digits for Arabic; the `arab` style turns them into ٠-٩."""
    return str(text).translate(ARABIC_INDIC) if style == "arab" else str(text)

DIGIT_STYLES = ("latin", "arab")


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    dir: str
    locale: str
    digits: str
    prefix: str
    sitename: str
    description: str = ""
    og_locale: str = ""
    # Smart quotes (sitebuild/typography.py): double open and close, single open and close.
    # English curly quotes face the wrong way in Arabic script: the Arabic row sets «»''.
    quotes: str = "\u201c\u201d\u2018\u2019"
    list_separator: str = ", "  # between tags or authors ("، " in Arabic)
    primary: bool = False  # the first row: served at the root, writes the shared files

    @property
    def path(self) -> str:
        """URL path of this language's home, relative to SITEURL ('' or 'en/')."""
        return f"{self.prefix}/" if self.prefix else ""

    def as_dict(self) -> dict:
        """As the runs' settings and the templates have it (LANGUAGE, LANGUAGES)."""
        return {**self.__dict__, "path": self.path}

    @classmethod
    def from_dict(cls, row: dict) -> Language:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__ if name in row})


def parse_languages(rows: list[dict]) -> list[Language]:
    """Validate the LANGUAGES table; the first row is the default language."""
    if not rows:
        raise BuildError("pelicanconf.py: LANGUAGES: the table is empty (add one row per language)")
    languages, seen_codes, seen_prefixes = [], set(), set()
    for index, row in enumerate(rows):
        where = f"pelicanconf.py: LANGUAGES[{index}]"
        missing = [f for f in REQUIRED_FIELDS if f not in row]
        if missing:
            raise BuildError(f"{where}: missing {', '.join(missing)} (see the table's comment)")
        unknown = set(row) - set(Language.__dataclass_fields__) | ({"primary"} & set(row))
        if unknown:
            raise BuildError(f"{where}: unknown field {', '.join(sorted(unknown))}")
        if row["dir"] not in ("rtl", "ltr"):
            raise BuildError(f"{where}: dir must be 'rtl' or 'ltr', not {row['dir']!r}")
        if len(row.get("quotes", "....")) != 4:
            raise BuildError(f"{where}: quotes must be four characters: double open and close, "
                             "single open and close")
        if row["digits"] not in DIGIT_STYLES:
            raise BuildError(f"{where}: digits must be one of {DIGIT_STYLES}, not {row['digits']!r}")
        if row["code"] in seen_codes or row["prefix"] in seen_prefixes:
            raise BuildError(f"{where}: code and prefix must be unique")
        if index == 0 and row["prefix"]:
            raise BuildError(f"{where}: the default (first) language is served at the root: prefix ''")
        if index > 0 and not row["prefix"]:
            raise BuildError(f"{where}: only the first language may have an empty prefix")
        seen_codes.add(row["code"])
        seen_prefixes.add(row["prefix"])
        languages.append(Language(**row, primary=index == 0))
    return languages


def url_patterns(language: Language) -> dict[str, str]:
    """Every URL and output path Pelican writes for one language."""
    p = language.path
    patterns = {
        "ARTICLE_URL": p + "{category}/{slug}/",
        "ARTICLE_SAVE_AS": p + "{category}/{slug}/index.html",
        "DRAFT_URL": p + "drafts/{slug}/",
        "DRAFT_SAVE_AS": p + "drafts/{slug}/index.html",
        "PAGE_URL": p + "{slug}/",
        "PAGE_SAVE_AS": p + "{slug}/index.html",
        "DRAFT_PAGE_URL": p + "drafts/pages/{slug}/",
        "DRAFT_PAGE_SAVE_AS": p + "drafts/pages/{slug}/index.html",
        "CATEGORY_URL": p + "{slug}/",
        "CATEGORY_SAVE_AS": p + "{slug}/index.html",
        "TAG_URL": p + "tags/{slug}/",
        "TAG_SAVE_AS": p + "tags/{slug}/index.html",
        "INDEX_URL": p,
        "INDEX_SAVE_AS": p + "index.html",
        "ARCHIVES_URL": p + "archives/",
        "ARCHIVES_SAVE_AS": p + "archives/index.html",
        "TAGS_URL": p + "tags/",
        "TAGS_SAVE_AS": p + "tags/index.html",
        "CATEGORIES_URL": p + "sections/",
        "CATEGORIES_SAVE_AS": p + "sections/index.html",
        # A page and a feed per body met (the meetings plugin, the feeds plugin).
        "COUNTERPART_URL": p + "bodies/{slug}/",
        "COUNTERPART_SAVE_AS": p + "bodies/{slug}/index.html",
        "COUNTERPART_FEED_RSS_URL": p + "feeds/bodies/{slug}.rss.xml",
        "COUNTERPART_FEED_ATOM_URL": p + "feeds/bodies/{slug}.atom.xml",
        "SEARCH_URL": p + "search/",
        "SEARCH_SAVE_AS": p + "search/index.html",
        "SEARCH_INDEX_URL": p + "search/data/",  # the search_index plugin's files
        "MANIFEST_SAVE_AS": p + "manifest.webmanifest",
        "MANIFEST_URL": p + "manifest.webmanifest",
        "404_SAVE_AS": "404.html",
        "AUTHOR_URL": "",
        "AUTHOR_SAVE_AS": "",
        "AUTHORS_SAVE_AS": "",
        # Where the `feeds` plugin writes (relative to SITEURL, like every URL here);
        # the theme's discovery links use the same settings.
        "FEED_ALL_RSS_URL": p + "feeds/all.rss.xml",
        "FEED_ALL_ATOM_URL": p + "feeds/all.atom.xml",
        "CATEGORY_FEED_RSS_URL": p + "feeds/{slug}.rss.xml",
        "CATEGORY_FEED_ATOM_URL": p + "feeds/{slug}.atom.xml",
    }
    return patterns


# The listings every language has: its home, archive, tags, sections and search.
LISTINGS = ("INDEX_URL", "ARCHIVES_URL", "TAGS_URL", "CATEGORIES_URL", "SEARCH_URL")


def listing_paths(language: Language) -> set[str]:
    """The URLs of a language's listings, relative to its home ("", "archives/"…)."""
    patterns = url_patterns(language)
    return {patterns[name].removeprefix(language.path) for name in LISTINGS}


# Written at the site root outside the patterns above: sitemaps (plugins/sitemaps),
# robots.txt, host headers (_headers), the preview's status page, pagination.
ROOT_NAMES = ("sitemaps", "sitemap.xml", "robots.txt", "_headers", "_status", "page")
# Patterns whose first segment is an item's or a section's own name.
ITEM_PATTERNS = ("ARTICLE_", "PAGE_", "CATEGORY_")


def reserved_segments(settings: dict, languages: list[Language]) -> set[str]:
    """First URL segments (after a language's prefix) that belong to the site itself:
    listings, feeds, search, drafts, theme and static files, and the other languages'
    folders. No page slug or section may take one, or it would replace a site file."""
    reserved = {lang.prefix for lang in languages if lang.prefix}
    reserved.update(ROOT_NAMES)
    reserved.add(settings.get("THEME_STATIC_DIR", "theme"))
    reserved.update(path.strip("/").split("/")[0] for path in settings.get("STATIC_PATHS", []))
    for language in languages:
        for key, pattern in url_patterns(language).items():
            if key.startswith(ITEM_PATTERNS) or not pattern:
                continue
            own = pattern[len(language.path):] if pattern.startswith(language.path) else pattern
            first = own.split("/")[0]
            if first and "{" not in first:
                reserved.add(first)
    reserved.discard("")
    return reserved


def markdown_settings(base: dict, language: Language) -> dict:
    configs = {name: dict(options) for name, options in base["extension_configs"].items()}
    configs["sitebuild.typography"] = {"double": language.quotes[:2], "single": language.quotes[2:]}
    configs["sitebuild.bidi_links"] = {}
    configs["sitebuild.table_align"] = {}  # alignment as a class: editor HTML keeps no style=
    # The footnote back-link's title in the page's language ("{}" is the footnote's number).
    backlink = translate(msg("Back to footnote {number} in the text", number="{}"),
                         translations_for(language.code))
    translations = translations_for(language.code)
    configs["sitebuild.video"] = {
        "play": translate(msg("Play on {provider}", provider="{provider}"), translations),
        "notice": translate(msg("Opens {provider} ({host}): your click sends that site your IP address. "
                                "Nothing is loaded from it before you click.",
                                provider="{provider}", host="{host}"), translations),
    }
    extra = configs.setdefault("markdown.extensions.extra", {})
    extra["footnotes"] = {**extra.get("footnotes", {}), "BACKLINK_TITLE": backlink}
    return {**base, "extension_configs": configs}


def pelican_settings(site: dict, language: Language, languages: list[Language]) -> dict:
    """The settings of one language's Pelican run, from the site settings."""
    code, primary = language.code, language.primary
    settings = {
        **site,
        **url_patterns(language),
        "DEFAULT_LANG": code,
        "LANGUAGE": language.as_dict(),
        "LANGUAGES": [lang.as_dict() for lang in languages],
        "SITENAME": language.sitename,
        "SITE_DESCRIPTION": language.description,
        "ARTICLE_PATHS": [code],
        "ARTICLE_EXCLUDES": [f"{code}/pages"],
        "PAGE_PATHS": [f"{code}/pages"],
        "PAGE_EXCLUDES": [],
        # Hidden files (.env, .DS_Store, an office program's lock file) are not content:
        # Pelican's default, "**/.*", is matched against a file's name alone, so it never
        # matches one.
        "IGNORE_FILES": [*site.get("IGNORE_FILES", []), ".*"],
        # Theme assets and images are written once, by the default language's run;
        # the other runs still know the images so that {static} links resolve.
        "THEME_STATIC_DIR": "theme",
        "THEME_STATIC_PATHS": ["static"] if primary else [],
        "WRITE_STATIC": primary,
        "MARKDOWN": markdown_settings(site["MARKDOWN"], language),
        # The one 404 page (every language on it) is written by the default language's run.
        "DIRECT_TEMPLATES": ["index", "tags", "categories", "archives", "manifest", "search"]
        + (["404"] if primary else []),
        "PAGINATED_TEMPLATES": {"index": None, "tag": None, "category": None},
        "PAGINATION_PATTERNS": [
            (1, "{url}", "{save_as}"),
            (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
        ],
        "DELETE_OUTPUT_DIRECTORY": False,
        "CACHE_PATH": f"{site['CACHE_PATH']}/{code}",
        "JINJA_ENVIRONMENT": {
            "trim_blocks": True,
            "lstrip_blocks": True,
            "autoescape": True,  # templates mark only the rendered body `|safe`
            "extensions": ["jinja2.ext.i18n"],
            # A run never sees a template change: no file check at each include.
            "auto_reload": False,
        },
        # Pelican's own feeds are off: the `feeds` plugin writes them per language.
        "FEED_ALL_ATOM": None,
        "FEED_ALL_RSS": None,
        "FEED_ATOM": None,
        "FEED_RSS": None,
        "CATEGORY_FEED_ATOM": None,
        "CATEGORY_FEED_RSS": None,
        "TAG_FEED_ATOM": None,
        "TAG_FEED_RSS": None,
        "AUTHOR_FEED_ATOM": None,
        "AUTHOR_FEED_RSS": None,
        "TRANSLATION_FEED_ATOM": None,
        "TRANSLATION_FEED_RSS": None,
        # Dates go through Babel (see the babel_i18n plugin), never OS locales.
        # Pelican calls setlocale() with this; keep text I/O UTF-8 in the process.
        "LOCALE": ["C.UTF-8"],
        "DATE_FORMATS": {},
    }
    return settings
