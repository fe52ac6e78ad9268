"""Production settings: `pelicanconf` plus what publishing changes."""

import os
import sys

sys.path.append(os.path.dirname(__file__))

from pelicanconf import *  # noqa: E402,F403

# The public address; CI may set SITEURL without editing this file.
SITEURL = os.environ.get("SITEURL", "https://alliance.example.org")
STRICT = True
