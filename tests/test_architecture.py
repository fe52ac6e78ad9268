"""The package direction: plugins build on the driver's package, never the reverse."""

from __future__ import annotations

import ast

from tests.conftest import ROOT


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_sitebuild_never_imports_a_plugin():
    offenders = {
        str(path.relative_to(ROOT)): sorted(name for name in imported_modules(path)
                                           if name == "plugins" or name.startswith("plugins."))
        for path in (ROOT / "sitebuild").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_no_plugin_imports_another_plugin():
    plugins = {path.parent.name for path in (ROOT / "plugins").glob("*/__init__.py")}
    offenders = {
        path.parent.name: sorted(name for name in imported_modules(path)
                                 if name.split(".")[-1] in plugins - {path.parent.name}
                                 or name.startswith("plugins."))
        for path in (ROOT / "plugins").glob("*/__init__.py")
    }
    assert {name: found for name, found in offenders.items() if found} == {}
