"""Theme message catalogs: compile each .po to .mo before every build.

Compiling takes milliseconds, so the build never runs on a stale or missing .mo.
The .mo files go to the build cache (CACHE_PATH/catalogs), never into the theme:
a file written inside a folder the preview watches would start another rebuild.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .errors import BuildError

# `gettext_in(code, "message")` (plugins/babel_i18n) marks strings too.
EXTRA_KEYWORDS = {"gettext_in": (2,)}

# The msgids are English: English needs no catalog; every other language does.
SOURCE_LANGUAGE = "en"


def catalog_path(translations_dir: Path, code: str) -> Path:
    return translations_dir / code / "LC_MESSAGES" / "messages.po"


def compile_catalogs(translations_dir: Path, codes: list[str], into: Path) -> list[Path]:
    """Compile each language's .po into `into/<code>/LC_MESSAGES/messages.mo` (a folder
    Babel's `Translations.load(into, [code])` reads); a file is rewritten only when it changes."""
    written = []
    for code in codes:
        po_path = catalog_path(translations_dir, code)
        if not po_path.is_file():
            if code == SOURCE_LANGUAGE:
                continue
            raise BuildError(
                f"{po_path}: no message catalog for language '{code}' "
                f"(run `invoke i18n` to create it, then translate it)"
            )
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=code)
        compiled = BytesIO()
        write_mo(compiled, catalog)
        mo_path = into / code / "LC_MESSAGES" / "messages.mo"
        if not mo_path.is_file() or mo_path.read_bytes() != compiled.getvalue():
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            mo_path.write_bytes(compiled.getvalue())
        written.append(mo_path)
    return written


def update_catalogs(translations_dir: Path, codes: list[str], babel_cfg: Path, into: Path) -> None:
    """Extract the theme's strings, create or update each language's catalog, compile.

    Uses Babel's own command line (`pybabel extract/init/update`); the Plural-Forms
    header of an existing catalog is kept.
    """
    from babel.messages.frontend import CommandLineInterface

    def pybabel(*args: str) -> None:
        CommandLineInterface().run(["pybabel", "--quiet", *args])

    template = translations_dir / "messages.pot"
    pybabel("extract", "-F", str(babel_cfg), "-o", str(template), "--sort-output",
            *[f"-k{name}:{','.join(map(str, args))}" for name, args in EXTRA_KEYWORDS.items()],
            "--no-location", "--project", "advocacy-site", str(babel_cfg.parent))
    for code in codes:
        if code == SOURCE_LANGUAGE:
            continue
        if catalog_path(translations_dir, code).is_file():
            # Strings the theme no longer uses are dropped, not kept as #~ entries.
            pybabel("update", "--ignore-obsolete", "-i", str(template), "-d", str(translations_dir), "-l", code)
        else:
            pybabel("init", "-i", str(template), "-d", str(translations_dir), "-l", code)
    compile_catalogs(translations_dir, codes, into)


def update_message_catalogs(locale_dir: Path, codes: list[str], sources: list[Path]) -> None:
    """The editors' messages (sitebuild/messages.py): extract `msg`/`nmsg` templates from
    the build's code into messages.pot and update each language's catalog (kept as .po:
    they are compiled in memory when used)."""
    from babel.messages.frontend import CommandLineInterface

    from .messages import DOMAIN, KEYWORDS

    def pybabel(*args: str) -> None:
        CommandLineInterface().run(["pybabel", "--quiet", *args])

    template = locale_dir / f"{DOMAIN}.pot"
    pybabel("extract", "--no-default-keywords", "--sort-output", "--no-location", "--project", "advocacy-site",
            *[f"-k{name}:{','.join(map(str, args))}" for name, args in KEYWORDS.items()],
            "-o", str(template), *map(str, sources))
    for code in codes:
        if code == SOURCE_LANGUAGE:
            continue
        action = "update" if (locale_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po").is_file() else "init"
        extra = ["--ignore-obsolete"] if action == "update" else []
        pybabel(action, *extra, "-D", DOMAIN, "-i", str(template), "-d", str(locale_dir), "-l", code)


def compiled_catalogs(site) -> Path:
    """Compile the site's theme catalogs into its cache; returns the folder they are in."""
    into = Path(site.settings["CACHE_PATH"]) / "catalogs"
    compile_catalogs(site.theme / "translations", [lang.code for lang in site.languages], into)
    return into
