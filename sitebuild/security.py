"""The site's security headers, defined once.

Every page carries the Content-Security-Policy in a `<meta http-equiv>` (the
`security_headers` plugin gives the templates `content_security_policy`), less what
a meta element cannot carry (`frame-ancestors`). The default language's run writes
`_headers` at the output root, the file Netlify and Cloudflare Pages read: the full
policy and the headers no meta element can set, long cache lifetimes for the
fingerprinted theme files (plugins/fingerprint) and `no-store` for the contact page
in every language. README.md ("Security headers") gives the nginx and Apache
equivalents; GitHub Pages cannot send headers, so only the meta policy applies there.

Nothing on the site is inline (no `<script>` with code, no `style` attribute or
element): the theme's scripts and stylesheet are files on the site itself, and
`<script type="application/ld+json">` blocks are data, which no policy governs.
"""

from __future__ import annotations

from pathlib import Path

from .assets import FINGERPRINTED, fingerprinted_name, theme_static
from .languages import Language, url_patterns

# (directive, sources). No frames: the sanitiser (sitebuild/sanitize.py) never lets one through.
POLICY = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("frame-src", "'none'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self' mailto:"),
    ("frame-ancestors", "'none'"),
)
# Directives a <meta http-equiv> policy cannot carry (browsers ignore them there).
HEADER_ONLY = {"frame-ancestors", "report-uri", "report-to", "sandbox"}

# Powerful browser features nothing on the site uses, denied to the pages and to any frame.
# (clipboard-write stays allowed: the "Copy link" button uses it.)
DENIED_FEATURES = (
    "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
    "encrypted-media", "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer",
    "microphone", "midi", "payment", "publickey-credentials-get", "screen-wake-lock",
    "serial", "usb", "xr-spatial-tracking",
)
HSTS = "max-age=31536000"  # one year; only when SITEURL is https
IMMUTABLE = "public, max-age=31536000, immutable"
NO_STORE = "no-store"


def content_security_policy(settings: dict, meta: bool = False) -> str:
    """The policy as a header value; `meta`: without what a meta element cannot carry."""
    directives = []
    for name, sources in POLICY:
        if meta and name in HEADER_ONLY:
            continue
        directives.append(f"{name} {sources}")
    return "; ".join(directives)


def site_headers(settings: dict) -> list[tuple[str, str]]:
    """The headers every response gets."""
    headers = [
        ("Content-Security-Policy", content_security_policy(settings)),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Permissions-Policy", ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),  # frame-ancestors for browsers that predate it
    ]
    if str(settings.get("SITEURL", "")).startswith("https://"):
        headers.append(("Strict-Transport-Security", HSTS))
    return headers


def fingerprinted_paths(settings: dict) -> list[str]:
    """URL patterns of the theme files named by their content hash: a folder's `*` when
    every file under it (subfolders too: a host's `*` spans them) is fingerprinted, else
    each file's own path."""
    source = theme_static(settings)
    static = "/" + settings.get("THEME_STATIC_DIR", "theme")
    folders: dict[Path, list[Path]] = {}
    all_files = sorted(p for p in source.rglob("*") if p.is_file())
    for path in all_files:
        folders.setdefault(path.parent, []).append(path)
    patterns = []
    starred: list[Path] = []
    for folder, files in sorted(folders.items(), key=lambda item: len(item[0].parts)):  # parents first
        if any(folder.is_relative_to(parent) for parent in starred):
            continue  # its parent's `*` covers it
        hashed = [f for f in files if f.suffix in FINGERPRINTED]
        relative = folder.relative_to(source).as_posix()
        prefix = static if relative == "." else f"{static}/{relative}"
        under = [f for f in all_files if f.is_relative_to(folder)]
        if hashed and all(f.suffix in FINGERPRINTED for f in under):
            starred.append(folder)
            patterns.append(f"{prefix}/*")
        else:
            patterns.extend(
                f"{static}/{fingerprinted_name(f.relative_to(source).as_posix(), f)}" for f in hashed
            )
    return patterns


def _languages(settings: dict) -> list[Language]:
    """The language table (the driver's rows, or a run's rows with their `path`)."""
    known = Language.__dataclass_fields__
    return [Language(**{k: v for k, v in row.items() if k in known}) for row in settings["LANGUAGES"]]


def contact_paths(settings: dict) -> list[str]:
    """The contact page's addresses in every language (with and without index.html)."""
    slug = settings.get("CONTACT_PAGE_SLUG")
    if not slug:
        return []
    paths = []
    for language in _languages(settings):
        patterns = url_patterns(language)
        paths.append("/" + patterns["PAGE_URL"].format(slug=slug))
        paths.append("/" + patterns["PAGE_SAVE_AS"].format(slug=slug))
    return paths


def header_rules(settings: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """(URL pattern, headers) rules, in the order of the `_headers` file. No header is
    set by two rules that match the same address (hosts would join their values)."""
    rules = [("/*", site_headers(settings))]
    rules += [(path, [("Cache-Control", IMMUTABLE)]) for path in fingerprinted_paths(settings)]
    rules += [(path, [("Cache-Control", NO_STORE)]) for path in contact_paths(settings)]
    return rules


def headers_file(settings: dict) -> str:
    """The `_headers` file (Netlify, Cloudflare Pages)."""
    lines = [
        "# HTTP headers for Netlify and Cloudflare Pages, written by the build",
        "# (sitebuild/security.py). README.md, \"Security headers\", has the nginx and Apache",
        "# equivalents; GitHub Pages ignores this file.",
    ]
    for pattern, headers in header_rules(settings):
        lines += ["", pattern]
        lines.extend(f"  {name}: {value}" for name, value in headers)
    return "\n".join(lines) + "\n"
