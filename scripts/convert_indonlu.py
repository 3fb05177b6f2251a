"""Convert the IndoNLU NERGrit and NERP CoNLL files into spaCy DocBin corpora.

Usage: python scripts/convert_indonlu.py [--data ../shared/data] [--out build/id_ner/corpus]
       [--labels training/id_ner/labels.yaml] [--dev-fraction 0.1] [--seed 0]

Tags are mapped onto one label set (`training/id_ner/labels.yaml`). A dev split for
early stopping is carved out of each corpus's `train_preprocess.txt` with a fixed
seed. The `valid_preprocess.txt` files become separate evaluation corpora and are
never used for training or early stopping. Output files:

- `train.spacy`, `dev.spacy`: both corpora, mixed;
- `<dataset>_valid.spacy`: one evaluation corpus per dataset;
- `summary.json`: sentence and entity counts per file.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

import spacy
import yaml
from spacy.tokens import Doc, DocBin, Span
from spacy.vocab import Vocab

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
DEFAULT_LABELS = REPO_ROOT / "training" / "id_ner" / "labels.yaml"
DEFAULT_OUT = REPO_ROOT / "build" / "id_ner" / "corpus"
CORPUS_DIR = "indonlu_ner"
TRAIN_FILE = "train_preprocess.txt"
VALID_FILE = "valid_preprocess.txt"

Sentence = list[tuple[str, str]]
TokenSpan = tuple[int, int, str]
Lexicon = frozenset[tuple[str, ...]]


def read_conll(path: Path) -> list[Sentence]:
    """Read a `token<TAB>tag` file with blank lines between sentences.

    Args:
        path: The CoNLL file.

    Returns:
        One list of `(token, tag)` pairs per sentence.
    """
    sentences: list[Sentence] = []
    current: Sentence = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
            continue
        token, sep, tag = line.rpartition("\t")
        if not sep or not token:
            raise ValueError(f"{path}:{line_no}: expected 'token<TAB>tag', got {line!r}")
        current.append((token, tag.strip()))
    if current:
        sentences.append(current)
    return sentences


def iob_to_spans(tags: list[str], mapping: dict[str, str]) -> list[TokenSpan]:
    """Decode IOB tags into token spans with mapped labels.

    A tag type absent from `mapping` is treated as `O`. An `I-` tag that does not
    continue a span of the same mapped label starts a new span, as in CoNLL
    evaluation.

    Args:
        tags: IOB tags such as `B-PERSON`, `I-PERSON`, `O`.
        mapping: Source tag type to unified label.

    Returns:
        `(start, end, label)` token spans, `end` exclusive.
    """
    spans: list[TokenSpan] = []
    start: int | None = None
    label: str | None = None
    for i, tag in enumerate(tags):
        prefix, _, kind = tag.partition("-")
        mapped = mapping.get(kind) if prefix in ("B", "I") else None
        continues = prefix == "I" and mapped is not None and mapped == label
        if start is not None and label is not None and not continues:
            spans.append((start, i, label))
            start, label = None, None
        if mapped is not None and not continues:
            start, label = i, mapped
    if start is not None and label is not None:
        spans.append((start, len(tags), label))
    return spans


def sentence_to_doc(
    vocab: Vocab,
    sentence: Sentence,
    mapping: dict[str, str],
    unknown: Lexicon | None = None,
) -> Doc:
    """Build a Doc with gold entities from one CoNLL sentence.

    Args:
        vocab: The vocabulary shared by all Docs of a DocBin.
        sentence: `(token, tag)` pairs.
        mapping: Source tag type to unified label.
        unknown: Lowercased token sequences whose untagged occurrences are marked
            missing (unknown) instead of `O`; see `build_lexicon`.

    Returns:
        A Doc whose tokens are the CoNLL tokens and whose `ents` are the mapped spans.
    """
    words = [token for token, _ in sentence]
    doc = Doc(vocab, words=words, spaces=[True] * (len(words) - 1) + [False])
    spans = iob_to_spans([tag for _, tag in sentence], mapping)
    missing = untagged_matches(words, spans, unknown) if unknown else []
    doc.set_ents(
        [Span(doc, start, end, label=lab) for start, end, lab in spans],
        missing=[doc[start:end] for start, end in missing],
        default="outside",
    )
    return doc


def build_lexicon(
    sentences: list[Sentence], mapping: dict[str, str], label: str, min_count: int, min_ratio: float
) -> Lexicon:
    """Collect the lowercased mention strings of one label that are reliably names.

    A string is kept when it is tagged `label` at least `min_count` times and in at
    least `min_ratio` of its occurrences, which keeps `piala dunia` and `dpr` but drops
    generic words that are only sometimes part of a name (`kota`, `hari`).

    Args:
        sentences: Sentences of the corpus that annotates `label`.
        mapping: That corpus's tag mapping.
        label: Unified label, such as `ORG`.
        min_count: Minimum number of tagged occurrences.
        min_ratio: Minimum share of occurrences that are tagged.

    Returns:
        Lowercased token tuples.
    """
    tagged: Counter[tuple[str, ...]] = Counter()
    for sentence in sentences:
        words = [token.lower() for token, _ in sentence]
        for start, end, lab in iob_to_spans([tag for _, tag in sentence], mapping):
            if lab == label:
                tagged[tuple(words[start:end])] += 1
    candidates = {key for key, n in tagged.items() if n >= min_count}
    seen: Counter[tuple[str, ...]] = Counter()
    longest = max((len(key) for key in candidates), default=0)
    for sentence in sentences:
        words = [token.lower() for token, _ in sentence]
        for size in range(1, longest + 1):
            for i in range(len(words) - size + 1):
                key = tuple(words[i : i + size])
                if key in candidates:
                    seen[key] += 1
    return frozenset(key for key in candidates if tagged[key] >= min_ratio * seen[key])


def untagged_matches(words: list[str], spans: list[TokenSpan], lexicon: Lexicon) -> list[tuple[int, int]]:
    """Token ranges that match `lexicon` (case-insensitively) and overlap no gold span.

    Args:
        words: The sentence's tokens.
        spans: Its gold spans.
        lexicon: Lowercased token tuples.

    Returns:
        `(start, end)` token ranges, possibly overlapping each other.
    """
    tagged = {i for start, end, _ in spans for i in range(start, end)}
    lowered = [word.lower() for word in words]
    longest = max((len(key) for key in lexicon), default=0)
    found = []
    for size in range(1, longest + 1):
        for i in range(len(words) - size + 1):
            if tuple(lowered[i : i + size]) in lexicon and not tagged & set(range(i, i + size)):
                found.append((i, i + size))
    return found


def split_train_dev(items: list[Sentence], dev_fraction: float, seed: int) -> tuple[list[Sentence], list[Sentence]]:
    """Split sentences into train and dev deterministically.

    Args:
        items: Sentences in file order.
        dev_fraction: Share of sentences that go to dev, between 0 and 1.
        seed: Seed of the shuffle that picks the dev sentences.

    Returns:
        `(train, dev)`, each in the original file order.
    """
    if not 0.0 <= dev_fraction < 1.0:
        raise ValueError(f"dev_fraction must be in [0, 1), got {dev_fraction}")
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    dev_ids = set(order[: round(len(items) * dev_fraction)])
    train = [s for i, s in enumerate(items) if i not in dev_ids]
    dev = [s for i, s in enumerate(items) if i in dev_ids]
    return train, dev


def load_label_config(path: Path) -> dict[str, dict]:
    """Read the label mapping (see `training/id_ner/labels.yaml`).

    Args:
        path: The YAML file.

    Returns:
        `{"datasets": {name: {"dir", "labels", "annotates"}}, "fill_missing": {...}}`;
        `fill_missing` is empty when the file has none.
    """
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config.setdefault("fill_missing", {})
    return config


def _unknown_lexicons(config: dict, trains: dict[str, list[Sentence]]) -> dict[str, Lexicon]:
    # For each corpus, the names it leaves untagged that another corpus tags.
    settings = config["fill_missing"]
    datasets = config["datasets"]
    lexicons: dict[str, Lexicon] = {}
    for target, sources in (settings.get("targets") or {}).items():
        keys: set[tuple[str, ...]] = set()
        for label, source in sources.items():
            if source not in trains:
                continue
            keys |= build_lexicon(
                trains[source],
                datasets[source]["labels"],
                label,
                settings.get("min_count", 2),
                settings.get("min_ratio", 0.5),
            )
        lexicons[target] = frozenset(keys)
    return lexicons


def corpus_root(data_dir: Path) -> Path:
    """The `indonlu_ner` folder, given the shared data folder or that folder itself."""
    return data_dir / CORPUS_DIR if (data_dir / CORPUS_DIR).is_dir() else data_dir


def _write(docs: list[Doc], path: Path) -> dict[str, object]:
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    counts = Counter(ent.label_ for doc in docs for ent in doc.ents)
    missing = sum(token.ent_iob == 0 for doc in docs for token in doc)
    return {
        "sentences": len(docs),
        "tokens": sum(len(d) for d in docs),
        "missing_tokens": missing,
        "ents": dict(counts),
    }


def convert(
    data_dir: Path,
    out_dir: Path,
    labels_path: Path = DEFAULT_LABELS,
    dev_fraction: float = 0.1,
    seed: int = 0,
) -> dict[str, dict[str, object]]:
    """Write the train, dev and per-dataset valid DocBins.

    Args:
        data_dir: Folder holding `indonlu_ner/` (or the `indonlu_ner` folder itself).
        out_dir: Where the `.spacy` files and `summary.json` go.
        labels_path: The label mapping YAML.
        dev_fraction: Share of each dataset's train split held out for early stopping.
        seed: Seed of the dev split.

    Returns:
        File stem to its sentence, token and entity counts (also in `summary.json`).
    """
    root = corpus_root(data_dir)
    config = load_label_config(labels_path)
    datasets = config["datasets"]
    vocab = spacy.blank("id").vocab
    out_dir.mkdir(parents=True, exist_ok=True)
    train_docs: list[Doc] = []
    dev_docs: list[Doc] = []
    summary: dict[str, dict[str, object]] = {}
    trains = {name: read_conll(root / spec["dir"] / TRAIN_FILE) for name, spec in datasets.items()}
    unknown = _unknown_lexicons(config, trains)
    for name, spec in datasets.items():
        mapping = spec["labels"]
        train, dev = split_train_dev(trains[name], dev_fraction, seed)
        train_docs += [sentence_to_doc(vocab, s, mapping, unknown.get(name)) for s in train]
        dev_docs += [sentence_to_doc(vocab, s, mapping, unknown.get(name)) for s in dev]
        valid = [sentence_to_doc(vocab, s, mapping) for s in read_conll(root / spec["dir"] / VALID_FILE)]
        summary[f"{name}_valid"] = _write(valid, out_dir / f"{name}_valid.spacy")
        summary[f"{name}_valid"]["annotates"] = list(spec["annotates"])
    # Shuffle the mixed train set once so that batches mix both corpora from the start.
    random.Random(seed).shuffle(train_docs)
    summary["train"] = _write(train_docs, out_dir / "train.spacy")
    summary["dev"] = _write(dev_docs, out_dir / "dev.spacy")
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (git-ignored)")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS, help="label mapping YAML")
    parser.add_argument("--dev-fraction", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    summary = convert(args.data, args.out, args.labels, args.dev_fraction, args.seed)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
