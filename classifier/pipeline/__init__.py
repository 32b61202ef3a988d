"""One article through the plugins (split, match, refine, merge), and many articles through worker processes."""
