"""Reading articles: JSON Lines, CSV, text files and folders, each record checked and capped."""
