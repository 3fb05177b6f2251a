"""Streaming readers for input documents (JSONL, text, Markdown, HTML, gzip, stdin, folders).

`read_records(paths)` yields one `Record` per input document, in input order, and never
raises for a bad document: a document that cannot be read carries a `DocumentError`
instead of text, so the caller writes it to the errors file and goes on. Nothing is
read into memory beyond one document (or one JSONL line) at a time.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from pipeline.errors import DocErrors, DocumentError, Errors, InsidenError, Warnings
from pipeline.normalize import decode_bytes, html_to_text, looks_like_html, repair_text

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
DEFAULT_MAX_BYTES = 2_000_000
"""Largest document accepted, in bytes of raw input (after decompression)."""
READ_CHUNK = 1 << 16
MAX_GZIP_RATIO = 200
"""Past its first `max_bytes`, a gzip stream may not grow beyond this many times its compressed
size: text compresses about 3-10:1, a gzip bomb about 1000:1, so an archive of JSONL lines
(each of them under the size limit) is stopped before it is decompressed in full."""
_READ_ERRORS = (OSError, EOFError, zlib.error)


@dataclass(slots=True)
class Record:
    """One input document: its text and metadata, or the error that stopped it."""

    position: int
    doc_id: str
    source: str
    text: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None
    language: str | None = None
    error: DocumentError | None = None
    warnings: list[dict[str, str]] = field(default_factory=list)

    @property
    def meta(self) -> dict[str, object]:
        """Metadata carried through the pipeline next to the text."""
        return {
            "doc_id": self.doc_id,
            "source": self.source,
            "position": self.position,
            "title": self.title,
            "published": self.published,
            "url": self.url,
            "language": self.language,
            "warnings": list(self.warnings),
        }


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[str | Path]:
    """Expand folders (recursively, sorted, hidden files skipped) into the files they hold.

    Raises:
        InsidenError: E005 when a named path does not exist.
    """
    for raw in paths:
        if str(raw) == "-":
            yield "-"
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                rel_parts = child.relative_to(path).parts
                if not any(part.startswith(".") for part in rel_parts):
                    yield child
        elif path.exists():
            yield path
        else:
            raise InsidenError(Errors.E005.format(path=path))


def read_records(
    paths: Iterable[str | Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    skip: int = 0,
) -> Iterator[Record]:
    """Yield every document under `paths`, in order, each with a unique `doc_id`.

    Args:
        paths: files, folders (read recursively) or "-" for standard input.
        max_bytes: documents larger than this are refused with reason D003 (D009 for gzip).
        stdin: the stream "-" reads from (standard input by default).
        skip: leave out the first `skip` documents (a resumed run). They are only counted and
            their ids noted, for duplicates: no decoding repair or HTML extraction, and whole
            files are not even opened.
    """
    reader = RecordReader(max_bytes=max_bytes, skip=skip)
    for path in iter_input_files(paths):
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            records = reader.read_stream(stream, source="<stdin>")
        else:
            records = reader.read_file(Path(path))
        yield from (record for record in records if record.position >= skip)


class RecordReader:
    """Stateful reader: numbers documents and refuses duplicate ids.

    `read_records` drives it over files; `from_text` and `error` build one record from text
    already in memory (the Python API), through the same normalisation and id checks.
    """

    def __init__(self, *, max_bytes: int, skip: int = 0) -> None:
        self.max_bytes = max_bytes
        self.skip = skip
        self.position = 0
        self._seen_ids: dict[bytes, int] = {}

    def read_file(self, path: Path) -> Iterator[Record]:
        name = path.name.lower()
        compressed = name.endswith(".gz")
        inner = name[:-3] if compressed else name
        suffix = Path(inner).suffix
        source = _valid_utf8(str(path))
        if self.position < self.skip and suffix not in JSONL_SUFFIXES:
            self._pass_over(source)  # one document, whatever it holds, with the file name for id
            return
        if suffix not in SUPPORTED_SUFFIXES:
            yield self.error(source, source, DocErrors.UNREADABLE, f"unsupported file type '{suffix or name}'")
            return
        try:
            handle: BinaryIO = _GzipGuard(path, self.max_bytes) if compressed else path.open("rb")  # type: ignore[assignment]  # closed below
        except OSError as err:
            yield self.error(source, source, DocErrors.UNREADABLE, f"cannot open: {err}")
            return
        with handle:
            if suffix in JSONL_SUFFIXES:
                yield from self._read_jsonl(handle, source)
            else:
                yield self._read_whole(handle, source, html=suffix in HTML_SUFFIXES, compressed=compressed)

    def read_stream(self, stream: BinaryIO, *, source: str) -> Iterator[Record]:
        """Standard input: JSONL when it starts with '{', else one text document."""
        buffered = io.BufferedReader(stream) if not hasattr(stream, "peek") else stream
        head = buffered.peek(64)[:64].lstrip()  # type: ignore[attr-defined]
        if head.startswith(b"{"):
            yield from self._read_jsonl(buffered, source)
        else:
            yield self._read_whole(buffered, source, html=False, compressed=False)

    def _read_whole(self, handle: BinaryIO, source: str, *, html: bool, compressed: bool) -> Record:
        try:
            data = _read_capped(handle, self.max_bytes)
        except DecompressionBomb as err:
            return self.error(source, source, DocErrors.DECOMPRESSION_LIMIT, str(err))
        except _READ_ERRORS as err:
            return self.error(source, source, DocErrors.UNREADABLE, f"cannot read: {err}")
        if data is None:
            code = DocErrors.DECOMPRESSION_LIMIT if compressed else DocErrors.TOO_LARGE
            what = "decompressed size" if compressed else "size"
            return self.error(source, source, code, f"{what} exceeds the limit of {self.max_bytes} bytes")
        return self._from_bytes(data, doc_id=source, source=source, html=html)

    def _from_bytes(self, data: bytes, *, doc_id: str, source: str, html: bool) -> Record:
        try:
            text, repaired = decode_bytes(data)
        except DocumentError as err:
            return self.error(doc_id, source, err.code, err.reason)
        return self.from_text(text, doc_id=doc_id, source=source, html=html, repaired=repaired, fields={})

    def from_text(
        self, text: str, *, doc_id: str, source: str, html: bool, repaired: bool, fields: dict[str, object]
    ) -> Record:
        """A record from decoded text: HTML extracted, text repaired and checked, id claimed."""
        warnings: list[dict[str, str]] = []
        title = _opt_str(fields.get("title"))
        if html or looks_like_html(text):
            extracted = html_to_text(text)
            if extracted is None:
                return self.error(doc_id, source, DocErrors.HTML_EMPTY, "HTML page holds no extractable main text")
            text, html_title = extracted
            title = title or html_title
            warnings.append({"code": Warnings.W009, "message": "main text extracted from HTML"})
        text, fixed = repair_text(text)
        if repaired or fixed:
            warnings.append({"code": Warnings.W004, "message": "text encoding or mojibake repaired"})
        if not text.strip():
            return self.error(doc_id, source, DocErrors.EMPTY, "document is empty or whitespace only")
        if title is None and "title" not in fields:
            title = text.lstrip().split("\n", 1)[0].strip()[:300] or None
        duplicate_of = self._claim_id(doc_id)
        if duplicate_of is not None:
            reason = f"duplicate id '{doc_id}' (first seen at input position {duplicate_of})"
            return self.error(doc_id, source, DocErrors.DUPLICATE_ID, reason, claim=False)
        record = Record(
            position=self._next_position(),
            doc_id=doc_id,
            source=source,
            text=text,
            title=title,
            published=_opt_str(fields.get("published")),
            url=_opt_str(fields.get("url")),
            language=_opt_str(fields.get("language")),
            warnings=warnings,
        )
        return record

    def _read_jsonl(self, handle: BinaryIO, source: str) -> Iterator[Record]:
        line_no = 0
        while True:
            fallback_id = f"{source}:{line_no + 1}"
            try:
                line = handle.readline(self.max_bytes + 1)
                if len(line) > self.max_bytes:
                    _skip_rest_of_line(handle)
            except DecompressionBomb as err:
                yield self.error(fallback_id, source, DocErrors.DECOMPRESSION_LIMIT, f"{err}; rest of file skipped")
                return
            except _READ_ERRORS as err:
                yield self.error(fallback_id, source, DocErrors.UNREADABLE, f"cannot read: {err}")
                return
            if not line:
                return
            line_no += 1
            if len(line) > self.max_bytes:
                yield self.error(fallback_id, source, DocErrors.TOO_LARGE, f"line exceeds {self.max_bytes} bytes")
                continue
            if not line.strip() or (self.position < self.skip and self._pass_over_json_line(line, fallback_id)):
                continue
            yield self._record_from_json_line(line, fallback_id, source)

    def _record_from_json_line(self, line: bytes, fallback_id: str, source: str) -> Record:
        try:
            decoded, repaired = decode_bytes(line)
            obj = json.loads(decoded)
        except DocumentError as err:
            return self.error(fallback_id, source, err.code, err.reason)
        except json.JSONDecodeError as err:
            return self.error(fallback_id, source, DocErrors.BAD_JSON, f"invalid JSON: {err.msg} at column {err.colno}")
        if not isinstance(obj, dict):
            return self.error(fallback_id, source, DocErrors.BAD_JSON, "JSON line is not an object")
        doc_id = _opt_str(obj.get("id")) or fallback_id
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            what = "has no 'text' field" if text is None else "'text' is empty or not a string"
            return self.error(doc_id, source, DocErrors.NO_TEXT, f"record {what}")
        return self.from_text(text, doc_id=doc_id, source=source, html=False, repaired=repaired, fields=obj)

    def _pass_over(self, doc_id: str) -> None:
        # What every path through _from_text and _error does to the reader's state.
        self._claim_id(doc_id)
        self._next_position()

    def _pass_over_json_line(self, line: bytes, fallback_id: str) -> bool:
        """Count a skipped JSON line; False when it needs the full path (it is not clean UTF-8 JSON)."""
        if b"\0" in line:  # json.loads would take it for UTF-16; the full path refuses it as binary
            return False
        try:
            obj = json.loads(line)
        except ValueError:  # invalid JSON or not UTF-8: rare, and the full path knows the id
            return False
        self._pass_over((_opt_str(obj.get("id")) if isinstance(obj, dict) else None) or fallback_id)
        return True

    def _claim_id(self, doc_id: str) -> int | None:
        key = hashlib.blake2b(doc_id.encode("utf-8", "surrogatepass"), digest_size=12).digest()
        if key in self._seen_ids:
            return self._seen_ids[key]
        self._seen_ids[key] = self.position
        return None

    def _next_position(self) -> int:
        self.position += 1
        return self.position - 1

    def error(self, doc_id: str, source: str, code: str, reason: str, *, claim: bool = True) -> Record:
        """A refused document's record (its id claimed unless `claim` is false)."""
        if claim:
            self._claim_id(doc_id)
        return Record(position=self._next_position(), doc_id=doc_id, source=source, error=DocumentError(code, reason))


