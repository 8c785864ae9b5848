"""Read one assessment file from disk into text lines, or fail with a clear InputError.

Handles UTF-8 (with or without BOM), UTF-16 (with its BOM, or without when it reads as an assessment), CP932/Shift_JIS (common from Japanese offices), PDF
(its ruled form read by pdfform: rows as tab-separated cells, each line with its page), and
refuses directories, empty, binary, oversized and non-assessment files with a message naming
the file and the problem.
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .text import is_blank, standard_ideographs, without_format_chars

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
    pages: tuple[int, ...] = ()  # page of each line of `text` (1-based) when the source has pages


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


def pdf_lines(path: Path) -> tuple[str, tuple[int, ...]]:
    """A PDF's form as text lines (ruled rows as tab-separated cells; see pdfform) and each line's page.

    Raises InputError for an encrypted, damaged or text-less (scanned) PDF, in one line.
    """
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    from .pdfform import read_pages

    noisy = [logging.getLogger(name) for name in ("pdfminer", "pdfplumber")]
    levels = [lg.level for lg in noisy]
    for lg in noisy:
        lg.setLevel(logging.ERROR)  # a damaged PDF makes pdfminer log hundreds of warnings
    try:
        with pdfplumber.open(path) as pdf:
            pages = read_pages(pdf)
    except (PdfminerException, PSException, PDFEncryptionError, ValueError, OSError, KeyError, TypeError,
            AttributeError, AssertionError) as exc:
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "encrypt" in str(cause).lower():
            raise InputError(path.name, "encrypted PDF (it has a password); give an unencrypted copy") from exc
        detail = str(cause) if not isinstance(cause, type) else cause.__name__
        raise InputError(path.name, f"unreadable PDF ({detail[:80] or type(cause).__name__}); "
                                    "re-save or re-download it") from exc
    finally:
        for lg, level in zip(noisy, levels):
            lg.setLevel(level)
    lines = [(p.number, line) for p in pages for line in p.lines]
    if not any(line.strip() for _, line in lines):
        raise InputError(path.name, "PDF has no text layer (scanned?); OCR it first")
    return "\n".join(line for _, line in lines), tuple(n for n, _ in lines)


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
    pages: tuple[int, ...] = ()
    if path.suffix.lower() == ".pdf" or data.startswith(b"%PDF"):
        (text, pages), encoding = pdf_lines(path), "pdf"
    else:
        text, encoding = decode(data, name)
    # radicals as ideographs; zero-width and other invisible format characters out (委\u200b託先 is 委託先)
    text = without_format_chars(standard_ideographs(text.replace("\r\n", "\n").replace("\r", "\n")))
    if all(is_blank(line) for line in text.split("\n")):
        raise InputError(name, "empty file (only blank lines)")
    if not any(marker in text for marker in PIA_MARKERS):
        raise InputError(name, "not a 特定個人情報保護評価書 (none of 特定個人情報/評価書/変更箇所 appears)")
    log.debug("read %s (%s, %d bytes)", name, encoding, size)
    return Source(name, text, hashlib.sha256(data).hexdigest(), encoding, pages)


def read_questions(path: Path) -> list[dict]:
    """The questions of a JSONL file, one {"id", "question", …} object a line. Raises InputError naming the
    file when it cannot be read or a line is not JSON."""
    try:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(str(path), f"cannot read questions ({exc}): give a JSONL file with id and question") from exc
