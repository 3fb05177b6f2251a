"""Small tables and matplotlib plots of report frames, for notebooks (`pipeline.export` frames in).

Causal graphs are drawn by `pipeline.graph_draw.draw`.

Each plot has a table function that computes what it draws (tested on its own), and draws
on the `ax` it is given or on a new figure. matplotlib is imported only when a plot is
drawn; it comes with the `notebook` extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pipeline.errors import Errors, InsidenError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

DURATION_BINS = (0, 1, 3, 6, 12, 24, 48, 96, float("inf"))
"""Edges of the duration histogram, in hours."""


def incidents_per_provider(frames: dict[str, pd.DataFrame], *, only_incidents: bool = True) -> pd.Series:
    """How many reports name each provider, most frequent first (index: provider name).

    Args:
        frames: `to_frames` output (its `providers` and `incidents` tables).
        only_incidents: count only reports the gate took for an incident.
    """
    providers = frames["providers"]
    if only_incidents:
        incident_ids = frames["incidents"].loc[frames["incidents"]["is_incident"], "doc_id"]
        providers = providers[providers["doc_id"].isin(incident_ids)]
    counts = providers.drop_duplicates(["doc_id", "name"])["name"].value_counts()
    counts.index.name = "provider"
    return counts.rename("reports").astype("int64")


def duration_histogram(incidents: pd.DataFrame) -> pd.Series:
    """Reports per duration bin (`DURATION_BINS`, hours); reports without a duration are left out."""
    hours = incidents["duration_hours"].dropna()
    binned = pd.cut(hours, bins=list(DURATION_BINS), right=False)
    return binned.value_counts(sort=False).rename("reports").astype("int64")


def root_causes_by_language(incidents: pd.DataFrame) -> pd.DataFrame:
    """Reports per root-cause category (rows, every category of the schema) and language (columns)."""
    table = pd.crosstab(incidents["root_cause_category"], incidents["language"].astype(object), dropna=False)
    table = table.reindex(incidents["root_cause_category"].cat.categories, fill_value=0)
    table.index.name, table.columns.name = "root_cause_category", "language"
    return table.astype("int64")


def plot_incidents_per_provider(frames: dict[str, pd.DataFrame], ax: Axes | None = None) -> Axes:
    """Horizontal bars: reports per provider."""
    ax = _axes(ax)
    counts = incidents_per_provider(frames)
    if counts.empty:
        return _empty(ax, "no provider found")
    counts.iloc[::-1].plot.barh(ax=ax, color="#4c72b0")
    ax.set_xlabel("reports")
    ax.set_title("Incidents per provider")
    return ax


def plot_duration_distribution(incidents: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Bars over duration bins; approximate and exact durations counted alike."""
    ax = _axes(ax)
    counts = duration_histogram(incidents)
    if counts.sum() == 0:
        return _empty(ax, "no duration found")
    labels = [
        f"{int(b.left)}–{int(b.right)} h" if b.right != float("inf") else f"≥ {int(b.left)} h" for b in counts.index
    ]
    ax.bar(labels, counts.to_numpy(), color="#55a868")
    ax.set_ylabel("reports")
    ax.set_title("Duration")
    ax.tick_params(axis="x", labelrotation=45)
    return ax


def plot_root_causes_by_language(incidents: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Stacked horizontal bars: root-cause categories found, split by language."""
    ax = _axes(ax)
    table = root_causes_by_language(incidents)
    table = table[table.sum(axis=1) > 0]
    if table.empty:
        return _empty(ax, "no root cause found")
    table.iloc[::-1].plot.barh(stacked=True, ax=ax)
    ax.set_xlabel("reports")
    ax.set_title("Root causes by language")
    return ax


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise InsidenError(Errors.E004.format(extra="notebook", what="plots")) from err
    return plt.figure().add_subplot()


def _empty(ax: Axes, message: str) -> Axes:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#888")
    ax.set_axis_off()
    return ax
