"""The persistent index in index/: a versioned manifest naming one generation folder.

    index/manifest.json                format, model, dimension, per-document content hash, generation
    index/gen-000003/passages.sqlite   the passages, in document order (store/passages.py), with
                     doc.npy, flags.npy  their document and change-log/blank flags as numpy columns
    index/gen-000003/vectors.npy       (n, d) float32, normalised, in passage order
    index/gen-000003/dense.faiss       FAISS inner-product index over the vectors (store/dense.py), and
                     dense.json        its kind and measured recall
    index/gen-000003/bm25/             bm25s index over the passages' tokens

A build writes a new generation beside the old one (with a copy of its manifest), fsyncs it, and then
replaces manifest.json atomically (os.replace): a crash or a full disk mid-build leaves the previous
manifest and generation usable, and the partial generation is removed. The previous generation is kept
too: a manifest torn by a power cut is replaced by the newest complete generation's own copy.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import IndexMissing
from ..models import Chunk
from ..chunk import is_empty
from ..text import date_key
from ..titles import title_words
from .dense import write_dense
from .lexical import write_bm25
from .passages import BLANK, HISTORY, PASSAGE_FILES, PassageStore, encode_titles, write_passages

log = logging.getLogger(__name__)

FORMAT = 2  # 2: passages in SQLite + numpy columns, the dense index chosen by size
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class DocEntry:
    source: str
    path: str
    sha256: str
    org: str | None
    affair: str | None
    form: str | None
    chunks: int
    number: str | None = None  # 評価書番号: with organisation, 事務 and form, the assessment's identity
    published: str | None = None  # 公表日: orders the versions of one assessment


@dataclass(frozen=True)
class Manifest:
    format: int
    generation: str
    model: dict
    documents: tuple[DocEntry, ...]

    def to_json(self) -> str:
        data = {"format": self.format, "generation": self.generation, "model": self.model,
                "documents": [dataclasses.asdict(d) for d in self.documents]}
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        data = json.loads(text)
        return cls(format=data["format"], generation=data["generation"], model=data["model"],
                   documents=tuple(DocEntry(**d) for d in data["documents"]))


def by_assessment(documents: tuple[DocEntry, ...]) -> list[list[DocEntry]]:
    """The documents grouped by the assessment they are a version of: organisation, 事務, form and
    評価書番号 (a document without a number or an organisation claims no identity and is left out)."""
    versions: dict[tuple, list[DocEntry]] = {}
    for d in documents:
        if d.number and d.org:
            versions.setdefault((d.org, d.affair, d.form, d.number), []).append(d)
    return list(versions.values())


def superseded(documents: tuple[DocEntry, ...]) -> dict[str, str]:
    """Documents replaced by a later version of the same assessment (same organisation, 事務, form and
    評価書番号, a later 公表日): {older source: the source that supersedes it}. Versions whose dates do not
    order them are all kept current."""
    out: dict[str, str] = {}
    for group in by_assessment(documents):
        dated = [(date_key(d.published), d) for d in group]
        if len(group) < 2 or any(key is None for key, _ in dated):
            continue
        latest_key, latest = max(dated, key=lambda kd: kd[0])
        if sum(key == latest_key for key, _ in dated) == 1:
            out.update({d.source: latest.source for key, d in dated if d is not latest})
    return out


def undated_versions(documents: tuple[DocEntry, ...]) -> dict[str, tuple[str, ...]]:
    """Documents that claim one assessment (organisation, 事務, form, 評価書番号) with different content
    while their 公表日 do not say which is current: {source: the other sources}."""
    out: dict[str, tuple[str, ...]] = {}
    ordered = superseded(documents)
    for group in by_assessment(documents):
        current = [d for d in group if d.source not in ordered]
        if len(current) > 1 and len({d.sha256 for d in current}) > 1:
            for d in current:
                out[d.source] = tuple(o.source for o in current if o is not d)
    return out


def read_manifest(index_dir: Path) -> Manifest:
    """The index's manifest; a damaged one is replaced by the last complete generation's copy (logged).
    Raises IndexMissing when there is no usable index."""
    path = index_dir / MANIFEST
    if not path.exists():
        raise IndexMissing(f"no index at {index_dir}/: run `piaqa index` first")
    try:
        manifest = Manifest.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        manifest = recover_manifest(index_dir, exc)
    if manifest.format != FORMAT:
        raise IndexMissing(f"the index at {index_dir}/ has format {manifest.format}, this piaqa reads "
                           f"format {FORMAT}: rebuild it with `piaqa index --rebuild`")
    return manifest


GENERATION_FILES = (*PASSAGE_FILES, "vectors.npy", MANIFEST)  # and dense.faiss + bm25/, or milvus.json
SEARCH_FILES = (("dense.faiss", "bm25"), ("milvus.json", "terms.json"))


def recover_manifest(index_dir: Path, damage: Exception) -> Manifest:
    """The newest complete generation's own manifest, written back as the index's manifest."""
    complete = sorted((g for g in index_dir.glob("gen-*") if all((g / f).exists() for f in GENERATION_FILES)
                       and any(all((g / f).exists() for f in files) for files in SEARCH_FILES)), reverse=True)
    for gen in complete:
        try:
            manifest = Manifest.from_json((gen / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        log.warning("%s/%s is damaged (%s); using %s, the last complete generation", index_dir, MANIFEST,
                    type(damage).__name__, gen.name)
        _write_durably(index_dir / MANIFEST, manifest.to_json())
        return manifest
    raise IndexMissing(f"{index_dir}/{MANIFEST} is damaged and no complete generation is left: "
                       f"rebuild it with `piaqa index --rebuild`")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(path: Path, text: str) -> None:
    """Write a small file so that a power cut leaves either the old or the new one whole."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync(path.parent)


