"""Exports: writers for the official layouts and for data (CSV, Excel) — the last step."""
