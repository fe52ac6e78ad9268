"""The package direction: plugins build on the driver's package, never the reverse."""

from __future__ import annotations

import ast

import pytest

from sitebuild.errors import BuildError
from tests.conftest import ROOT, build_site


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


@pytest.mark.parametrize(("removed", "needed_by", "need"), [
    ("meetings", "search_index", "item.meeting"),
    ("translations", "sitemaps", "item_alternates"),
])
def test_a_plugin_whose_need_no_plugin_provides_stops_the_build_naming_both(tmp_path, removed, needed_by, need):
    """Plugins declare what they need and provide (sitebuild/contracts.py)."""
    with pytest.raises(BuildError) as raised:
        build_site(tmp_path / "site", f"PLUGINS = [p for p in PLUGINS if p != {removed!r}]")
    shown = "\n".join(str(problem) for problem in raised.value.problems)
    assert f"the {needed_by} plugin needs {need}, which no plugin in PLUGINS provides (add {removed} to PLUGINS)" \
        in shown, shown


def test_every_plugin_declares_its_contract():
    """Each plugin's register() says what it needs and provides, even when that is nothing."""
    undeclared = [path.parent.name for path in sorted((ROOT / "plugins").glob("*/__init__.py"))
                  if "declare(__name__" not in path.read_text(encoding="utf-8")]
    assert undeclared == []
