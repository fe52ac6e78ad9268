"""Load a settings module (pelicanconf.py or publishconf.py) once, into one object."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from pelican.settings import DEFAULT_CONFIG, get_settings_from_file

from .errors import BuildError
from .languages import Language, parse_languages

PATH_SETTINGS = ("PATH", "THEME", "OUTPUT_PATH", "CACHE_PATH")


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
    for key in PATH_SETTINGS:
        if key in settings:
            settings[key] = str((root / settings[key]).resolve())
    settings["PLUGIN_PATHS"] = [str((root / p).resolve()) for p in settings.get("PLUGIN_PATHS", [])]
    for required in ("PATH", "THEME", "LANGUAGES", "SECTIONS", "MARKDOWN"):
        if required not in settings:
            raise BuildError(f"{config_path.name}: {required} is not set")
    if not Path(settings["PATH"]).is_dir():
        raise BuildError(f"{config_path.name}: PATH: content folder {settings['PATH']} does not exist")
    return Site(config_path, root, settings, parse_languages(settings["LANGUAGES"]))
