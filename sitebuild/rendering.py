"""The Markdown of one language's run: an item's text and header fields to HTML.

Used by the reader in every language's run (plugins/markdown_reader, which cleans
the result) and by the content check (which reports what cleaning would remove),
so that both see exactly the same HTML. One Markdown instance renders the text
(with the `meta` extension reading the header), one the header fields Pelican
renders as Markdown (FORMATTED_FIELDS, e.g. `Summary:`), which must not look for a
header of their own; both are reset between files (making one per file, as Pelican
does, costs about 0.5 ms with our extensions).
"""

from __future__ import annotations

from markdown import Markdown

from .frontmatter import canonical_source

BODY = "body"  # the key of the text's HTML beside the fields'


class ItemRenderer:
    def __init__(self, markdown: dict, formatted_fields):
        # Every extension configured is used, as Pelican's reader does.
        extensions = list(markdown.get("extensions", []))
        extensions += [name for name in markdown.get("extension_configs", {}) if name not in extensions]
        markdown = {**markdown, "extensions": extensions}
        self.text_md = Markdown(**markdown)
        self.fields_md = Markdown(**markdown)
        self.fields_md.preprocessors.deregister("meta")
        self.formatted = {name.lower() for name in formatted_fields}

    def convert(self, text: str) -> str:
        """The text's HTML; its header is then in `header`."""
        self.text_md.reset()
        return self.text_md.convert(canonical_source(text))

    @property
    def header(self) -> dict[str, list[str]]:
        return getattr(self.text_md, "Meta", None) or {}

    def render(self, text: str) -> dict[str, str]:
        """The text's HTML (BODY) and each Markdown-rendered header field's, before cleaning."""
        html = {BODY: self.convert(text)}
        for name, values in self.header.items():
            if name.lower() in self.formatted:
                self.fields_md.reset()
                html[name.lower()] = self.fields_md.convert("\n".join(values))
        return html
