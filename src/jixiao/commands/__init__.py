"""One module per `jixiao` command; each is a thin wrapper over the library."""
