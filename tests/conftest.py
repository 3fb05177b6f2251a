"""Shared fixtures and the slow/model/gpu markers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The causal classifier runs in bf16 on CPUs with bf16 instructions (`auto`); the tests pin fp32 so
# that golden reports hold byte for byte on every CPU. Worker processes inherit the setting.
os.environ.setdefault("INSIDEN_PRECISION", "fp32")

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
SEED_ARTICLE = SHARED / "seed" / "000_891fe8a33821abd4.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", help="run tests marked slow")
    parser.addoption("--model", action="store_true", help="run tests that need trained weights in models/")
    parser.addoption("--gpu", action="store_true", help="run tests that need a GPU")
    parser.addoption("--update-golden", action="store_true", help="rewrite the expected golden files")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    gates = {"slow": "--runslow", "model": "--model", "gpu": "--gpu"}
    for item in items:
        for marker, option in gates.items():
            if marker in item.keywords and not config.getoption(option.lstrip("-").replace("-", "_")):
                item.add_marker(pytest.mark.skip(reason=f"needs {option}"))


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("update_golden"))


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED_ARTICLE.is_file():
        pytest.skip(f"seed article not found at {SEED_ARTICLE}")
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def extractor():
    from pipeline.extractor import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def report_of(extractor):
    """The report of one text, through the configured pipelines."""
    from pipeline.io import Record

    def run(text: str):
        (outcome,) = extractor.process([Record(position=0, doc_id="t", source="test", text=text)])
        return outcome.report

    return run


def _blank_pipeline(lang: str):
    import spacy

    import pipeline.factories  # noqa: F401  (registers factories and extensions)

    nlp = spacy.blank(lang)
    for name in (
        "sentencizer",
        "incident_line_breaks",
        "incident_cues",
        "incident_relations",
        "incident_chain",
        "incident_gate",
    ):
        nlp.add_pipe(name)
    return nlp


@pytest.fixture(scope="session")
def causal_nlp():
    """Blank Indonesian and English pipelines with the cue, relation and chain stages."""
    return {lang: _blank_pipeline(lang) for lang in ("id", "en")}


@pytest.fixture(scope="session")
def full_nlp(extractor):
    """The configured pipelines, by language."""
    return {lang: extractor.nlp(lang) for lang in ("id", "en")}
