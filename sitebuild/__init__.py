"""Build driver: one Pelican run per language, checked, in parallel, written atomically.

Data flows one way: `config` loads the settings module, `inventory` reads every
content file's metadata header (for the content check and the translation
index), `languages` derives each language's Pelican settings, `build` runs
Pelican per language into a temporary folder and swaps it in on success.
"""
