"""Validate report files against the published JSON Schema (not only the pydantic models)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.schema import json_schema

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator


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


@lru_cache(maxsize=1)
def report_validator() -> Draft202012Validator:
    """A validator of one report object against the published JSON Schema (built once)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json_schema())


def report_problems(report: object, *, where: str = "<report>") -> list[str]:
    """Every way one report object (parsed JSON) breaks the published schema, as '<where>: <path>: <message>'."""
    return [
        f"{where}: {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in report_validator().iter_errors(report)
    ]
