"""Editor and maintainer tasks. Each is a few lines; the work lives in `sitebuild`.

    invoke build [--production] [--output DIR]   build the site (atomic, checked)
    invoke check [--production]                   check every content file
    invoke serve [--port 8000]                    serve the built site (builds it if there is none)
    invoke livereload [--port 8000]               serve, rebuild on every save, refresh the browser
    invoke new --kind news --lang ar --title "…"  a new content file (a draft)
    invoke status                                 drafts, embargoes, translations to do (also /_status/ in the preview)
    invoke scrub-images                           remove identifying metadata from images and PDFs
    invoke clean                                  remove the output and caches
    invoke i18n                                   extract, update and compile theme catalogs
    invoke publish --to gh-pages|rsync            check, build and publish (nothing on failure)
    invoke search-eval [--details]                stock Pagefind vs the site's search (recall, precision)
    invoke bench [--pairs 300] [--runs 3]         stock Pelican vs our build on a generated corpus

Every option is a long flag with one meaning across tasks (no one-letter flags), every
value reaches Python as a list item (never through a shell), and `invoke TASK --help`
works for each task.
"""

import shutil
import subprocess
import sys
from functools import partial

from invoke import Exit
from invoke import task as invoke_task

CONFIG = {
    "dev": "pelicanconf.py",
    "production": "publishconf.py",
    "output": "output",
    "port": 8000,
}
# One-letter flags would mean different things in different tasks (-p: production, port, pairs).
task = partial(invoke_task, auto_shortflags=False)


def python(*args) -> None:
    """Run `python -m …` with an argument list; a failure ends the task with its exit status."""
    status = subprocess.run([sys.executable, "-m", *map(str, args)]).returncode
    if status:
        raise Exit(code=status)


def sitebuild(*args) -> None:
    python("sitebuild", *args)


def config_file(production):
    return CONFIG["production" if production else "dev"]


@task(help={"production": "use publishconf.py (absolute URLs, strict, no drafts)", "output": "output folder"})
def build(c, production=False, output=None):
    """Build the site into the output folder (replaced only on success)."""
    sitebuild("build", "--config", config_file(production), "--output", output or CONFIG["output"])


@task(help={"production": "check with the production settings"})
def check(c, production=False):
    """Check every content file; print one line per problem."""
    sitebuild("check", "--config", config_file(production))


@task(help={"port": "port on 127.0.0.1", "output": "folder to serve"})
def serve(c, port=CONFIG["port"], output=None):
    """Serve the built site at http://127.0.0.1:PORT/ (builds it first if there is none). Ctrl+C stops it."""
    python("sitebuild.preview", "--config", CONFIG["dev"], "--output", output or CONFIG["output"],
           "--port", int(port))


@task(help={"port": "port on 127.0.0.1"})
def livereload(c, port=CONFIG["port"]):
    """Serve the site, rebuild on every save, refresh the open pages. Ctrl+C stops it."""
    python("sitebuild.preview", "--watch", "--config", CONFIG["dev"], "--output", CONFIG["output"],
           "--port", int(port))


@task(help={
    "kind": "news, statements, reports, meetings or page",
    "lang": "ar or en",
    "title": "the title, in that language",
    "slug": "the URL name (default: from the title)",
    "translation-of": "slug of the item this translates",
    "both": "also create the file in the other language(s)",
})
def new(c, kind="", lang="", title="", slug="", translation_of="", both=False):
    """Create a new content file (as a draft) and print its path."""
    if not (kind and lang and title):
        raise Exit('invoke new needs --kind, --lang and --title, e.g. '
                   'invoke new --kind news --lang ar --title "عنوان الخبر"', code=2)
    args = ["new", kind, "--lang", lang, "--title", title]
    args += ["--slug", slug] if slug else []
    args += ["--translation-of", translation_of] if translation_of else []
    args += ["--both"] if both else []
    sitebuild(*args)


@task
def status(c):
    """Per language: drafts, embargoes, missing and outdated translations, incomplete meeting accounts."""
    sitebuild("status", "--config", CONFIG["dev"])


@task
def scrub_images(c):
    """Remove identifying metadata (GPS, camera serials, authors) from images and PDFs in place."""
    sitebuild("scrub-images", "--config", CONFIG["dev"])


@task
def clean(c):
    """Remove the built site and the content caches."""
    for folder in (CONFIG["output"], ".cache"):
        shutil.rmtree(folder, ignore_errors=True)


@task
def i18n(c):
    """Extract theme strings, update every catalog, compile them."""
    sitebuild("i18n")


@task(help={"to": "gh-pages (push the gh-pages branch) or rsync (PUBLISH_RSYNC_TARGET)"})
def publish(c, to=""):
    """Check and build the production site, then publish it; nothing is published on failure."""
    if to not in ("gh-pages", "rsync"):
        raise Exit("invoke publish needs --to gh-pages or --to rsync", code=2)
    sitebuild("publish", "--config", CONFIG["production"], "--to", to)


@task(help={"details": "also print every query's results"})
def search_eval(c, details=False):
    """Compare stock Pagefind with the site's Arabic-aware search on search_eval/queries.json."""
    python("search_eval.run", *(["--details"] if details else []))


@task(help={"pairs": "article pairs in the generated corpus (2 files each)", "runs": "runs of each build"})
def bench(c, pairs=300, runs=3):
    """Time stock Pelican and our build, cold and warm, on one generated corpus (bench/README.md)."""
    python("bench.run", "--pairs", int(pairs), "--runs", int(runs))
