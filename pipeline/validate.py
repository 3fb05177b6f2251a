"""Validate report files against the published JSON Schema (not only the pydantic models)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from pipeline.schema import json_schema


def validate_reports(paths: Iterable[str | Path]) -> list[str]:
    """Every problem found in the JSONL report files, as '<file>:<line>: <message>'."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(json_schema())
    problems: list[str] = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line_no, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    report = json.loads(line)
                except json.JSONDecodeError as err:
                    problems.append(f"{path}:{line_no}: not JSON: {err.msg}")
                    continue
                problems.extend(
                    f"{path}:{line_no}: {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
                    for e in validator.iter_errors(report)
                )
    return problems
