"""Embedding that scales out: worker processes give the vectors one process gives, and a build killed
mid-way resumes from the documents it had embedded (the real model, real files, a real kill)."""
from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from piaqa.embed_jobs import CACHE
from piaqa.indexer import build_index
from piaqa.retrieve import Index
from piaqa.store import read_generation, read_manifest

from .conftest import CORPUS, DOCS


@pytest.fixture
def two_docs(tmp_path, settings):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in (DOCS["saitama_nenkin"], DOCS["kyosai"]):
        shutil.copy(CORPUS / name, docs)
    return docs, settings.with_(index_dir=tmp_path / "index")


def test_worker_processes_embed_what_one_process_embeds(two_docs, embedder):
    docs, settings = two_docs
    report = build_index([docs], settings, embedder, workers=2)
    assert len(report.added) == 2 and report.wrote
    chunks, vectors = read_generation(settings.index_dir, read_manifest(settings.index_dir))
    mine = [i for i, c in enumerate(chunks) if c.doc == DOCS["kyosai"]]
    here = embedder.encode_documents([chunks[i].search_text for i in mine])
    assert np.allclose(np.asarray(vectors)[mine], here, atol=1e-4)
    assert not (settings.index_dir / CACHE).exists()  # emptied once the generation holds the vectors


def test_a_killed_build_resumes_from_the_documents_it_embedded(two_docs, embedder, caplog):
    docs, settings = two_docs
    env = {**os.environ, "PIAQA_INDEX": str(settings.index_dir), "PIAQA_CACHE": str(settings.cache_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "piaqa.cli", "index", str(docs)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cache = settings.index_dir / CACHE
    deadline = time.time() + 600
    while not list(cache.glob("*.npy")):  # the first document's vectors are saved
        assert proc.poll() is None and time.time() < deadline, "the build ended before caching a document"
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert not (settings.index_dir / "manifest.json").exists()  # nothing was switched to
    with caplog.at_level(logging.INFO, logger="piaqa.embed_jobs"):
        report = build_index([docs], settings, embedder)
    assert "resuming: 1 documents already embedded, 1 to go" in caplog.text
    assert len(report.added) == 2 and not cache.exists()
    hits = Index.load(settings=settings, embedder=embedder).search("さいたま市の委託先", k=1)
    assert hits and hits[0].chunk.doc == DOCS["saitama_nenkin"]


def test_embedding_on_a_ray_cluster_gives_the_same_vectors(two_docs, embedder):
    ray = pytest.importorskip("ray")
    docs, settings = two_docs
    (docs / DOCS["kyosai"]).unlink()
    try:
        report = build_index([docs], settings, embedder, ray_address="local")  # a cluster started here
    finally:
        ray.shutdown()
    assert report.added == (DOCS["saitama_nenkin"],)
    chunks, vectors = read_generation(settings.index_dir, read_manifest(settings.index_dir))
    here = embedder.encode_documents([c.search_text for c in chunks[:40]])
    assert np.allclose(np.asarray(vectors)[:40], here, atol=1e-4)
