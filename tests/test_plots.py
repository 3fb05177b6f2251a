"""The tables behind the notebook's plots, and the plots drawn from them."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline import plots
from pipeline.export import reports_to_frames
from pipeline.schema import ROOT_CAUSE_CATEGORIES, Duration, IncidentReport, Provider, RootCause

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")


def _report(
    doc_id: str,
    language: str,
    providers: list[str],
    hours: float | None,
    category: str | None,
    *,
    incident: bool = True,
) -> IncidentReport:
    return IncidentReport(
        doc_id=doc_id,
        language=language,
        is_incident=incident,
        providers=[Provider(name=name) for name in providers],
        duration=Duration(seconds=hours * 3600, iso8601="PT1H", text="x") if hours is not None else None,
        root_cause=RootCause(text="x", category=category) if category else None,
    )


@pytest.fixture
def frames() -> dict[str, pd.DataFrame]:
    return reports_to_frames(
        [
            _report("a", "id", ["AWS"], 14, "config_change"),
            _report("b", "en", ["AWS", "Cloudflare"], 2.5, "config_change"),
            _report("c", "en", ["Cloudflare"], None, "dns"),
            _report("d", "en", ["AWS"], 100, None),
            _report("e", "id", ["PLN"], 3, "power", incident=False),
        ]
    )


def test_plots_incidents_per_provider_counts_incident_reports(frames: dict[str, pd.DataFrame]) -> None:
    assert plots.incidents_per_provider(frames).to_dict() == {"AWS": 3, "Cloudflare": 2}
    assert plots.incidents_per_provider(frames, only_incidents=False)["PLN"] == 1


def test_plots_duration_histogram_bins_hours(frames: dict[str, pd.DataFrame]) -> None:
    counts = plots.duration_histogram(frames["incidents"])
    assert len(counts) == len(plots.DURATION_BINS) - 1
    by_left = {interval.left: n for interval, n in counts.items()}
    assert by_left == {0: 0, 1: 1, 3: 1, 6: 0, 12: 1, 24: 0, 48: 0, 96: 1}


def test_plots_root_causes_by_language_lists_every_category(frames: dict[str, pd.DataFrame]) -> None:
    table = plots.root_causes_by_language(frames["incidents"])
    assert list(table.index) == list(ROOT_CAUSE_CATEGORIES)
    assert table.loc["config_change"].to_dict() == {"en": 1, "id": 1}
    assert table.loc["dns", "en"] == 1 and table.loc["power", "id"] == 1
    assert int(table.to_numpy().sum()) == 4  # the report without a root cause is not counted


def test_plots_draw_bars(frames: dict[str, pd.DataFrame]) -> None:
    ax = plots.plot_incidents_per_provider(frames)
    assert [bar.get_width() for bar in ax.patches] == [2, 3]  # drawn bottom up: most frequent on top
    ax = plots.plot_duration_distribution(frames["incidents"])
    assert sum(bar.get_height() for bar in ax.patches) == 4
    ax = plots.plot_root_causes_by_language(frames["incidents"])
    assert ax.get_title() == "Root causes by language"


@pytest.mark.parametrize(
    ("draw", "message"),
    [
        (lambda f: plots.plot_incidents_per_provider(f), "no provider found"),
        (lambda f: plots.plot_duration_distribution(f["incidents"]), "no duration found"),
        (lambda f: plots.plot_root_causes_by_language(f["incidents"]), "no root cause found"),
    ],
)
def test_plots_say_when_there_is_nothing_to_draw(draw, message: str) -> None:
    ax = draw(reports_to_frames([]))
    assert [text.get_text() for text in ax.texts] == [message]
