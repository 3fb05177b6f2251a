"""Every kind of bad input in one batch: each document ends as a report or as an error with its reason."""

from __future__ import annotations

import gzip
import json
import random
import tracemalloc
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.io import Record, read_records

EN = (
    "Cloud outage hits banks\nA configuration change at a cloud provider caused an outage that took banking "
    "apps offline for about three hours on Monday, the company said."
)
ID = (
    "Gangguan layanan bank\nLayanan perbankan daring mati total selama sekitar tiga jam pada Senin (20/10/2025) "
    "akibat gangguan jaringan di pusat data."
)
CP1252 = "Gangguan “mati total” – layanan café di Surabaya lumpuh selama dua jam akibat kebakaran pusat data."
MOJIBAKE = "Layanan â€œmati totalâ€\x9d sejak pukul 07.00 akibat pemadaman listrik di pusat data Jakarta."
ARTICLE_HTML = (
    "<html><head><title>Cloud outage</title></head><body><nav>Home | World | Tech</nav><article>"
    "<h1>Cloud outage</h1><p>{}</p></article><footer>Copyright</footer></body></html>"
).format(" ".join(["The outage lasted about fourteen hours and affected many popular applications."] * 4))
GERMAN = "Der Ausfall dauerte mehrere Stunden und betraf viele Nutzer in ganz Europa, sagte das Unternehmen."
SWAHILI = "Kukatika kwa huduma ya mtandao kuliathiri wateja wengi jijini Nairobi siku ya Jumatatu kwa saa kadhaa."
MAX_BYTES = 2_000_000  # the CLI default


def _json_line(obj: dict) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def _gzip_stream(path: Path, head: bytes, filler: bytes, repeat: int) -> None:
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write(head)
        for _ in range(repeat):
            handle.write(filler)


def build_bad_batch(folder: Path) -> dict[str, tuple[str, str]]:
    """Write the batch; return what each input document must become: doc_id -> (code, reason part).

    A code starting with "W" (or "ok") means a report, with that warning; "D..." means an error.
    """
    folder.mkdir()
    archive = folder / "a_archive.jsonl"
    lines = [
        _json_line({"id": "good-en", "text": EN}),
        _json_line({"id": "good-id", "text": ID, "published": "2025-10-21"}),
        _json_line({"id": "empty", "text": ""}),
        _json_line({"id": "spaces", "text": " \n\t  "}),
        b'{"id": "broken", "text": "no closing quote',
        _json_line({"id": "no-text", "title": "Only a title"}),
        _json_line({"id": "not-a-string", "text": ["a", "list"]}),
        _json_line({"id": "html-field", "text": ARTICLE_HTML}),
        _json_line({"id": "german", "text": GERMAN}),
        _json_line({"id": "good-en", "text": ID}),  # duplicate id
        b'{"id": "binary", "text": "' + bytes(range(0, 10)) * 20 + b'"}',
        _json_line({"id": "cp1252-line", "text": CP1252}).decode("utf-8").encode("cp1252"),
        _json_line({"id": "mojibake", "text": MOJIBAKE}),
        _json_line({"id": "huge-line", "text": "kata " * 500_000}),
        b'{"id": "lone-surrogate-\\ud800", "text": "' + EN.replace("\n", " ").encode() + b'"}',
        b"",  # blank lines are not documents
    ]
    archive.write_bytes(b"\n".join(lines) + b"\n")
    (folder / "b_page.html").write_text(ARTICLE_HTML, encoding="utf-8")
    (folder / "c_cp1252.txt").write_bytes(CP1252.encode("cp1252"))
    (folder / "d_latin1.txt").write_bytes(("Pemadaman di Bogor – café " + GERMAN).encode("latin-1", "replace"))
    with (folder / "e_20mb.txt").open("wb") as handle:  # written in pieces: the test never holds 20 MB either
        for _ in range(20):
            handle.write(b"Layanan internet mati total. " * 36_158)
    _gzip_stream(folder / "f_bomb.txt.gz", b"", b"\0" * (1 << 20), 50)
    _gzip_stream(folder / "g_bomb.jsonl.gz", _json_line({"id": "bomb-first", "text": EN}) + b"\n", b" " * (1 << 20), 60)
    (folder / "h_binary.txt").write_bytes(random.Random(7).randbytes(4096))
    (folder / "i_empty.txt").write_bytes(b"")
    (folder / "j_whitespace.md").write_bytes(b"   \n\n\t \r\n")
    (folder / "k_swahili.txt").write_text(SWAHILI, encoding="utf-8")
    (folder / "l_truncated.txt.gz").write_bytes(gzip.compress(EN.encode() * 50)[:60])
    (folder / "m_image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (folder / "n_no_article.html").write_text(
        "<html><head><title>Login</title></head><body><script>var a = 1;</script></body></html>", encoding="utf-8"
    )
    a = str(archive)
    return {
        "good-en": ("ok", ""),
        "good-id": ("ok", ""),
        "empty": ("D005", "'text' is empty or not a string"),
        "spaces": ("D005", "'text' is empty or not a string"),
        f"{a}:5": ("D004", "invalid JSON"),
        "no-text": ("D005", "has no 'text' field"),
        "not-a-string": ("D005", "'text' is empty or not a string"),
        "html-field": ("W009", ""),
        "german": ("W001", ""),
        "good-en#dup": ("D008", "duplicate id 'good-en' (first seen at input position 0)"),
        f"{a}:11": ("D002", "binary data"),
        "cp1252-line": ("W004", ""),
        "mojibake": ("W004", ""),
        f"{a}:14": ("D003", f"line exceeds {MAX_BYTES} bytes"),
        "lone-surrogate-?": ("ok", ""),
        str(folder / "b_page.html"): ("W009", ""),
        str(folder / "c_cp1252.txt"): ("W004", ""),
        str(folder / "d_latin1.txt"): ("W004", ""),
        str(folder / "e_20mb.txt"): ("D003", f"size exceeds the limit of {MAX_BYTES} bytes"),
        str(folder / "f_bomb.txt.gz"): ("D009", "decompressed size exceeds"),
        "bomb-first": ("ok", ""),
        f"{folder / 'g_bomb.jsonl.gz'}:2": ("D009", "times the compressed size (a gzip bomb?); rest of file skipped"),
        str(folder / "h_binary.txt"): ("D002", "binary data"),
        str(folder / "i_empty.txt"): ("D001", "empty or whitespace only"),
        str(folder / "j_whitespace.md"): ("D001", "empty or whitespace only"),
        str(folder / "k_swahili.txt"): ("W001", ""),
        str(folder / "l_truncated.txt.gz"): ("D010", "cannot read"),
        str(folder / "m_image.png"): ("D010", "unsupported file type '.png'"),
        str(folder / "n_no_article.html"): ("D007", "no extractable main text"),
    }


