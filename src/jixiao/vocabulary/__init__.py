"""The vocabulary of the forms: one definition of every word the pipeline keys on.

Part of the core, used alike by the readers, the recogniser, the review rules, the store
and the web; nothing here imports any of them.

- `normalise`: the normalisers (label keys, names, search keys);
- `width`: the display width of CJK text;
- `labels`: the printed labels of the official forms and their synonyms;
- `framework`: the 一级/二级 indicator framework;
- `units`: units of measure and money, and their synonyms;
- `grades`: the printed 评分等级 and their synonyms;
- `measures`: the keywords that tell what an indicator measures (for the review rules);
- `kinds`: the two kinds of form, by code and by name;
- `filters`: the list's filters as a user names them.
"""
