"""Per-language data: one folder per ISO 639-1 code, loaded by `loader`."""