@pytest.fixture(scope="module")
def bad_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[str, str]]]:
    folder = tmp_path_factory.mktemp("bad") / "in"
    return folder, build_bad_batch(folder)


def _read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_bad_input_every_document_ends_in_reports_or_errors(
    bad_batch: tuple[Path, dict[str, tuple[str, str]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, expected = bad_batch
    out, err = tmp_path / "reports.jsonl", tmp_path / "errors.jsonl"

    light = ["--components.incident_chain.classifier", "null"]  # no transformer: this is about the input
    code = main(["extract", str(folder), "-o", str(out), "--errors", str(err), "--workers", "1", *light])

    reports, errors = _read_lines(out), _read_lines(err)
    assert code == 1
    assert len(reports) + len(errors) == len(expected)  # count(in) = count(reports) + count(errors)
    seen_ids: set[str] = set()
    outcomes: dict[str, tuple[str, str]] = {}
    for error in errors:
        key = error["doc_id"] + ("#dup" if error["code"] == "D008" else "")
        outcomes[key] = (error["code"], error["reason"])
    for report in reports:
        codes = {w["code"] for w in report["warnings"]}
        outcomes[report["doc_id"]] = ("report", ",".join(sorted(codes)))
        seen_ids.add(report["doc_id"])
    assert outcomes.keys() == expected.keys()
    for doc_id, (want_code, want_reason) in expected.items():
        got_code, got_detail = outcomes[doc_id]
        if want_code.startswith("D"):
            assert (got_code, want_reason in got_detail) == (want_code, True), (doc_id, got_detail)
        else:
            assert got_code == "report", doc_id
            assert want_code == "ok" or want_code in got_detail.split(","), (doc_id, got_detail)
    positions = [e["position"] for e in errors]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert summary.startswith(f"insiden: {len(expected)} documents (0 done before resume), {len(reports)} reports")
    assert f"{len(errors)} errors" in summary


def test_bad_input_html_keeps_main_text_only(bad_batch: tuple[Path, dict[str, tuple[str, str]]]) -> None:
    folder, _ = bad_batch
    (page,) = read_records([folder / "b_page.html"])
    assert page.text is not None and "fourteen hours" in page.text and "Home | World" not in page.text


def test_bad_input_20mb_document_is_never_read_whole(bad_batch: tuple[Path, dict[str, tuple[str, str]]]) -> None:
    folder, _ = bad_batch
    tracemalloc.start()
    try:
        (record,) = read_records([folder / "e_20mb.txt"])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert record.error is not None and record.error.code == "D003"
    assert peak < 2 * MAX_BYTES  # at most the size limit plus one read chunk, never the 20 MB


@pytest.mark.parametrize(("name", "limit"), [("f_bomb.txt.gz", MAX_BYTES), ("g_bomb.jsonl.gz", MAX_BYTES)])
def test_bad_input_gzip_bomb_stops_early(
    bad_batch: tuple[Path, dict[str, tuple[str, str]]], name: str, limit: int
) -> None:
    folder, _ = bad_batch
    tracemalloc.start()
    try:
        records = list(read_records([folder / name], max_bytes=limit))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert records[-1].error is not None and records[-1].error.code == "D009"
    assert peak < 3 * limit  # the limit, plus the read buffers: never the 50-60 MB inside


def _fingerprint(record: Record) -> tuple:
    error = (record.error.code, record.error.reason) if record.error else None
    return record.position, record.doc_id, record.text, record.title, error, record.warnings


@pytest.mark.parametrize("skip", [1, 9, 10, 16, 21, 25, 40])
def test_bad_input_skipped_start_leaves_the_same_tail(
    bad_batch: tuple[Path, dict[str, tuple[str, str]]], skip: int
) -> None:
    folder, _ = bad_batch
    files = [p for p in sorted(folder.iterdir()) if p.name not in {"e_20mb.txt", "f_bomb.txt.gz", "g_bomb.jsonl.gz"}]
    full = [_fingerprint(r) for r in read_records(files)]
    assert [_fingerprint(r) for r in read_records(files, skip=skip)] == full[skip:]
