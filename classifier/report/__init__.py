"""Writing what was found: JSON Lines, JSON, CSV, table, HTML, Parquet, explanations and the corpus summary."""
