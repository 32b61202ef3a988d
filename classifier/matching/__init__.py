"""Finding rule matches in text: sentence spans, literal prefilters, compiled patterns, and the
sealed memo that keeps them between runs."""
