"""Production settings: `pelicanconf` plus what publishing changes."""

import os
import sys

sys.path.append(os.path.dirname(__file__))

from pelicanconf import *  # noqa: E402,F403

# The public address; CI may set SITEURL without editing this file.
SITEURL = os.environ.get("SITEURL") or "https://alliance.example.org"
STRICT = True
# Drafts and items dated in the future are held back: no page, feed entry, sitemap
# line, search document or translation link until they are ready.
SHOW_UNPUBLISHED = False

# `invoke publish --to rsync` mirrors the site here; `--to gh-pages` pushes to this remote.
PUBLISH_RSYNC_TARGET = os.environ.get("PUBLISH_RSYNC_TARGET")
PUBLISH_GIT_REMOTE = "origin"

# Pre-compressed copies (page.html.gz, page.html.br) for hosts that serve them, such
# as nginx with gzip_static/brotli_static. GitHub Pages and most CDNs compress by
# themselves: leave this off for them.
PRECOMPRESS = False
