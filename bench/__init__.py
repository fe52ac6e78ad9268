"""Benchmark: a generated bilingual corpus built by stock Pelican and by `sitebuild`.

    python -m bench.generate --pairs 300 --out /tmp/corpus   write a corpus
    python -m bench.run --pairs 300 [--runs 3]               build it both ways, print the table

See bench/README.md.
"""