def read_generation(index_dir: Path, manifest: Manifest) -> tuple[list[Chunk], np.ndarray]:
    """Every passage of the manifest's generation, in order, and their (n, d) vectors (memory-mapped):
    what an incremental build keeps. Raises IndexMissing when the generation is damaged."""
    gen = index_dir / manifest.generation
    try:
        chunks = list(PassageStore(gen, [d.source for d in manifest.documents]))
        vectors = np.load(gen / "vectors.npy", mmap_mode="r")
    except (OSError, ValueError, sqlite3.Error) as exc:
        raise IndexMissing(f"the index at {index_dir}/ is damaged ({exc}): rebuild it with `piaqa index --rebuild`") from exc
    if len(chunks) != len(vectors):
        raise IndexMissing(f"the index at {index_dir}/ is inconsistent: rebuild it with `piaqa index --rebuild`")
    return chunks, vectors


def generation_number(name: str) -> int | None:
    """3 for "gen-000003"; None for a name that is not a generation's."""
    number = name.split("-", 1)[1] if name.startswith("gen-") else ""
    return int(number) if number.isdigit() else None


def next_generation(index_dir: Path) -> str:
    numbers = [n for p in index_dir.glob("gen-*") if (n := generation_number(p.name)) is not None]
    return f"gen-{max(numbers, default=0) + 1:06d}"


def write_generation(index_dir: Path, manifest: Manifest, chunks: list[Chunk], vectors: np.ndarray,
                     bm25_tokens: list[list[str]], previous: str | None = None, milvus: str | None = None) -> None:
    """Write a complete generation, fsync it, switch the manifest to it atomically, then remove all
    generations but it and `previous`. With `milvus` (a MilvusClient URI) the passages are searched in
    Milvus (store/milvus.py): their rows are written there instead of a FAISS and a BM25 index. Raises
    IndexMissing (the previous index unchanged, nothing partial left) when it cannot be written, e.g. on
    a full disk."""
    index_dir.mkdir(parents=True, exist_ok=True)
    gen = index_dir / manifest.generation
    tmp = index_dir / f".{manifest.generation}.tmp"
    for stale in index_dir.glob(".gen-*.tmp"):  # left by a build that was killed
        shutil.rmtree(stale, ignore_errors=True)
    try:
        tmp.mkdir()
        before = index_dir / previous if previous else None
        _write_files(tmp, manifest, chunks, vectors, bm25_tokens, milvus, gen.name, before)
        tmp.rename(gen)
        _fsync(index_dir)
        _write_durably(index_dir / MANIFEST, manifest.to_json())
    except (OSError, sqlite3.Error) as exc:  # SQLite reports a full disk as its own error
        shutil.rmtree(tmp, ignore_errors=True)
        current = index_dir / MANIFEST
        if not current.exists() or manifest.generation not in current.read_text(encoding="utf-8", errors="replace"):
            shutil.rmtree(gen, ignore_errors=True)  # never switched to: the partial generation goes
        raise IndexMissing(f"could not write the index at {index_dir}/ ({getattr(exc, 'strerror', None) or exc}); "
                           f"the previous index is unchanged — free some disk space and run `piaqa index` again") from exc
    if milvus:
        from .milvus import clean_milvus

        clean_milvus(gen)
    for old in index_dir.glob("gen-*"):
        if old.name not in (manifest.generation, previous):
            shutil.rmtree(old, ignore_errors=True)
    log.info("index written: %s (%d chunks)", gen, len(chunks))


def _write_files(folder: Path, manifest: Manifest, chunks: list[Chunk], vectors: np.ndarray,
                 bm25_tokens: list[list[str]], milvus: str | None = None, name: str = "",
                 previous: Path | None = None) -> None:
    number = {d.source: i for i, d in enumerate(manifest.documents)}
    order = sorted(range(len(chunks)), key=lambda i: number[chunks[i].doc])  # stable: document order
    chunks = [chunks[i] for i in order]
    flags = np.array([HISTORY * c.history + BLANK * is_empty(c)
                      for c in chunks], dtype=np.uint8)
    titles = [encode_titles(t) for t in title_words(chunks)]
    write_passages(folder, chunks, np.array([number[c.doc] for c in chunks], dtype=np.int32), flags, titles)
    vectors = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32)[order])
    np.save(folder / "vectors.npy", vectors)  # kept by the builder in either store: what an update reuses
    bm25_tokens = [bm25_tokens[i] for i in order]
    if milvus:
        from .milvus import write_milvus

        write_milvus(milvus, name, folder, previous, manifest.documents, chunks, vectors, bm25_tokens, titles, flags)
    else:
        write_dense(folder, vectors)
        write_bm25(folder / "bm25", bm25_tokens)
    (folder / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")  # for recovery
    for path in folder.rglob("*"):
        if path.is_file():
            _fsync(path)
    _fsync(folder)
