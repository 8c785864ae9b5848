"""The Milvus store on Milvus Lite (the real engine, in a file): the sample index moved into it without
re-embedding, searched with filters in the engine and hybrid RRF fusion, then updated and shrunk."""
from __future__ import annotations

import json
import shutil

import pytest

pytest.importorskip("pymilvus")

from piaqa.indexer import build_index  # noqa: E402
from piaqa.retrieve import Index  # noqa: E402
from piaqa.store import read_manifest  # noqa: E402
from piaqa.store.milvus import COLLECTION, client, expr, literal  # noqa: E402

from .conftest import CORPUS, DOCS  # noqa: E402

QUESTIONS = ("大分市の住基の委託先は？", "さいたま市の国民年金の保管期間は？", "千葉市の国年の再委託先", "共済の評価書番号は？",
             "Who is the contractor for the resident registry in Oita?", "特定個人情報ファイル名")


@pytest.fixture(scope="module")
def milvus(index, settings, embedder, tmp_path_factory):
    """The session's index copied and moved into Milvus Lite (the vectors reused), with its corpus."""
    folder = tmp_path_factory.mktemp("milvus")
    shutil.copytree(settings.index_dir, folder / "index")
    docs = folder / "docs"
    shutil.copytree(CORPUS, docs)
    own = settings.with_(index_dir=folder / "index", store="milvus-lite")
    report = build_index([docs], own, embedder)
    assert report.wrote and not report.added and not report.updated  # moved, not re-embedded
    return own, docs, Index.load(settings=own, embedder=embedder)


def test_the_moved_index_holds_every_passage(milvus, index):
    _, _, moved = milvus
    assert len(moved) == len(index) > 1000
    assert moved.store.name == "milvus" and index.store.name == "local"


@pytest.mark.parametrize("question", QUESTIONS)
def test_hybrid_search_in_milvus_ranks_as_the_local_store_does(milvus, index, question):
    _, _, moved = milvus
    local = [h.chunk.id for h in index.search(question, k=5)]
    remote = [h.chunk.id for h in moved.search(question, k=5)]
    assert len(set(local) & set(remote)) >= 4, (local, remote)
    assert local[0] == remote[0]


def test_filters_run_in_the_engine(milvus):
    _, _, moved = milvus
    hits = moved.search("委託先名", k=10, org="千葉市")
    assert hits and {h.chunk.org for h in hits} == {"千葉市"}
    hits = moved.search("委託先名", k=10, doc=DOCS["oita_juki"], history=False)
    assert hits and {h.chunk.doc for h in hits} == {DOCS["oita_juki"]} and not any(h.chunk.history for h in hits)
    only_log = [h for h in moved.search("変更箇所 変更前 変更後", k=20, org="大分市") if h.chunk.history]
    assert only_log  # the change log is there when asked for


def test_a_file_name_cannot_break_out_of_a_filter():
    assert literal('a" or gen >= 0 or doc == "b') == '"a\\" or gen >= 0 or doc == \\"b"'
    assert expr("doc in {d} and gen <= {g}", d=["x.txt", 'y"'], g=3) == 'doc in ["x.txt", "y\\""] and gen <= 3'


def test_an_update_adds_one_document_and_a_deletion_removes_it(milvus, embedder):
    settings, docs, before = milvus
    text = (CORPUS / DOCS["saitama_nenkin"]).read_text(encoding="utf-8").replace("さいたま市", "架空市")
    (docs / "extra.txt").write_text(text, encoding="utf-8")
    grown = build_index([docs], settings, embedder)
    assert grown.added == ("extra.txt",) and len(grown.unchanged) == 5
    meta = json.loads((settings.index_dir / read_manifest(settings.index_dir).generation / "milvus.json").read_text())
    assert meta["docs"]["extra.txt"][0] == meta["gen"]  # only the new document's rows were written
    assert {g for s, (g, _) in meta["docs"].items() if s != "extra.txt"} != {meta["gen"]}
    index = Index.load(settings=settings, embedder=embedder)
    hits = index.search("架空市の委託先は？", k=5)
    assert hits and {h.chunk.doc for h in hits} == {"extra.txt"}
    assert len(index) == len(before) + len(index.chunks_of("extra.txt"))

    (docs / "extra.txt").unlink()
    shrunk = build_index([docs], settings, embedder)
    assert shrunk.removed == ("extra.txt",)
    index = Index.load(settings=settings, embedder=embedder)
    assert len(index) == len(before)
    assert all(h.chunk.doc != "extra.txt" for h in index.search("架空市の委託先は？", k=20))
    rows = client(meta["uri"]).query(COLLECTION, filter=expr("doc == {d}", d="extra.txt"), output_fields=["count(*)"])
    assert rows[0]["count(*)"] == 0  # deleted in Milvus, not only hidden
