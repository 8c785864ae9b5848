"""The persistent index: incremental updates, bad files, and crashes that leave the old index usable."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from piaqa.errors import IndexMissing
from piaqa.indexer import build_index
from piaqa.retrieve import Index
from piaqa.store import read_generation, read_manifest

from .conftest import CORPUS, DOCS


@pytest.fixture
def small(tmp_path, settings):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(CORPUS / DOCS["saitama_nenkin"], docs)
    return docs, settings.with_(index_dir=tmp_path / "index")


def vectors_of(settings, source):
    manifest = read_manifest(settings.index_dir)
    chunks, vectors = read_generation(settings.index_dir, manifest)
    return vectors[[i for i, c in enumerate(chunks) if c.doc == source]]


def test_incremental_updates(small, embedder):
    docs, settings = small
    first = build_index([docs], settings, embedder)
    assert first.added == (DOCS["saitama_nenkin"],) and first.wrote
    before = vectors_of(settings, DOCS["saitama_nenkin"])

    again = build_index([docs], settings, embedder)
    assert again.unchanged == (DOCS["saitama_nenkin"],) and not again.wrote

    extra = docs / "extra.txt"  # a second document: the first keeps its vectors
    text = (CORPUS / DOCS["saitama_nenkin"]).read_text(encoding="utf-8").replace("さいたま市", "架空市")
    extra.write_text(text, encoding="utf-8")
    grown = build_index([docs], settings, embedder)
    assert grown.added == ("extra.txt",) and grown.unchanged == (DOCS["saitama_nenkin"],)
    assert np.array_equal(before, vectors_of(settings, DOCS["saitama_nenkin"]))
    assert {d.source for d in read_manifest(settings.index_dir).documents} == {"extra.txt", DOCS["saitama_nenkin"]}

    extra.write_text(text + "\n追記", encoding="utf-8")
    assert build_index([docs], settings, embedder).updated == ("extra.txt",)

    extra.unlink()
    shrunk = build_index([docs], settings, embedder)
    assert shrunk.removed == ("extra.txt",)
    assert [d.source for d in read_manifest(settings.index_dir).documents] == [DOCS["saitama_nenkin"]]
    current = read_manifest(settings.index_dir).generation
    kept = sorted(p.name for p in settings.index_dir.glob("gen-*"))
    assert len(kept) == 2 and kept[-1] == current  # older ones are tidied up; the previous stays for recovery


def test_unreadable_file_is_skipped_and_keeps_what_was_indexed(small, embedder):
    docs, settings = small
    build_index([docs], settings, embedder)
    bad = docs / "broken.txt"
    bad.write_bytes(b"\x00\x01binary")
    report = build_index([docs], settings, embedder)
    assert report.failed and "binary file" in report.failed[0][1]
    target = docs / DOCS["saitama_nenkin"]
    target.write_bytes(b"")  # the indexed document becomes unreadable: its previous version stays
    report = build_index([docs], settings, embedder)
    assert any("empty file" in message for _, message in report.failed)
    assert [d.source for d in read_manifest(settings.index_dir).documents] == [DOCS["saitama_nenkin"]]
    assert Index.load(settings=settings, embedder=embedder).search("さいたま市の委託先", k=1)


def test_missing_index_names_the_fix(tmp_path, settings):
    with pytest.raises(IndexMissing, match="run `piaqa index` first"):
        Index.load(settings=settings.with_(index_dir=tmp_path / "nowhere"))


def test_leftovers_of_a_crash_do_not_break_loading(small, embedder):
    docs, settings = small
    build_index([docs], settings, embedder)
    (settings.index_dir / ".gen-000009.tmp").mkdir()  # a half-written generation
    (settings.index_dir / ".gen-000009.tmp" / "chunks.jsonl").write_text("{broken", encoding="utf-8")
    (settings.index_dir / ".manifest.json.tmp").write_text("{", encoding="utf-8")
    assert Index.load(settings=settings, embedder=embedder).search("さいたま市の委託先", k=1)
    assert build_index([docs], settings, embedder, rebuild=True).wrote


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["killed", "ctrl-c"])
def test_killed_build_leaves_previous_index_usable(small, embedder, sig):
    docs, settings = small
    build_index([docs], settings, embedder)
    manifest = (settings.index_dir / "manifest.json").read_text(encoding="utf-8")
    for name in ("002_36f852d2897e428a.txt", "004_10828c4da8499198.txt"):  # enough work to be killed mid-way
        shutil.copy(CORPUS / name, docs)
    env = {**os.environ, "PIAQA_INDEX": str(settings.index_dir), "PIAQA_CACHE": str(settings.cache_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "piaqa.cli", "index", str(docs)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen = ""
    while "embed" not in seen:  # wait until the embedding has started (its progress bar)
        char = proc.stderr.read(1)
        assert char, f"the build ended before embedding: {seen[-500:]}"
        seen += char
    time.sleep(3)  # well inside the embedding of hundreds of chunks
    proc.send_signal(sig)
    rest = proc.communicate(timeout=120)[1]
    if sig == signal.SIGINT:  # Ctrl-C: said, with the exit code of an interrupted command
        assert proc.returncode == 130 and "piaqa: interrupted; the index is unchanged" in rest
    assert (settings.index_dir / "manifest.json").read_text(encoding="utf-8") == manifest
    hits = Index.load(settings=settings, embedder=embedder).search("さいたま市の委託先", k=1)
    assert hits and hits[0].chunk.doc == DOCS["saitama_nenkin"]


def test_a_new_pipeline_re_reads_every_indexed_document(small, embedder, tmp_path):
    """After an upgrade (another model or parsing code), adding one file keeps every document indexed
    before: they are re-read from their files, not dropped."""
    docs, settings = small
    build_index([docs], settings, embedder)
    manifest_path = settings.index_dir / "manifest.json"
    data = json.loads(manifest_path.read_text(encoding="utf-8"))
    data["model"]["pipeline"] = "an-older-pipeline"
    manifest_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    extra = other / "extra.txt"
    extra.write_text((CORPUS / DOCS["saitama_nenkin"]).read_text(encoding="utf-8").replace("さいたま市", "架空市"),
                     encoding="utf-8")
    report = build_index([extra], settings, embedder)
    assert report.added == ("extra.txt",) and report.updated == (DOCS["saitama_nenkin"],)
    assert {d.source for d in read_manifest(settings.index_dir).documents} == {"extra.txt", DOCS["saitama_nenkin"]}


def test_two_builds_at_once_both_land(small, embedder, tmp_path):
    """Two writers of one index (two `piaqa index` runs, two uploads): the second waits for the first and
    starts from what it wrote, so the index ends with both documents and no partial generation."""
    import threading

    _, settings = small
    one, two = tmp_path / "one", tmp_path / "two"
    for folder, name in ((one, DOCS["saitama_nenkin"]), (two, DOCS["oita_juki"])):
        folder.mkdir()
        shutil.copy(CORPUS / name, folder)
    errors = []

    def run(folder):
        try:
            build_index([folder], settings, embedder)
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f,)) for f in (one, two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert {d.source for d in read_manifest(settings.index_dir).documents} == {DOCS["saitama_nenkin"], DOCS["oita_juki"]}
    assert not list(settings.index_dir.glob(".gen-*.tmp"))


def test_a_byte_identical_copy_is_indexed_once(small, embedder):
    docs, settings = small
    original = DOCS["saitama_nenkin"]
    copy = original.replace(".txt", " (1).txt")  # the name a browser gives a second download
    shutil.copy(docs / original, docs / copy)
    report = build_index([docs], settings, embedder)
    assert report.duplicates == ((copy, original),) and report.added == (original,)
    assert [d.source for d in read_manifest(settings.index_dir).documents] == [original]
    hits = Index.load(settings=settings, embedder=embedder).search("委託先名", k=8)
    assert len({(h.chunk.doc, h.chunk.lines) for h in hits}) == len(hits) and {h.chunk.doc for h in hits} == {original}


def test_a_revised_assessment_answers_and_the_old_version_is_history(small, embedder, tmp_path):
    """The same assessment (organisation, 事務, form, 評価書番号) re-published with a later 公表日 and another
    委託先: answers come from the new version; the old one is only reachable as history."""
    from piaqa.answer import answer

    docs, settings = small
    lines = (docs / DOCS["saitama_nenkin"]).read_text(encoding="utf-8").split("\n")
    lines[147] = lines[147].replace("AGS株式会社", "株式会社サンプル改訂")  # 委託事項2 ⑥委託先名
    revised = "\n".join(lines).replace("令和元年10月11日", "令和6年4月1日", 1)
    (docs / "saitama-2.txt").write_text(revised, encoding="utf-8")
    report = build_index([docs], settings, embedder)
    assert ("saitama-2.txt", f"supersedes {DOCS['saitama_nenkin']} (kept as history)") in report.versions
    index = Index.load(settings=settings, embedder=embedder)
    assert index.superseded_by == {DOCS["saitama_nenkin"]: "saitama-2.txt"}
    ans = answer(index, "さいたま市の国年の委託事項2の委託先名は？")
    assert ans.answer == "株式会社サンプル改訂" and ans.citations[0].chunk.doc == "saitama-2.txt"
    assert ans.version and "current version" in ans.version and "令和6年4月1日" in ans.version  # it says which
    current = index.search("委託事項2の委託先名", k=20, history=False)
    assert current and all(h.chunk.doc == "saitama-2.txt" for h in current)
    assert "superseded by saitama-2.txt" in index.version_note(DOCS["saitama_nenkin"])
    before = answer(index, "さいたま市の国年の委託事項2の委託先名は？", as_of="2020-01-01")  # an auditor's view of 2020
    assert before.answer == "AGS株式会社" and before.citations[0].chunk.doc == DOCS["saitama_nenkin"]
    assert "2020-01-01" in before.version
    assert not index.search("委託事項2の委託先名", k=5, as_of="令和元年5月1日")  # nothing was published yet
    (docs / "saitama-3.txt").write_text(revised.replace("株式会社サンプル改訂", "株式会社別版"), encoding="utf-8")
    report = build_index([docs], settings, embedder)  # the same identity and 公表日, other content: no order
    assert report.versions and "dates do not say which is current" in report.versions[0][1]
    index = Index.load(settings=settings, embedder=embedder)
    ans = answer(index, "さいたま市の国年の委託事項2の委託先名は？")
    assert ans.version and "dates do not say which is current" in ans.version


def test_a_document_making_too_many_passages_is_refused_before_embedding(small, embedder):
    """A file that would make more passages than one assessment does (hours of embedding) is refused with
    its count and the fix; what was indexed stays."""
    docs, settings = small
    assert build_index([docs], settings, embedder).added == (DOCS["saitama_nenkin"],)
    huge = docs / "huge.txt"
    huge.write_text((CORPUS / DOCS["oita_juki"]).read_text(encoding="utf-8"), encoding="utf-8")
    report = build_index([docs], settings.with_(max_chunks=50), embedder)
    assert [p for p, _ in report.failed] == [str(huge)]
    assert "too many passages" in report.failed[0][1] and "PIAQA_MAX_CHUNKS" in report.failed[0][1]
    assert [d.source for d in read_manifest(settings.index_dir).documents] == [DOCS["saitama_nenkin"]]


def test_a_file_named_like_an_indexed_document_replaces_it_only_when_asked(small, embedder, tmp_path):
    docs, settings = small
    build_index([docs], settings, embedder)
    other = tmp_path / "elsewhere"
    other.mkdir()
    impostor = other / DOCS["saitama_nenkin"]
    impostor.write_text((CORPUS / DOCS["saitama_nenkin"]).read_text(encoding="utf-8").replace("AGS株式会社", "架空株式会社"),
                        encoding="utf-8")
    refused = build_index([impostor], settings, embedder)
    assert refused.failed and "--replace" in refused.failed[0][1] and not refused.updated
    index = Index.load(settings=settings, embedder=embedder)
    assert not any("架空株式会社" in c.text for c in index.passages())
    replaced = build_index([impostor], settings, embedder, replace=True)
    assert replaced.updated == (DOCS["saitama_nenkin"],) and not replaced.failed
    assert any("架空株式会社" in c.text for c in Index.load(settings=settings, embedder=embedder).passages())
