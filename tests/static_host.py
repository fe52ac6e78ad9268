"""A local static host that behaves as Netlify and Cloudflare Pages do, for the tests:
it serves a folder, sends every header the folder's `_headers` file sets for the
requested path, and answers a missing path with `404.html` and the status 404.

The `_headers` reader is written here from the hosts' documented format, apart from
the build's writer (sitebuild/security.py), so that each checks the other: a path
line, then indented `Name: value` lines; `#` comments; `*` matches any characters.
"""

from __future__ import annotations

import re
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote, urlsplit

Rules = list[tuple[str, list[tuple[str, str]]]]


def parse_headers_file(text: str) -> Rules:
    """(path pattern, [(name, value)]) for each rule of a `_headers` file."""
    rules: Rules = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " \t":
            name, colon, value = line.strip().partition(":")
            if not rules or not colon or not re.fullmatch(r"[A-Za-z0-9-]+", name):
                raise ValueError(f"_headers:{number}: not a header line under a path: {line!r}")
            rules[-1][1].append((name, value.strip()))
        else:
            if not line.startswith("/"):
                raise ValueError(f"_headers:{number}: a path must start with /: {line!r}")
            rules.append((line.strip(), []))
    return rules


def matches(pattern: str, path: str) -> bool:
    """Does a `_headers` path pattern match a request path? `*` (a splat) matches
    any characters, slashes included; everything else matches itself."""
    regex = "".join(".*" if part == "*" else re.escape(part) for part in re.split(r"(\*)", pattern))
    return re.fullmatch(regex, path) is not None


def headers_for(rules: Rules, path: str) -> list[tuple[str, str]]:
    """Every header the rules give a request path, in file order."""
    return [header for pattern, headers in rules if matches(pattern, path) for header in headers]


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def _rules(self) -> Rules:
        headers_file = Path(self.directory) / "_headers"
        if not headers_file.is_file():
            return []
        return parse_headers_file(headers_file.read_text(encoding="utf-8"))

    def end_headers(self):
        for name, value in headers_for(self._rules(), unquote(urlsplit(self.path).path)):
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def static_host(folder: Path):
    """Serve `folder` (it may be written later) at http://127.0.0.1:PORT, a free port,
    with its `_headers` rules as HTTP headers."""
    from tests.quality import serve

    return serve(folder, _Handler)
