"""Readers: every input document becomes a record with text or with a coded error."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import DocErrors, InsidenError
from pipeline.io import read_records

ARTICLE_EN = (
    "Cloud outage hits banks\nA failure at a cloud provider took banking apps offline for three hours on Monday."
)
ARTICLE_ID = "Gangguan layanan bank\nLayanan perbankan mati total selama sekitar tiga jam pada Senin (20/10/2025)."


def _write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_io_reads_text_file_with_title_from_first_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.txt", ARTICLE_EN)
    (record,) = read_records([path])
    assert record.error is None
    assert record.text == ARTICLE_EN
    assert record.title == "Cloud outage hits banks"
    assert record.doc_id == str(path)
    assert record.position == 0


def test_io_reads_jsonl_records_with_metadata(tmp_path: Path) -> None:
    lines = [
        {"id": "a1", "text": ARTICLE_ID, "title": "Gangguan", "published": "2025-10-21", "url": "https://x.test/a"},
        {"text": ARTICLE_EN, "language": "en"},
    ]
    path = _write(tmp_path / "docs.jsonl", "\n".join(json.dumps(line) for line in lines) + "\n")
    first, second = read_records([path])
    assert (first.doc_id, first.title, first.published, first.url) == (
        "a1",
        "Gangguan",
        "2025-10-21",
        "https://x.test/a",
    )
    assert second.doc_id == f"{path}:2"
    assert second.language == "en"
    assert [first.position, second.position] == [0, 1]


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (b'{"id": "x", "text": "unterminated', DocErrors.BAD_JSON),
        (b"[1, 2, 3]", DocErrors.BAD_JSON),
        (b'{"id": "y"}', DocErrors.NO_TEXT),
        (b'{"id": "z", "text": "   "}', DocErrors.NO_TEXT),
        (b'{"id": "w", "text": 42}', DocErrors.NO_TEXT),
    ],
)
def test_io_bad_jsonl_line_becomes_error_and_reading_goes_on(tmp_path: Path, line: bytes, code: str) -> None:
    good = json.dumps({"id": "ok", "text": ARTICLE_EN}).encode()
    path = _write(tmp_path / "docs.jsonl", line + b"\n" + good + b"\n")
    bad, ok = read_records([path])
    assert bad.error is not None and bad.error.code == code
    assert ok.error is None and ok.doc_id == "ok"


def test_io_duplicate_id_is_refused_with_first_position(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "same", "text": ARTICLE_EN}), json.dumps({"id": "same", "text": ARTICLE_ID})]
    path = _write(tmp_path / "d.jsonl", "\n".join(lines))
    first, second = read_records([path])
    assert first.error is None
    assert second.error is not None and second.error.code == DocErrors.DUPLICATE_ID
    assert "position 0" in second.error.reason


def test_io_empty_binary_and_unsupported_files_are_errors(tmp_path: Path) -> None:
    _write(tmp_path / "a_empty.txt", "  \n\t ")
    _write(tmp_path / "b_binary.txt", bytes(range(256)) * 10)
    _write(tmp_path / "c_image.png", b"\x89PNG\r\n")
    codes = [r.error.code for r in read_records([tmp_path]) if r.error]
    assert codes == [DocErrors.EMPTY, DocErrors.BINARY, DocErrors.UNREADABLE]


def test_io_repairs_latin1_and_mojibake(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "Gangguan di Surabaya — café".encode("latin-1", errors="replace"))
    _write(tmp_path / "b.txt", "Layanan â€œmati totalâ€\x9d sejak pukul 07.00")
    latin, mojibake = read_records([tmp_path])
    assert latin.error is None and "caf" in latin.text and "Surabaya" in latin.text
    assert mojibake.text == "Layanan \u201cmati total\u201d sejak pukul 07.00"
    assert any(w["code"] == "W004" for w in mojibake.warnings)


def test_io_html_main_text_is_extracted(tmp_path: Path) -> None:
    body = " ".join(["The outage lasted about fourteen hours and affected many popular applications."] * 4)
    html = (
        "<html><head><title>Cloud outage</title></head><body><nav>Home | World | Tech</nav>"
        f"<article><h1>Cloud outage</h1><p>{body}</p></article><footer>Copyright</footer></body></html>"
    )
    (record,) = read_records([_write(tmp_path / "page.html", html)])
    assert record.error is None
    assert "fourteen hours" in record.text
    assert "Home | World" not in record.text
    assert record.title == "Cloud outage"


def test_io_gzip_and_gzip_bomb(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt.gz", gzip.compress(ARTICLE_EN.encode()))
    _write(tmp_path / "b.txt.gz", gzip.compress(b"a" * 5_000_000))
    ok, bomb = read_records([tmp_path], max_bytes=1_000_000)
    assert ok.text == ARTICLE_EN
    assert bomb.error is not None and bomb.error.code == DocErrors.DECOMPRESSION_LIMIT


def test_io_oversized_document_is_refused(tmp_path: Path) -> None:
    (record,) = read_records([_write(tmp_path / "big.txt", "kata " * 300_000)], max_bytes=1_000_000)
    assert record.error is not None and record.error.code == DocErrors.TOO_LARGE


def test_io_stdin_jsonl_and_plain_text() -> None:
    jsonl = io.BytesIO(b'{"id": "s1", "text": "Layanan mati"}\n{"id": "s2", "text": "Service down"}\n')
    assert [r.doc_id for r in read_records(["-"], stdin=jsonl)] == ["s1", "s2"]
    (plain,) = read_records(["-"], stdin=io.BytesIO(ARTICLE_ID.encode()))
    assert plain.text == ARTICLE_ID and plain.doc_id == "<stdin>"


def test_io_missing_path_raises() -> None:
    with pytest.raises(InsidenError, match="E005"):
        list(read_records(["/nonexistent/file.txt"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".jsonl", ".html", ".md"]))
def test_io_never_raises_on_arbitrary_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = _write(tmp_path / f"doc{suffix}", data)
    for record in read_records([path]):
        assert (record.text is None) != (record.error is None)
        if record.text is not None:
            assert record.text.strip()
