"""How often the function-word shortcut decides a paragraph's language, and whether langdetect agrees.

Runs `LanguageDetector` on every non-empty line of the benchmark texts (as `bench/throughput.py`
builds them) and prints how many paragraphs the shortcut decided and how many of those langdetect's
n-gram statistics label the same (a profile, not a test).

    .venv/bin/python bench/langid_shortcut.py ../shared/data
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import DEFAULT_DATA, load_texts

from pipeline.stages.langid import _WORD, SAMPLE_CHARS, LanguageDetector


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA), help="shared data folder (%(default)s)")
    args = parser.parse_args(argv)
    detector = LanguageDetector()
    paragraphs = decided = agreed = 0
    for text in load_texts(Path(args.data)):
        for match in re.finditer(r"[^\n]+", text.text):
            sample = match.group()[:SAMPLE_CHARS]
            if not sample.strip():
                continue
            paragraphs += 1
            guess = detector._decisive([w.lower() for w in _WORD.findall(sample)])
            if guess is None:
                continue
            decided += 1
            statistical = detector._statistical(sample)
            agreed += statistical is not None and statistical.language == guess.language
    print(f"{paragraphs} paragraphs; the shortcut decided {decided}; langdetect agreed on {agreed} of them")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
