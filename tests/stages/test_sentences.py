"""Sentence boundaries at line breaks and after news datelines."""

from __future__ import annotations

import pytest

from pipeline.stages.sentences import dateline_spans

DATELINES = [
    ("JAKARTA, KOMPAS.com - Layanan bank terganggu.", "JAKARTA, KOMPAS.com -"),
    ("Jakarta, CNN Indonesia – Layanan bank terganggu.", "Jakarta, CNN Indonesia –"),
    ("SEATTLE — Amazon said on Tuesday ...", "SEATTLE —"),
    ("MEXICO CITY, May 9 (Agency) - The bank said ...", "MEXICO CITY, May 9 (Agency) -"),
    ("SINGAPURA, LINTASGAWAI.com-\u00a0StarHub menyatakan ...", "SINGAPURA, LINTASGAWAI.com-"),  # no-break space
    ("Jakarta, Warta Digital -\nChange Healthcare masih berjuang.", "Jakarta, Warta Digital -"),  # a line of its own
]

NO_DATELINE = [
    # a reduplicated word after an opening comma is no dateline dash
    "Dampak dari insiden ini sangat terasa, dengan layanan-layanan populer seperti Roblox mati total.",
    "In the end, a third-party vendor restored the service.",
]


@pytest.mark.parametrize(("text", "dateline"), DATELINES)
def test_a_dateline_opens_the_paragraph(text: str, dateline: str) -> None:
    assert [text[start:end] for start, end in dateline_spans(text)] == [dateline]


@pytest.mark.parametrize("text", NO_DATELINE)
def test_a_hyphen_inside_a_word_ends_no_dateline(text: str) -> None:
    assert dateline_spans(text) == []


def test_a_reduplicated_word_does_not_split_its_sentence(causal_nlp) -> None:
    text = NO_DATELINE[0]
    assert [s.text for s in causal_nlp["id"](text).sents] == [text]
