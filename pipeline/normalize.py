"""Turn raw input bytes into clean text: decoding, mojibake repair, HTML main-text extraction."""

from __future__ import annotations

import re
import unicodedata

import ftfy
from charset_normalizer import from_bytes

from pipeline.errors import DocErrors, DocumentError

_CONTROL_CHARS = {chr(c) for c in range(32)} - {"\n", "\r", "\t", "\f", "\v"}
_HTML_HINT_STR = re.compile(r"<\s*(?:!doctype\s+html|html|body|article|div|p)\b[^>]*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")
BINARY_CONTROL_RATIO = 0.05
"""Share of control characters above which a document is taken for binary data."""


def decode_bytes(data: bytes) -> tuple[str, bool]:
    """Decode bytes as UTF-8, else as the most likely encoding.

    Returns:
        The text, and whether a fallback encoding was needed.

    Raises:
        DocumentError: D002 for binary data, D006 when no encoding fits.
    """
    if _looks_binary(data):
        raise DocumentError(DocErrors.BINARY, "input looks like binary data, not text")
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise DocumentError(DocErrors.DECODE, "cannot decode the text in any known encoding")
    text = str(best)
    if _control_ratio(text) > BINARY_CONTROL_RATIO:
        raise DocumentError(DocErrors.BINARY, "input looks like binary data, not text")
    return text, True


def repair_text(text: str) -> tuple[str, bool]:
    """Fix mojibake (ftfy), normalise to NFC and to "\n" line ends, drop control characters.

    Returns:
        The clean text, and whether ftfy changed anything (mojibake or odd encodings).
    """
    fixed = ftfy.fix_text(text, normalization="NFC", unescape_html=False, uncurl_quotes=False)
    repaired = fixed != unicodedata.normalize("NFC", text)
    fixed = fixed.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in fixed if ch not in _CONTROL_CHARS), repaired


def looks_like_html(text: str) -> bool:
    """Whether a text field holds an HTML page or fragment rather than prose."""
    head = text[:2000]
    return bool(_HTML_HINT_STR.search(head)) and head.count("<") >= 3


def html_to_text(html: str) -> tuple[str, str | None] | None:
    """Extract the main text and title of an HTML page (trafilatura), or None when it has none."""
    import trafilatura  # deferred: heavy import, only needed for HTML input

    document = trafilatura.bare_extraction(html, include_comments=False, include_tables=False, with_metadata=True)
    if document is None:
        return None
    body = getattr(document, "text", None) or ""
    title = getattr(document, "title", None)
    body = "\n".join(_SPACES.sub(" ", line).strip() for line in body.splitlines())
    body = re.sub(r"\n{2,}", "\n", body).strip()
    if not body:
        return None
    text = f"{title}\n{body}" if title and not body.startswith(title) else body
    return unicodedata.normalize("NFC", text), title


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 11))
    return controls / len(sample) > BINARY_CONTROL_RATIO


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    if not sample:
        return 0.0
    return sum(1 for ch in sample if ch in _CONTROL_CHARS) / len(sample)
