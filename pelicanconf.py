"""Site settings for the sample site: organisation facts, languages, build options.

Settings only, no logic. `sitebuild` derives one Pelican run per language from
these values; `publishconf.py` overrides what production changes.
"""

from markdown.extensions.toc import slugify_unicode

# --- Languages -------------------------------------------------------------
# One row per language; the first row is the default language, served at the
# site root and used as `x-default`. Adding a language needs a row here,
# `content/<code>/` and a catalog in `theme/translations/<code>/`.
#   code:     language code used in <html lang>, hreflang and content/<code>/
#   name:     the language's own name, shown in the language switcher
#   dir:      "rtl" or "ltr"
#   locale:   Babel locale for dates and numbers ("ar" gives يناير, "ar_SY" كانون الثاني)
#   digits:   "latin" (0-9) or "arab" (٠-٩) for dates and numbers
#   prefix:   URL folder ("" for the site root)
#   og_locale: Open Graph locale
#   sitename / description: the site's name and one-line description in that language
LANGUAGES = [
    {
        "code": "ar",
        "name": "العربية",
        "dir": "rtl",
        "locale": "ar",
        "digits": "latin",
        "prefix": "",
        "og_locale": "ar_AR",
        "quotes": "«»''",
        "list_separator": "، ",
        "sitename": "تحالف قيصر للعدالة — موقع تجريبي",
        "description": "أخبار التحالف وبياناته وتقاريره ومحاضر لقاءاته مع الجهات الرسمية.",
    },
    {
        "code": "en",
        "name": "English",
        "dir": "ltr",
        "locale": "en",
        "digits": "latin",
        "prefix": "en",
        "og_locale": "en_US",
        "sitename": "Caesar Alliance for Justice — sample site",
        "description": "News, statements, reports and meeting accounts of the alliance.",
    },
]

# --- Organisation facts (never hard-coded in templates or plugins) ---------
ORGANISATION = {
    "name": {
        "ar": "تحالف قيصر للعدالة والحرية والديمقراطية",
        "en": "Caesar Alliance for Justice, Freedom and Democracy",
    },
    # The name in the header (the full name is in the footer and structured data).
    "short_name": {"ar": "تحالف قيصر", "en": "Caesar Alliance"},
    "logo": "theme/img/logo.svg",
}
SUBMISSION_EMAIL = "evidence@example.org"
SOCIAL_LINKS = [
    # (label, URL); rendered as plain links, nothing is loaded from them.
    ("Telegram", "https://t.me/example"),
]

# The official bodies the organisation meets: each has a page listing its meetings,
# with a feed, at bodies/<slug>/. A meeting account's `Counterpart:` that is
# one of these names shares that address in every language; any other name gets
# an address made from the name.
COUNTERPARTS = {
    "us-state-department-caesar-team": {
        "ar": "فريق قانون قيصر في وزارة الخارجية الأمريكية",
        "en": "The Caesar Act team at the U.S. Department of State",
    },
    "un-commission-of-inquiry-syria": {
        "ar": "لجنة التحقيق الدولية المستقلة بشأن سوريا",
        "en": "The Independent International Commission of Inquiry on Syria",
    },
    "german-foreign-office": {
        "ar": "وزارة الخارجية الألمانية",
        "en": "The German Federal Foreign Office",
    },
}

# Authors as articles name them (`Authors:`), per language. An "Organization" (an
# office of the alliance rather than a person) is marked so in structured data.
AUTHORS_TABLE = {
    "media-office": {"type": "Organization", "name": {"ar": "المكتب الإعلامي", "en": "Media Office"}},
}

# --- Content -----------------------------------------------------------------
PATH = "content"
# Content kinds: the folder under content/<lang>/ is the section (category).
SECTIONS = ["news", "statements", "reports", "meetings"]
STATIC_PATHS = ["images", "extra"]
# Kinds of file published from content/ although nothing checks what they carry (office
# files keep their authors, archives whatever they hold): e.g. [".xlsx"]. Empty: only
# JPEG, PNG, WebP, PDF, SVG, CSV, TSV, JSON, text and .asc (README: Photos and documents).
PUBLISH_UNCHECKED = []
TIMEZONE = "Asia/Damascus"
DEFAULT_PAGINATION = 10
SUMMARY_MAX_LENGTH = 40

# Dates: a Babel pattern, rendered with each language's `locale` and `digits`.
DATE_PATTERN = "d MMMM y"

# The preview shows drafts (`Status: draft`) and items whose Date is still to come,
# each with a banner; publishconf.py turns this off, and then they are not published
# anywhere until they are ready (sitebuild/publication.py). Off unless set.
SHOW_UNPUBLISHED = True

# Readable Unicode slugs for titles and tags when no `Slug:` is given.
SLUGIFY_USE_UNICODE = True

# Python-Markdown, shared by every language; `sitebuild` adds smart quotes per
# language (« » for Arabic).
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"slugify": slugify_unicode},
        # Text pasted from a news site, Word or a chat app ends each paragraph with a
        # single line break: each line break is kept (as on GitHub or WordPress).
        "markdown.extensions.nl2br": {},
    },
    "output_format": "html5",
}

# --- Build -----------------------------------------------------------------
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "markdown_reader", "publication", "frozen_urls", "babel_i18n", "shared_static", "translations", "meetings", "structured_data",
    "feeds", "sitemaps", "search_index", "fingerprint", "render_cache",
    "image_privacy", "download_labels", "security_headers", "reading_aids", "corrections", "responsive_images",
]
SITEURL = ""
OUTPUT_PATH = "output"
CACHE_PATH = ".cache"
# Pelican's content cache, per language under CACHE_PATH/<lang>: unchanged files are
# not parsed again (`sitebuild` empties a language's cache when settings, templates
# or plugins change). Files are compared by content hash, so a fresh checkout (CI)
# can reuse a restored cache; uncompressed, as gzip costs more time than it saves.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
CHECK_MODIFIED_METHOD = "md5"
GZIP_CACHE = False

# Feeds (the `feeds` plugin): RSS and Atom per language and per section, with
# absolute URLs from SITEURL (or FEED_DOMAIN if set; development feeds without
# either are root-relative).
FEED_MAX_ITEMS = 20

# The page (in every language) that explains how to send evidence safely.
CONTACT_PAGE_SLUG = "contact"

# --- Evidence submission (optional channels render only when set) -----------
SUBMISSION_PGP_FINGERPRINT = None  # e.g. "0123 4567 89AB CDEF ..."
SUBMISSION_PGP_KEY = None  # a file under content/extra/, e.g. "extra/evidence-key.asc"
SUBMISSION_SIGNAL = None  # e.g. "+44 7700 900000"
SUBMISSION_POSTAL_ADDRESS = None  # per language: {"ar": "...", "en": "..."}

# --- Republished articles ------------------------------------------------------
# Shown under articles: "all", "republished" (those with a `Source:`), or a list
# of sections; an article's `Disclaimer: show|hide` overrides.
DISCLAIMER = {
    "ar": "تعبّر المواد المنشورة عن آراء كتّابها، ولا تعبّر بالضرورة عن رأي التحالف.",
    "en": "Published pieces express their authors' views, not necessarily the alliance's.",
}
DISCLAIMER_ON = "republished"

# --- Sharing -------------------------------------------------------------------
# The image social apps show for pages without an `Image:` (a PNG: they ignore SVG).
SHARE_IMAGE = "theme/img/share.png"
# A mirror for readers whose networks block the main domain, e.g. an onion service:
# "http://example.onion" adds <meta http-equiv="onion-location"> to every page.
ONION_LOCATION = None
