"""The two kinds of form, by the code jixiao stores and by the word a user reads (core)."""

from __future__ import annotations

# The kind's code (`Form.kind`, the exchange format, the API) → its short Chinese name.
KIND_LABELS = {"self_evaluation": "自评表", "declaration": "申报表"}
# The other way: what a user types on the command line (`--kind 自评表`) → the code.
KINDS_BY_LABEL = {label: kind for kind, label in KIND_LABELS.items()}
