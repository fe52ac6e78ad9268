"""Preview for editors: rebuild on every change and refresh the browser.

`invoke livereload` serves the site on http://127.0.0.1:8000/ with the
`livereload` package. A broken file prints its problem and leaves the last good
preview in place; fix the file and save, and the page refreshes. The preview is
a full build, search index included (each language's run writes it from memory).
"""

from __future__ import annotations

import argparse
import logging

from livereload import Server

from .build import build
from .errors import BuildError

WATCHED = ("content/", "theme/", "plugins/", "pelicanconf.py")


def rebuild(config: str, output: str) -> None:
    try:
        print(build(config, output).summary())
    except BuildError as error:
        print(error)


def main() -> None:
    parser = argparse.ArgumentParser(prog="sitebuild.livereload")
    parser.add_argument("--config", default="pelicanconf.py")
    parser.add_argument("--output", default="output")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    rebuild(args.config, args.output)
    server = Server()
    for path in WATCHED:
        server.watch(path, lambda: rebuild(args.config, args.output), delay=0.3)
    server.serve(host="127.0.0.1", port=args.port, root=args.output)


if __name__ == "__main__":
    main()
