"""The demo: synthetic forms with realistic defects, and a database built from them.

Not part of the pipeline proper: it feeds the pipeline. `generator` makes consistent
forms in the words of real ones (`texts` is how their goal texts quote the table),
`defects` spoils some of them the way real forms are spoiled and labels each form with the
findings its defects must raise, `build` imports them (through the same intake and
importer as real files) into a SQLite database for `jixiao demo`, `measure` counts what
the review finds of the labelled defects (`benchmarks/review.py`, with `changes` saying
what each defect changed), and `benchmarks/web.py` uses the same generator.
"""
