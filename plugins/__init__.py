"""The built-in plugins, installed as ``classifier.plugins``: the five action types (rule packs in
``rules/``), the sentence splitter, the language detector and the refiners (modality, actors,
amounts). Each registers through the same path as a third-party plugin."""
