"""The shipped scoring and review profiles (TOML data files, read by `jixiao.profile`)."""
