"""insiden: structured, linked incident data from outage news and post-mortems (Indonesian, English).

Importing the package loads no model and touches no network; the API functions load
their pipelines on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "analyze", "analyze_many", "read_reports", "to_frames"]

if TYPE_CHECKING:
    from pipeline.api import analyze, analyze_many, read_reports, to_frames


def __getattr__(name: str) -> Any:
    if name in {"analyze", "analyze_many", "read_reports", "to_frames"}:
        from pipeline import api

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
