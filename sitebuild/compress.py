"""Optional pre-compressed copies (.gz, .br) for hosts that serve them (nginx gzip_static, …).

Uses pelican-precompress's compressors, called once on the whole staging folder
after every language's run (as a Pelican plugin it would run inside each
language's run and race with the others writing the same folder). Its gzip
output has no timestamp, so builds stay byte-identical.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from pelican.plugins import precompress

OPTIONS = ("PRECOMPRESS_GZIP", "PRECOMPRESS_BROTLI", "PRECOMPRESS_ZOPFLI", "PRECOMPRESS_ZSTANDARD",
           "PRECOMPRESS_MIN_SIZE", "PRECOMPRESS_TEXT_EXTENSIONS")


def precompress_site(staging: Path, settings: dict) -> None:
    if not settings.get("PRECOMPRESS"):
        return
    options = {key: settings[key] for key in OPTIONS if key in settings}
    options.setdefault("PRECOMPRESS_ZOPFLI", False)
    options.setdefault("PRECOMPRESS_ZSTANDARD", False)
    precompress.compress_files(SimpleNamespace(settings={"OUTPUT_PATH": str(staging), **options}))
