"""pdftotext plain output to a Grid: rebuilding the table rows a PDF-to-text pass lost.

Step 2 of the pipeline for the plainest rendering. pdftotext prints each cell (or each
line of a wrapped cell) as its own paragraph, joins cells that share a baseline with a
space, and breaks vertical labels (产出/指标) into fragments. No grid survives, so this
reader rebuilds rows from the structure every such form shares, keyed on the printed
labels (`jixiao.vocabulary.labels`) and the value grammar:

- header and funds lines are split at their labels; a value broken over lines is joined;
- the goals block is split into its two cells where the text says one ends;
- short fragments that concatenate to a known label (产出+指标) are reassembled;
- on a self-evaluation every indicator row has exactly one 分值/得分 pair, which anchors
  it; the fragments printed before it (a wrapped name, a two-line target) are assigned
  to the row's empty slots with the value grammar and the column widths.

It emits the same Grid as the table readers, with canonical columns, so the one
recogniser reads it.

Plain text cannot settle two layouts, and the reader takes the likelier reading: a name
line exactly as wide as the name column is taken as wrapped (its next line continues
it), and a short lone line before a row whose qualitative target wraps is taken as the
note of the row above when that note is still open. A category label between two rows
is a hard boundary: lines before it belong to the row above, lines after to the next.

The package, by step (each module says more):

- `machine`: the state machine that reads line by line and knows the form's sections,
  and the entry point `read_plaintext`;
- `lines`: the document as `Line` records, and the token helpers every step uses;
- `header_fields`: header and funds lines split at their labels;
- `fragments`: vertical labels reassembled from their fragments;
- `goals`: the goals block split into its two cells;
- `scored_rows`: self-evaluation indicator rows, anchored on 分值/得分;
- `declaration_rows`: declaration indicator rows, told apart by width;
- `wrapping`: column widths, and the fragments between rows given to their cells;
- `rows`: the row being rebuilt, emitted in the canonical columns.
"""

from __future__ import annotations

from jixiao.read.plaintext.goals import split_declaration_goals, split_goals
from jixiao.read.plaintext.machine import read_plaintext
from jixiao.read.plaintext.rows import COLUMNS

__all__ = ["COLUMNS", "read_plaintext", "split_declaration_goals", "split_goals"]
