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


@pytest.fixture(scope="session")
def settings(tmp_path_factory):
    """Real settings: the embedded default model (built once into the user cache), a fresh index."""
    import os

    from piaqa.settings import Settings

    base = Settings()
    cache = Path(os.environ["PIAQA_CACHE"]) if os.environ.get("PIAQA_CACHE") else base.cache_dir
    return Settings(cache_dir=cache, index_dir=tmp_path_factory.mktemp("index") / "index")


@pytest.fixture(scope="session")
def embedder(settings):
    from piaqa.embed import Embedder

    return Embedder(settings)


@pytest.fixture(scope="session")
def index(settings, embedder):
    """The sample corpus indexed once with the real model, tokenizer, FAISS and BM25."""
    from piaqa.indexer import build_index
    from piaqa.retrieve import Index

    report = build_index([CORPUS], settings, embedder)
    assert report.wrote and len(report.added) == 5 and not report.failed
    return Index.load(settings=settings, embedder=embedder)


HEAVY_FIXTURES = frozenset({"index", "embedder", "small", "app_url", "page"})  # build the model or an index


def pytest_collection_modifyitems(items):
    """Every test that builds the embedded model or an index is `slow`: `pytest -m 'not slow'` is the fast tier."""
    for item in items:
        if HEAVY_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
