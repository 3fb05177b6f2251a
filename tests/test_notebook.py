"""notebooks/explore_incidents.ipynb runs headless, start to end, and shows what it promises."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "explore_incidents.ipynb"
TIMEOUT_S = 180


def test_notebook_is_committed_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)


@pytest.fixture(scope="module")
def executed() -> dict[str, list[dict]]:
    """Outputs of every code cell, by cell id, after a headless run in this interpreter's environment."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    # jupyter_client starts the python3 kernel with sys.executable (ipykernel's own spec when none is
    # installed), so the notebook runs in the environment that runs the tests.
    client.execute()  # raises CellExecutionError on the first failing cell
    return {cell.id: cell.outputs for cell in notebook.cells if cell.cell_type == "code"}


def _data(outputs: list[dict], mime: str) -> list[str]:
    return [o["data"][mime] for o in outputs if mime in o.get("data", {})]


def _stdout(outputs: list[dict]) -> str:
    """What a cell printed (stderr carries library warnings that depend on the environment)."""
    return "".join(o.get("text", "") for o in outputs if o.get("name") == "stdout")


def test_notebook_runs_without_errors(executed: dict[str, list[dict]]) -> None:
    errors = [o for outputs in executed.values() for o in outputs if o["output_type"] == "error"]
    assert errors == []
    printed = _stdout(executed["run"])
    assert re.search(r"\d+ reports, \d+ documents refused", printed)


def test_notebook_shows_the_tables(executed: dict[str, list[dict]]) -> None:
    match = re.search(r"(\d+) reports, \d+ documents refused", _stdout(executed["run"]))
    assert match is not None
    n_reports = int(match.group(1))
    (table,) = _data(executed["incidents"], "text/html")
    assert 'class="dataframe"' in table and "root_cause_category" in table
    body = table.split("<tbody>", 1)[1]
    assert n_reports >= 5 and body.count("<tr>") == n_reports  # one row per report
    assert "mixed.jsonl" not in table and "id-bsi-2023-05-gangguan-layanan" in table  # JSONL lines keep their ids
    (edges,) = _data(executed["edges"], "text/html")
    assert "source_text" in edges and "cue" in edges


def test_notebook_draws_the_plots_and_the_graph(executed: dict[str, list[dict]]) -> None:
    assert len(_data(executed["plots"], "image/png")) == 1
    assert len(_data(executed["graph"], "image/png")) == 1
    (table,) = _data(executed["root-causes"], "text/html")
    assert "natural_disaster" in table  # every category of the schema, also those nobody reported


def test_notebook_shows_one_article_highlighted(executed: dict[str, list[dict]]) -> None:
    (article,) = _data(executed["article"], "text/html")
    assert 'class="insiden-report"' in article and "<svg" in article
    assert "ROOT_CAUSE" in article and 'class="spans"' in article
