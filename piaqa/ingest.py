"""Read one assessment file from disk into text lines, or fail with a clear InputError.

Handles UTF-8 (with or without BOM), UTF-16 (with its BOM, or without when it reads as an assessment), CP932/Shift_JIS (common from Japanese offices), PDF
(text layer via pypdf, pages separated as in the PDF text dumps: three empty lines), and
refuses directories, empty, binary, oversized and non-assessment files with a message naming
the file and the problem.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .text import is_blank

log = logging.getLogger(__name__)

MAX_BYTES = 50 * 1024 * 1024
SUFFIXES = (".txt", ".pdf")
# Words every 特定個人情報保護評価書 (or its 変更箇所 annex) contains.
PIA_MARKERS = ("特定個人情報", "評価書", "変更箇所", "個人番号")
PAGE_BREAK = ["", "", ""]


@dataclass(frozen=True)
class Source:
    name: str  # file name, as citations refer to it
    text: str
    sha256: str
    encoding: str


def _garbled(text: str) -> bool:
    odd = sum(1 for ch in text if "\ue000" <= ch <= "\uf8ff" or (ord(ch) < 32 and ch not in "\t\n\r\f"))
    return odd * 100 > len(text)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode bytes as UTF-8, else CP932; anything else is an InputError.

    >>> decode("公表日".encode("cp932"), "x.txt")
    ('公表日', 'cp932')
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(name, "damaged UTF-16 text; re-save it as UTF-8") from exc
    if b"\x00" in data:
        for encoding in ("utf-16-le", "utf-16-be"):  # UTF-16 saved without its mark: known by what it says
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if any(marker in text for marker in PIA_MARKERS):
                return text, encoding
        raise InputError(name, "binary file or damaged text (NUL bytes inside), not a text assessment; "
                               "give the .txt or .pdf as published")
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp932" and _garbled(text):
            break  # CP932 maps almost any bytes to something: private-use and control characters tell
        return text, encoding.replace("-sig", "")
    raise InputError(name, "not UTF-8 or Shift_JIS/CP932 text; re-save it as UTF-8")


def pdf_text(path: Path) -> str:
    """The text layer of a PDF, pages separated by three empty lines (as in the text dumps)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    quiet = logging.getLogger("pypdf")
    level, quiet.level = quiet.level, logging.ERROR  # a damaged PDF makes pypdf log hundreds of warnings
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(path.name, "encrypted PDF (it has a password); give an unencrypted copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, OSError, KeyError, TypeError) as exc:
        encrypted = "encrypt" in str(exc).lower() or "AES" in str(exc) or "cryptography" in str(exc)
        raise InputError(path.name, "encrypted PDF; give an unencrypted copy" if encrypted
                         else f"unreadable PDF ({exc})") from exc
    finally:
        quiet.setLevel(level)
    if not any(p.strip() for p in pages):
        raise InputError(path.name, "PDF has no text layer (scanned?); OCR it first")
    return ("\n" + "\n".join(PAGE_BREAK) + "\n").join(p.strip("\n") for p in pages)


def read_source(path: Path, max_bytes: int = MAX_BYTES) -> Source:
    """Read and check one file. Raises InputError; never returns a half-read file."""
    name = path.name
    if not path.exists():
        raise InputError(str(path), "no such file")
    if path.is_dir():
        raise InputError(str(path), "is a directory; name the files in it (or use `piaqa index DIR`)")
    size = path.stat().st_size
    if size == 0:
        raise InputError(name, "empty file")
    if size > max_bytes:
        raise InputError(name, f"too large ({size:,} bytes > {max_bytes:,}); split it or raise the limit")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror})") from exc
    if path.suffix.lower() == ".pdf" or data.startswith(b"%PDF"):
        text, encoding = pdf_text(path), "pdf"
    else:
        text, encoding = decode(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if all(is_blank(line) for line in text.split("\n")):
        raise InputError(name, "empty file (only blank lines)")
    if not any(marker in text for marker in PIA_MARKERS):
        raise InputError(name, "not a 特定個人情報保護評価書 (none of 特定個人情報/評価書/変更箇所 appears)")
    log.debug("read %s (%s, %d bytes)", name, encoding, size)
    return Source(name, text, hashlib.sha256(data).hexdigest(), encoding)
