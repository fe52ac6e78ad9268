"""Load a settings module (pelicanconf.py or publishconf.py) once, into one object."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from pelican.settings import DEFAULT_CONFIG, get_settings_from_file

from .errors import BuildError
from .languages import Language, parse_languages, reserved_segments
from .messages import msg
from .schema import apply_schema

PATH_SETTINGS = ("PATH", "THEME", "OUTPUT_PATH", "CACHE_PATH")
MAX_SLUG_LENGTH = 80
SHORTEN_SLUG = [
    (rf"^(?=.{{{MAX_SLUG_LENGTH + 1}}})(.{{1,{MAX_SLUG_LENGTH}}})-.*$", r"\1"),  # at the last hyphen
    (rf"^(.{{{MAX_SLUG_LENGTH}}}).+$", r"\1"),  # one long word
]


@dataclass
class Site:
    config_path: Path
    root: Path
    settings: dict
    languages: list[Language]

    @property
    def content_root(self) -> Path:
        return Path(self.settings["PATH"])

    @property
    def theme(self) -> Path:
        return Path(self.settings["THEME"])

    @property
    def strict(self) -> bool:
        return bool(self.settings.get("STRICT", False))


def load_site(config_path: str | Path) -> Site:
    config_path = Path(config_path).resolve()
    if not config_path.is_file():
        raise BuildError(f"{config_path}: settings file not found")
    root = config_path.parent
    # Pelican's defaults first, so that slugs and URLs are computed exactly as Pelican will.
    settings = {
        **copy.deepcopy(DEFAULT_CONFIG),
        **{
            key: value
            for key, value in get_settings_from_file(str(config_path)).items()
            if key.isupper()
        },
    }
    # A slug made from a long title is cut at a word boundary (a folder name has at most
    # 255 bytes; an Arabic letter takes two). Pelican and the inventory both apply it.
    subs = list(settings["SLUG_REGEX_SUBSTITUTIONS"])
    settings["SLUG_REGEX_SUBSTITUTIONS"] = subs + [s for s in SHORTEN_SLUG if s not in subs]
    for key in PATH_SETTINGS:
        if key in settings:
            settings[key] = str((root / settings[key]).resolve())
    settings["PLUGIN_PATHS"] = [str((root / p).resolve()) for p in settings.get("PLUGIN_PATHS", [])]
    for required in ("PATH", "THEME", "LANGUAGES", "MARKDOWN"):
        if required not in settings:
            raise BuildError(f"{config_path.name}: {required} is not set")
    if not Path(settings["PATH"]).is_dir():
        raise BuildError(f"{config_path.name}: PATH: content folder {settings['PATH']} does not exist")
    languages = parse_languages(settings["LANGUAGES"])
    # The generator's own settings: defaults filled in (SHOW_UNPUBLISHED is off unless a
    # settings file asks for the preview), every value checked (sitebuild/schema.py).
    wrong = apply_schema(settings, config_path.name)
    if wrong:
        raise BuildError(msg("the settings need fixing; nothing was built"), wrong)
    taken = sorted(set(settings["SECTIONS"]) & reserved_segments(settings, languages))
    if taken:
        raise BuildError(f"{config_path.name}: SECTIONS: {', '.join(taken)} is reserved for the "
                         "site's own files or a language's folder (rename the section)")
    return Site(config_path, root, settings, languages)
