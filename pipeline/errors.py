"""Coded error and warning messages, so they can be grepped and tested."""

from __future__ import annotations


class InsidenError(Exception):
    """An error raised by insiden, with a coded message."""


class DocumentError(InsidenError):
    """One input document cannot be turned into a report; the batch goes on."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (type(self), (self.code, self.reason))


class Errors:
    """Error messages, one code each."""

    E001 = "E001: no language data file at {path}"
    E002 = "E002: language data file {path} is invalid: {err}"
    E003 = "E003: no pipeline is configured for language '{lang}'"
    E004 = "E004: the '{extra}' extra is needed for {what}: pip install \"insiden[{extra}]\""
    E005 = "E005: input path {path} does not exist"
    E006 = "E006: spaCy model '{name}' is not installed; run `make install` or pip install {package}"
    E007 = "E007: cannot resume: no checkpoint {path} (the run finished, or never started)"
    E008 = "E008: cannot resume: inputs or settings differ from the interrupted run"
    E009 = "E009: unknown argument {arg!r} (config overrides look like --section.key value)"
    E010 = "E010: no gold documents under {path}"
    E011 = "E011: cannot reach the Dask scheduler at {address}: {err}"
    E012 = "E012: output {output} lies among the inputs ({path}); write it elsewhere"
    E013 = "E013: a worker process died ({err}); out of memory? The output is kept: rerun with --resume"
    E014 = "E014: component '{name}' needs `model`: a local model directory or a hub name"
    E020 = "E020: unknown graph format {fmt!r} (one of {choices})"
    E021 = "E021: no report with doc_id {doc_id!r} in {path}"
    E030 = "E030: report breaks the published JSON Schema:\n{problems}"
    E031 = "E031: {where}: {problem}"
    E032 = "E032: unknown export format {fmt!r}; choose one of {choices}"
    E101 = "E101: no causal model metadata at {path}; run `make train-causal`"
    E102 = "E102: {path} names no causal model directory for language '{lang}'"
    E103 = "E103: unknown causal backend '{backend}' in {path}; known: {known}"
    E104 = "E104: causal model {path} was trained on {expected}, but {found} is installed"
    E105 = "E105: trained tensor '{key}' matches no weight of the base model"
    E106 = "E106: unknown precision '{name}' for the causal classifier (use one of: {allowed})"


class DocErrors:
    """Reasons a single document is refused (codes that land in the errors file)."""

    EMPTY = "D001"
    BINARY = "D002"
    TOO_LARGE = "D003"
    BAD_JSON = "D004"
    NO_TEXT = "D005"
    DECODE = "D006"
    HTML_EMPTY = "D007"
    DUPLICATE_ID = "D008"
    DECOMPRESSION_LIMIT = "D009"
    UNREADABLE = "D010"
    PIPELINE = "D011"


class Warnings:
    """Report warnings: what the pipeline could not do for a document."""

    W001 = "W001"  # language not supported: report carries the language only
    W002 = "W002"  # language detection uncertain (short text), fallback used
    W003 = "W003"  # relative date left unresolved: no published date
    W004 = "W004"  # text was repaired (encoding or mojibake)
    W005 = "W005"  # document truncated to the size limit
    W006 = "W006"  # no duration stated
    W007 = "W007"  # no root cause found
    W008 = "W008"  # paragraphs in another language than the document
    W009 = "W009"  # main text extracted from HTML