def _read_capped(handle: BinaryIO, limit: int) -> bytes | None:
    """Read at most `limit` bytes; None when the stream holds more (a gzip bomb stops here)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := handle.read(READ_CHUNK):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _skip_rest_of_line(handle: BinaryIO) -> None:
    while True:
        chunk = handle.readline(READ_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def _opt_str(value: object) -> str | None:
    if value is None:
        return None
    text = _valid_utf8(str(value)).strip()
    return text or None


def _valid_utf8(text: str) -> str:
    # Lone surrogates ("\ud800" in JSON, undecodable bytes in file names) cannot be written
    # as UTF-8 and would stop the whole batch at serialisation: replace them.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


class DecompressionBomb(OSError):
    """A gzip stream grew past its size or ratio limit."""


class _GzipGuard:
    """A gzip file that stops when it decompresses out of proportion to its compressed size."""

    def __init__(self, path: Path, max_bytes: int) -> None:
        self._raw = path.open("rb")
        self._gzip = gzip.GzipFile(fileobj=self._raw, mode="rb")
        self._free = max_bytes
        self._out = 0

    def read(self, size: int = -1) -> bytes:
        return self._checked(self._gzip.read(size))

    def readline(self, size: int = -1) -> bytes:
        return self._checked(self._gzip.readline(size))

    def _checked(self, data: bytes) -> bytes:
        self._out += len(data)
        if self._out > self._free and self._out > MAX_GZIP_RATIO * max(self._raw.tell(), 1):
            raise DecompressionBomb(
                f"decompressed size exceeds {MAX_GZIP_RATIO} times the compressed size (a gzip bomb?)"
            )
        return data

    def close(self) -> None:
        self._gzip.close()
        self._raw.close()

    def __enter__(self) -> _GzipGuard:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_jsonl_line(handle: io.TextIOBase, obj: dict | str) -> None:
    """Write one whole JSON line and flush it, so a killed run leaves no partial line."""
    line = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False, sort_keys=False)
    handle.write(line + "\n")
    handle.flush()
