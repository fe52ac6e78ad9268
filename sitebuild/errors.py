"""Errors the build reports to editors: one line each, never a traceback."""

from dataclasses import dataclass


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
        hint = f" ({self.hint})" if self.hint else ""
        label = "" if self.severity == "error" else f"{self.severity}: "
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {label}{self.message}{hint}"


class BuildError(Exception):
    """The build stopped; `problems` (if any) say why, file by file."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        lines.append(self.args[0])
        return "\n".join(lines)
