"""The built-in rule packs, one folder per language (en/, es/), read by the action plugins."""
