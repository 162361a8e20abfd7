"""How a reader tells its caller how far it has got in a long document.

Part of step 2 of the pipeline (read). A scanned PDF of a hundred pages takes minutes to
read; the reader calls `progress(done, total)` after each page (pages read, pages it
will read), and the edge that asked shows it (the CLI on a terminal). Readers of short
formats never call it.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]
