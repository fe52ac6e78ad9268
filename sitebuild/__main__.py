"""Command line: `python -m sitebuild build|check|new|status|i18n|publish|scrub-images [--config FILE]`.

Errors are printed one per line (`path:line: field: message (hint)`) and the
exit status is non-zero; nothing else is printed as a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from pathlib import Path

from .build import build
from .catalogs import update_catalogs, update_message_catalogs
from .check import check_content
from .config import load_site
from .errors import BuildError
from .inventory import read_inventory
from .media import scrub_sources, source_roots
from .messages import LOCALE_DIR, editor_language, msg, nmsg, translate, translations_for
from .pgp import submission_key_problems
from .publish import publish
from .scaffold import new_content
from .status import as_text, status_report
from .svg import scrub_svg_files


def _check(args) -> int:
    site = load_site(args.config)
    items = read_inventory(site.content_root, site.root, site.languages, site.settings)
    problems = submission_key_problems(site)[0] + check_content(items, site)
    for problem in problems:
        print(problem.localized(args.translations))
    errors = sum(p.severity == "error" for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
    summary = msg("checked {files}: {errors}, {warnings}", files=nmsg("{n} file", "{n} files", len(items)),
                  errors=nmsg("{n} error", "{n} errors", errors),
                  warnings=nmsg("{n} warning", "{n} warnings", warnings))
    print(translate(summary, args.translations))
    return 1 if errors else 0


def _build(args) -> int:
    report = build(args.config, args.output, strict=args.strict or None, jobs=args.jobs, debug=args.debug)
    print(report.summary(args.translations))
    return 0


def _i18n(args) -> int:
    site = load_site(args.config)
    update_catalogs(site.theme / "translations", [lang.code for lang in site.languages],
                    site.root / "babel.cfg", Path(site.settings["CACHE_PATH"]) / "catalogs")
    update_message_catalogs(LOCALE_DIR, [lang.code for lang in site.languages],
                            [Path(__file__).parent, *map(Path, site.settings.get("PLUGIN_PATHS", []))])
    print(f"catalogs updated: {site.theme / 'translations'} (theme), {LOCALE_DIR} (messages)")
    return 0


def _new(args) -> int:
    site = load_site(args.config)
    for path in new_content(site, args.kind, args.lang, args.title, slug=args.slug,
                            translation_of=args.translation_of, both=args.both):
        print(path.relative_to(site.root) if path.is_relative_to(site.root) else path)
    hint = msg("New files are drafts: the preview shows them under /drafts/. Replace every placeholder, "
               "then delete the line `Status: draft` to publish.")
    print(translate(hint, args.translations), file=sys.stderr)
    return 0


def _publish(args) -> int:
    print(publish(args.config, args.to))
    return 0


def _status(args) -> int:
    print(as_text(status_report(load_site(args.config)), args.translations))
    return 0


def _scrub_images(args) -> int:
    site = load_site(args.config)
    lines, problems = scrub_sources(site)
    lines += scrub_svg_files(source_roots(site), site.root)
    for line in [*lines, *map(str, problems)]:
        print(line)
    print(f"scrub-images: {len(lines)} file(s) rewritten without identifying metadata"
          + (f", {len(problems)} could not be" if problems else ""))
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sitebuild")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func in (("build", _build), ("check", _check), ("i18n", _i18n), ("new", _new),
                       ("publish", _publish), ("scrub-images", _scrub_images), ("status", _status)):
        command = sub.add_parser(name)
        command.add_argument("--config", default="pelicanconf.py")
        # Not `--lang`: in `new` that is the language of the new file.
        command.add_argument("--messages-lang", help="language of the messages (default: the "
                             "environment's locale, else the site's first language)")
        command.add_argument("--debug", action="store_true",
                             help="show the whole traceback of an error (for maintainers)")
        command.set_defaults(func=func)
    build_parser = sub.choices["build"]
    build_parser.add_argument("--output")
    build_parser.add_argument("--strict", action="store_true", help="warnings are fatal")
    build_parser.add_argument("--jobs", type=int, help="parallel language builds")
    new_parser = sub.choices["new"]
    new_parser.add_argument("kind", help="news, statements, reports, meetings or page")
    new_parser.add_argument("--lang", required=True)
    new_parser.add_argument("--title", required=True)
    new_parser.add_argument("--slug", default="")
    new_parser.add_argument("--translation-of", default="", help="slug of the original")
    new_parser.add_argument("--both", action="store_true", help="also create the other languages")
    sub.choices["publish"].add_argument("--to", required=True, help="gh-pages or rsync")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    args.translations = translations_for(editor_language(args.messages_lang, _site_languages(args.config)))
    try:
        return args.func(args)
    except BuildError as error:
        print(error.localized(args.translations), file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return 1


def _site_languages(config: str) -> list[str]:
    try:
        return [lang.code for lang in load_site(config).languages]
    except BuildError:  # reported when the command loads it
        return []


if __name__ == "__main__":
    sys.exit(main())
