"""The shipped official layouts (TOML data files, read by `jixiao.export.layout`)."""
