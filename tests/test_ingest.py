"""Bad input gets a one-line error naming the file and the problem, never a traceback."""
from __future__ import annotations

import subprocess
import sys

import pytest

from piaqa.errors import InputError
from piaqa.parse import parse_file

from .conftest import CORPUS, DOCS
from .pdfdraw import text_pdf


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "piaqa.cli", *args], capture_output=True, text=True)


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b""), "empty file"),
    (lambda p: p.write_text("\n \u3000\n", encoding="utf-8"), "empty file (only blank lines)"),
    (lambda p: p.write_bytes(b"\x89PNG\x00\x00\x01"), "binary file"),
    (lambda p: p.write_bytes(b"\xfa\xfb\xfc\xfd\x80"), "not UTF-8 or Shift_JIS/CP932"),
    (lambda p: p.write_text("今日は良い天気です。", encoding="utf-8"), "not a 特定個人情報保護評価書"),
    (lambda p: p.write_text("特定個人情報の取扱いについてのお知らせ", encoding="utf-8"), "no assessment structure found"),
])
def test_bad_files(tmp_path, make, message):
    path = tmp_path / "bad.txt"
    make(path)
    with pytest.raises(InputError) as err:
        parse_file(path)
    assert message in str(err.value)
    assert "bad.txt" in str(err.value)
    result = run_cli("parse", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith("piaqa: error: bad.txt: ") and message in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_and_directory(tmp_path):
    result = run_cli("parse", str(tmp_path / "nope.txt"), str(tmp_path))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [f"piaqa: error: {tmp_path / 'nope.txt'}: no such file",
                     f"piaqa: error: {tmp_path}: is a directory; name the files in it (or use `piaqa index DIR`)"]


def test_cp932_file_is_read_correctly(tmp_path):
    text = (CORPUS / DOCS["oita_juki"]).read_text(encoding="utf-8")
    path = tmp_path / "sjis.txt"
    path.write_bytes(text.encode("cp932", errors="replace"))
    doc = parse_file(path)
    assert (doc.org, doc.affair, doc.number) == ("大分市", "住民基本台帳に関する事務", "1")


def test_crlf_and_bom(tmp_path):
    text = (CORPUS / DOCS["oita_juki"]).read_text(encoding="utf-8")
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert parse_file(path).published == "令和7年9月2日"


def test_huge_file_is_refused(tmp_path):
    from piaqa.ingest import read_source

    path = tmp_path / "huge.txt"
    path.write_text("特定個人情報" * 1000, encoding="utf-8")
    with pytest.raises(InputError, match="too large"):
        read_source(path, max_bytes=1000)


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = run_cli("parse", "--outline", str(bad), str(CORPUS / DOCS["oita_juki"]))
    assert result.returncode == 2
    assert "bad.txt: empty file" in result.stderr
    assert "大分市 / 住民基本台帳に関する事務" in result.stdout


def test_pdf_text_layer_is_read(tmp_path):
    from piaqa.ingest import read_source

    path = tmp_path / "scan.pdf"
    path.write_bytes(text_pdf("Privacy impact assessment"))
    with pytest.raises(InputError, match="not a 特定個人情報保護評価書"):
        read_source(path)  # read through the PDF path, then refused for what it says
    path.write_bytes(text_pdf(None))
    with pytest.raises(InputError, match="no text layer"):
        read_source(path)
    path.write_bytes(b"%PDF-1.4 broken")
    with pytest.raises(InputError, match="unreadable PDF|no text layer"):
        read_source(path)


def test_utf16_is_read_with_or_without_its_bom(tmp_path):
    text = (CORPUS / DOCS["oita_juki"]).read_text(encoding="utf-8")
    with_bom = tmp_path / "utf16.txt"
    with_bom.write_bytes(text.encode("utf-16"))  # a BOM, then UTF-16 (what Windows Notepad saves)
    assert parse_file(with_bom).org == parse_file(CORPUS / DOCS["oita_juki"]).org == "大分市"
    bare = tmp_path / "bare.txt"
    bare.write_bytes(text.encode("utf-16-le"))
    assert parse_file(bare).org == "大分市"  # no mark, but it reads as an assessment


def test_nul_bytes_anywhere_are_refused(tmp_path):
    data = (CORPUS / DOCS["oita_juki"]).read_bytes()
    path = tmp_path / "nul.txt"
    path.write_bytes(data[:20000] + b"\x00\x00" + data[20000:])  # far past the first 8 KB
    with pytest.raises(InputError, match="NUL bytes inside"):
        parse_file(path)


def test_encrypted_pdf_gets_one_line(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="user", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as f:
        writer.write(f)
    result = run_cli("parse", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "piaqa: error: locked.pdf: encrypted PDF (it has a password); give an unencrypted copy"
