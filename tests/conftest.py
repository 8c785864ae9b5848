from __future__ import annotations

from pathlib import Path

import pytest

from piaqa.parse import parse_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DOCS = {
    "oita_nenkin": "000_e1b5c79a0a16442b.txt",
    "kyosai": "001_675be51d46295d1f.txt",
    "chiba_nenkin": "002_36f852d2897e428a.txt",
    "saitama_nenkin": "003_29360f64495ac016.txt",
    "oita_juki": "004_10828c4da8499198.txt",
}


@pytest.fixture(scope="session")
def parsed():
    """Every corpus document, parsed once."""
    return {name: parse_file(CORPUS / file) for name, file in DOCS.items()}
