"""Images and other static files are written once, by the default language's run.

Every run still reads them, so `{static}` links resolve in every language; runs
whose `WRITE_STATIC` is false just do not copy them again.
"""

from pelican import signals

from sitebuild.contracts import declare


def skip_copy(generator) -> None:
    if not generator.settings.get("WRITE_STATIC", True):
        generator.context["staticfiles"] = []


def register() -> None:
    declare(__name__)  # needs nothing from other plugins, provides nothing they use
    signals.static_generator_finalized.connect(skip_copy)
