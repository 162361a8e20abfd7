"""Reading: bytes → a Grid, one reader per format (step 2 of the pipeline).

`sniff` tells a document's format by its content, `decode` turns text renderings into
text, and `registry.READERS` maps each format to its reader. Every reader produces the
same `grid.Grid`; nothing in this package knows about the recogniser. The front door
that runs the whole pipeline is `jixiao.pipeline`.
"""
