"""From paths to a work list: the walker, content sniffing, config, git changes."""
