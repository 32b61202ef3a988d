"""Data files of the built-in refiners: the modality cues and the actor gazetteer, with examples."""
