"""`fragment(name, **variables)`: a partial template rendered once per run for each
distinct set of values it reads, then reused (a Jinja global).

A listing page prints ten article summaries, and each summary is printed on a tag's
pages, its section's and the home page's; the footer is the same on every page of a
language. `{{ fragment("partials/article_summary.html", article=article) }}` renders
the summary the first time and gives the same HTML afterwards.

The reuse is decided by what the partial can read, found in its source: every name
it (or a template it includes or imports) takes from outside, looked up in the
variables given, then in the page's context. Strings, numbers and None are compared
by value, any other object by identity (the same article object, the same settings
dict): a partial that reads `output_file` is rendered for every page. A name set
nowhere is undefined, as in an `{% include %}` (a page's `category` on a tag page);
unlike an include, the partial does not see the caller's loop variables: pass them.
An include or import whose name is not a constant is an error.

The items whose fields a reused fragment read count as read by each page that shows
it, so the render cache (`__init__`) still renders that page again when they change.
"""

from __future__ import annotations

from jinja2 import Environment, meta, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

_VALUES = (str, int, float, bool, type(None))


class FragmentError(LookupError):
    pass


def _names(environment: Environment, name: str, seen: set[str] | None = None) -> set[str]:
    """The names template `name` and the templates it includes or imports take from outside."""
    seen = set() if seen is None else seen
    seen.add(name)
    source, _, _ = environment.loader.get_source(environment, name)
    tree = environment.parse(source)
    names = set(meta.find_undeclared_variables(tree))
    for other in meta.find_referenced_templates(tree):
        if other is None:
            raise FragmentError(f"{name}: a fragment cannot include or import a template chosen at run time")
        if other not in seen:
            names |= _names(environment, other, seen)
    return names


def _render(context: Context, name: str, variables: dict) -> Markup:
    return Markup(context.environment.get_template(name).render({**context.get_all(), **variables}))


_NOTHING = frozenset()


def _identity(value):
    return value if isinstance(value, _VALUES) else (type(value).__name__, id(value))


class Fragments:
    """One run's fragments, kept by the run's writer, whose `reading` (the current
    page's read sets, or None) they add to."""

    def __init__(self, writer):
        self.writer = writer
        self.names: dict[tuple[int, str], tuple[str, ...]] = {}
        # key → (HTML, the reads made rendering it, the objects whose ids are in the key:
        # kept alive, so that no id is reused during the run)
        self.rendered: dict[tuple, tuple[Markup, tuple, list]] = {}

    def render(self, context: Context, name: str, variables: dict) -> Markup:
        environment = context.environment
        names = self.names.get((id(environment), name))
        if names is None:
            names = self.names[(id(environment), name)] = tuple(sorted(_names(environment, name)))
        kept = [variables[n] if n in variables else context.resolve_or_missing(n) for n in names]
        key = (id(environment), name, *map(_identity, kept))
        writer = self.writer
        known = self.rendered.get(key)
        if known is None:
            # Its reads are kept even when this page is not watched (a page Pelican writes
            # twice): a later, watched page that shows the fragment depends on them.
            outer, writer.reading = writer.reading, (set(), set(), set())
            try:
                output = _render(context, name, variables)
                # Kept for the run: most of the three sets are empty (a shared frozenset).
                reads = tuple(frozenset(read) if read else _NOTHING for read in writer.reading)
            finally:
                writer.reading = outer
            known = self.rendered[key] = (output, reads, kept)
        if writer.reading is not None:
            for into, read in zip(writer.reading, known[1], strict=True):
                into |= read
        return known[0]


@pass_context
def fragment(context: Context, name: str, **variables) -> Markup:
    """The Jinja global (see the module's text)."""
    from . import current_writer

    writer = current_writer()
    if writer is None:  # a template rendered outside a run's writer: nothing to share
        return _render(context, name, variables)
    return writer.fragments.render(context, name, variables)
