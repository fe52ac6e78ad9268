"""Editor and maintainer tasks. Each is a few lines; the work lives in `sitebuild`.

    invoke build [--production] [--output DIR]   build the site (atomic, checked)
    invoke check                                  check every content file
    invoke serve [--port 8000]                    serve the built site on localhost
    invoke livereload                             rebuild and refresh the browser on every change
    invoke clean                                  remove the output and caches
    invoke i18n                                   extract, update and compile theme catalogs
    invoke publish --to gh-pages|rsync            check, build and publish (nothing on failure)
    invoke search-eval [--details]                stock Pagefind vs the site's search (recall, precision)
    invoke bench [--pairs 300] [--runs 3]         stock Pelican vs our build on a generated corpus
"""

import shutil
import sys

from invoke import task

CONFIG = {
    "dev": "pelicanconf.py",
    "production": "publishconf.py",
    "output": "output",
    "host": "127.0.0.1",
    "port": 8000,
}


def sitebuild(c, *args):
    """Every build and check goes through this one helper."""
    c.run(" ".join([sys.executable, "-m", "sitebuild", *args]), pty=False)


def config_file(production):
    return CONFIG["production" if production else "dev"]


@task(help={"production": "use publishconf.py (absolute URLs, strict)", "output": "output folder"})
def build(c, production=False, output=None):
    """Build the site into the output folder (replaced only on success)."""
    sitebuild(c, "build", "--config", config_file(production), "--output", output or CONFIG["output"])


@task(help={"production": "check with the production settings"})
def check(c, production=False):
    """Check every content file; print one line per problem."""
    sitebuild(c, "check", "--config", config_file(production))


@task(help={"port": "port on 127.0.0.1", "output": "folder to serve"})
def serve(c, port=CONFIG["port"], output=None):
    """Serve the built site at http://127.0.0.1:PORT/ (build first)."""
    c.run(f"{sys.executable} -m http.server {port} --bind {CONFIG['host']} "
          f"--directory {output or CONFIG['output']}")


@task(help={"port": "port on 127.0.0.1"})
def livereload(c, port=CONFIG["port"]):
    """Rebuild on every change to content, theme or settings, and refresh the browser."""
    c.run(f"{sys.executable} -m sitebuild.livereload --port {port} --output {CONFIG['output']}")


@task
def clean(c):
    """Remove the built site and the content caches."""
    for folder in (CONFIG["output"], ".cache"):
        shutil.rmtree(folder, ignore_errors=True)


@task
def i18n(c):
    """Extract theme strings, update every catalog, compile them."""
    sitebuild(c, "i18n")


@task(help={
    "kind": "news, statements, reports, meetings or page",
    "lang": "ar or en",
    "title": "the title, in that language",
    "slug": "the URL name (default: from the title)",
    "translation_of": "slug of the item this translates",
    "both": "also create the file in the other language(s)",
})
def new(c, kind, lang, title, slug="", translation_of="", both=False):
    """Create a new content file (as a draft) and print its path."""
    args = ["new", kind, "--lang", lang, "--title", repr(title)]
    args += ["--slug", slug] if slug else []
    args += ["--translation-of", translation_of] if translation_of else []
    args += ["--both"] if both else []
    sitebuild(c, *args)


@task(help={"to": "gh-pages (push the gh-pages branch) or rsync (PUBLISH_RSYNC_TARGET)"})
def publish(c, to):
    """Check and build the production site, then publish it; nothing is published on failure."""
    sitebuild(c, "publish", "--config", CONFIG["production"], "--to", to)


@task(help={"details": "also print every query's results"})
def search_eval(c, details=False):
    """Compare stock Pagefind with the site's Arabic-aware search on search_eval/queries.json."""
    c.run(f"{sys.executable} -m search_eval.run" + (" --details" if details else ""), pty=False)


@task(help={"pairs": "article pairs in the generated corpus (2 files each)", "runs": "runs of each build"})
def bench(c, pairs=300, runs=3):
    """Time stock Pelican and our build, cold and warm, on one generated corpus (bench/README.md)."""
    c.run(f"{sys.executable} -m bench.run --pairs {int(pairs)} --runs {int(runs)}", pty=False)
