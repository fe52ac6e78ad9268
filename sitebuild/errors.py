"""Errors the build reports to editors: one line each, never a traceback."""

from dataclasses import dataclass

from babel.support import NullTranslations

from .messages import msg, translate

SEVERITY_LABELS = {"warning": msg("warning"), "notice": msg("notice")}


@dataclass(frozen=True, order=True)
class Problem:
    """One content problem, printed as `path:line: field: message (hint)`."""

    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    severity: str = "error"  # "error", "warning" or "notice" (information, e.g. an embargo)

    def __str__(self) -> str:
        return self.localized(NullTranslations())

    def localized(self, translations) -> str:
        """The line in the editor's language (sitebuild/messages.py); paths and field names stay."""
        hint = f" ({translate(self.hint, translations)})" if self.hint else ""
        label = SEVERITY_LABELS.get(self.severity)
        label = f"{translate(label, translations)}: " if label else ""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {label}{translate(self.message, translations)}{hint}"


class BuildError(Exception):
    """The build stopped; `problems` (if any) say why, file by file."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []

    def __str__(self) -> str:
        return self.localized(NullTranslations())

    def localized(self, translations) -> str:
        lines = [problem.localized(translations) for problem in self.problems]
        lines.append(translate(self.args[0], translations))
        return "\n".join(lines)
