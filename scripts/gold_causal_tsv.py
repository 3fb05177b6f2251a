"""Label the sentences of gold documents as causal or not, for measuring causal-sentence classifiers.

Usage: python scripts/gold_causal_tsv.py corpora/gold/dev/id -o build/gold_dev_id_causal.tsv

A sentence is causal (1) when it holds both ends of an annotated cause -> effect link,
else 0 (sentences of non-outage documents are 0). Sentences come from the Indonesian or
English blank spaCy pipeline with insiden's line-break boundaries. The output feeds
`scripts/train_causal.py --eval-tsv`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import spacy

import pipeline.factories  # noqa: F401  (registers incident_line_breaks)
from pipeline.evaluation import load_gold


def labelled_sentences(gold_dir: Path) -> list[tuple[str, int]]:
    """(sentence, label) for every sentence of every gold document under `gold_dir`."""
    rows: list[tuple[str, int]] = []
    pipelines: dict[str, spacy.language.Language] = {}
    for doc in load_gold(gold_dir):
        if doc.language not in pipelines:
            nlp = spacy.blank(doc.language)
            nlp.add_pipe("sentencizer")
            nlp.add_pipe("incident_line_breaks")
            pipelines[doc.language] = nlp
        chain = doc.annotation.get("causal_chain") or {}
        nodes = {n["id"]: (n["start"], n["end"]) for n in chain.get("nodes") or []}
        links = [(nodes[e["source"]], nodes[e["target"]]) for e in chain.get("edges") or []]
        for sent in pipelines[doc.language](doc.text).sents:
            text = sent.text.strip()
            if len(text.split()) < 4:
                continue
            inside = [all(_overlaps(span, (sent.start_char, sent.end_char)) for span in link) for link in links]
            rows.append((" ".join(text.split()), int(any(inside))))
    return rows


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    rows = labelled_sentences(args.gold)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("".join(f"{text}\t{label}\n" for text, label in rows), encoding="utf-8")
    print(f"{len(rows)} sentences, {sum(label for _, label in rows)} causal -> {args.output}")


if __name__ == "__main__":
    main()
