"""The demo: synthetic forms with realistic defects, and a database built from them.

Not part of the pipeline proper: it feeds the pipeline. `generator` makes consistent
forms in the words of real ones, `defects` spoils some of them the way real forms are
spoiled, `build` imports them (through the same intake and importer as real files) into
a SQLite database for `jixiao demo`, and `benchmarks/web.py` uses the same generator.
"""
