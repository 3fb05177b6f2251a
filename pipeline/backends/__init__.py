"""Optional model backends (rules, transformers)."""
