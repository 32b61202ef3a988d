"""The plugin host: the plugin manager and its registration paths, rule packs read into rules,
and the checks on every hook result."""
