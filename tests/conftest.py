"""Shared fixtures: build the sample site (and variants) into temp folders."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Messages in English for the tests that read them (tests/test_messages.py asks for Arabic);
# without this they would follow the machine's locale, else the site's first language.
os.environ["SITEBUILD_MESSAGES_LANG"] = "en"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(ROOT))

from sitebuild.build import build  # noqa: E402
from tests.site import Site  # noqa: E402


def write_config(folder: Path, body: str = "", base: str = "pelicanconf", **paths) -> Path:
    """A settings module in `folder` that starts from the project's `base` settings.

    Paths default to the project's own content, theme and plugins; `body` adds
    Python lines that override settings (rebind, never mutate, imported values).
    """
    folder.mkdir(parents=True, exist_ok=True)
    defaults = {
        "PATH": ROOT / "content",
        "THEME": ROOT / "theme",
        "CACHE_PATH": folder / ".cache",
    }
    defaults.update({key: Path(value) for key, value in paths.items()})
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(ROOT)!r})",
        f"from {base} import *  # noqa",
        *(f"{key} = {str(value)!r}" for key, value in defaults.items()),
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]",
        body,
    ]
    config = folder / "siteconf.py"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def build_site(folder: Path, body: str = "", base: str = "pelicanconf", **paths) -> Site:
    config = write_config(folder, body, base, **paths)
    report = build(config, folder / "output")
    return Site(report.output, siteurl=_siteurl(config), report=report)


def _siteurl(config: Path) -> str:
    from sitebuild.config import load_site

    return load_site(config).settings["SITEURL"]


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Site:
    """The sample content with the development settings."""
    return build_site(tmp_path_factory.mktemp("dev"))


@pytest.fixture(scope="session")
def production_site(tmp_path_factory) -> Site:
    """The sample content with publishconf.py (absolute URLs, strict)."""
    return build_site(tmp_path_factory.mktemp("production"), base="publishconf")
