"""Pipeline stages: one spaCy component per module."""
