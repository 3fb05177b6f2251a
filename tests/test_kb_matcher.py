"""The fast knowledge-base matcher finds exactly what a SpanRuler with the same patterns finds."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from pipeline.kb import load_kb
from pipeline.kb.matcher import KBMatcher, phrase_attr

GOLD = Path(__file__).resolve().parent.parent / "corpora" / "gold"


@pytest.mark.parametrize(
    ("pattern", "attr"),
    [
        ([{"LOWER": "amazon"}, {"LOWER": "web"}], "LOWER"),
        ([{"ORTH": "XL"}], "ORTH"),
        ([{"LOWER": "use1"}, {"LOWER": {"REGEX": "^az\\d{1,2}$"}}], None),
        ([{"ORTH": "Macy"}, {"ORTH": {"IN": ["'", "’"]}}, {"ORTH": "s"}], None),
        ([{"LOWER": "a", "ORTH": "A"}], None),
    ],
)
def test_phrase_attr_only_for_plain_string_patterns(pattern, attr):
    assert phrase_attr(pattern) == attr


def test_kb_matcher_matches_what_a_span_ruler_matches():
    kb = load_kb()
    for lang in ("en", "id"):
        nlp = spacy.blank(lang)
        patterns = kb.patterns(nlp)
        ruler = nlp.add_pipe("span_ruler", config={"spans_key": None, "annotate_ents": False, "validate": False})
        ruler.add_patterns(patterns)
        matcher = KBMatcher(nlp.vocab, patterns)
        texts = [path.read_text(encoding="utf-8") for path in sorted(GOLD.glob(f"*/{lang}/*.txt"))]
        texts.append("Outage in use1-az4 and us-east-1a; Macy’s and Macy's, XL and xl, BSI down.")
        found = 0
        for doc in nlp.pipe(texts):
            expected = [(s.start, s.end, s.label_, s.id_) for s in ruler.match(doc)]
            assert [(s.start, s.end, s.label_, s.id_) for s in matcher(doc)] == expected
            found += len(expected)
        assert found > 200  # the texts really exercise the patterns
