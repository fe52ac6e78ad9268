"""What each plugin needs from the others and provides to them, said in its `register()`:

    def register():
        declare(__name__, needs=["item.meeting"])
        signals.all_generators_finalized.connect(write_search_index)

When Pelican has registered every plugin (its `initialized` signal), a need that no
registered plugin provides stops the run with an error naming the plugin, the need
and the plugins that provide it. Signal order is never relied on: what a plugin
needs is made at an earlier stage of the run (an item's `meeting` when the item is
made, a template global when a generator starts) than the one it is used at.
"""

from __future__ import annotations

import ast
from pathlib import Path

from pelican import signals

# plugin → (needs, provides), of the plugins registered in this process
_declared: dict[str, tuple[frozenset[str], frozenset[str]]] = {}


class MissingPlugin(RuntimeError):
    pass


def declare(plugin: str, *, needs=(), provides=()) -> None:
    _declared[plugin.rsplit(".", 1)[-1]] = (frozenset(needs), frozenset(provides))
    signals.initialized.connect(check_declarations)


def check_declarations(pelican) -> None:
    """Every need of the plugins in PLUGINS is provided by a plugin in PLUGINS."""
    active = {str(getattr(p, "__name__", p)).rsplit(".", 1)[-1] for p in pelican.settings.get("PLUGINS") or []}
    declared = {name: value for name, value in _declared.items() if name in active}
    provided = {fact for _, provides in declared.values() for fact in provides}
    for plugin, (needs, _) in sorted(declared.items()):
        for need in sorted(needs - provided):
            givers = sorted(name for name, provides in _providers(pelican.settings).items() if need in provides)
            raise MissingPlugin(f"the {plugin} plugin needs {need}, which no plugin in PLUGINS provides"
                                + (f" (add {', '.join(givers)} to PLUGINS)" if givers else ""))


def _providers(settings: dict) -> dict[str, set[str]]:
    """What the plugins on PLUGIN_PATHS (in PLUGINS or not) declare they provide, read
    from their source (a plugin that is not in PLUGINS is not imported)."""
    found: dict[str, set[str]] = {}
    for folder in map(Path, settings.get("PLUGIN_PATHS") or []):
        for source in sorted(folder.glob("*/__init__.py")):
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "declare":
                    for keyword in node.keywords:
                        if keyword.arg == "provides" and isinstance(keyword.value, (ast.List, ast.Tuple)):
                            found.setdefault(source.parent.name, set()).update(
                                element.value for element in keyword.value.elts
                                if isinstance(element, ast.Constant))
    return found
