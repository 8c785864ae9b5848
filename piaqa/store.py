"""The persistent index in index/: a versioned manifest naming one generation folder.

    index/manifest.json          format, model, dimension, per-document content hash, generation
    index/gen-000003/chunks.jsonl  one Chunk a line
    index/gen-000003/vectors.npy   (n, d) float32, normalised, in chunks.jsonl order
    index/gen-000003/dense.faiss   FAISS inner-product index over the vectors
    index/gen-000003/bm25/         bm25s index over the chunks' tokens

A build writes a new generation beside the old one and then replaces manifest.json atomically
(os.replace): a crash mid-build leaves the previous manifest and generation usable.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import IndexMissing
from .models import Change, Chunk

log = logging.getLogger(__name__)

FORMAT = 1
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


def bm25s_module():
    """bm25s, with its logger returned to the application's control (it sets itself to DEBUG on import)."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.NOTSET)
    return bm25s


def chunk_to_dict(chunk: Chunk) -> dict:
    out = dataclasses.asdict(chunk)
    out["lines"] = list(chunk.lines)
    out["checked"] = list(chunk.checked)
    return out


def chunk_from_dict(data: dict) -> Chunk:
    change = data.get("change")
    return Chunk(**{**data, "lines": tuple(data["lines"]), "checked": tuple(data["checked"]),
                    "change": Change(**change) if change else None})


def read_manifest(index_dir: Path) -> Manifest:
    path = index_dir / MANIFEST
    if not path.exists():
        raise IndexMissing(f"no index at {index_dir}/: run `piaqa index` first")
    manifest = Manifest.from_json(path.read_text(encoding="utf-8"))
    if manifest.format != FORMAT:
        raise IndexMissing(f"the index at {index_dir}/ has format {manifest.format}, this piaqa reads "
                           f"format {FORMAT}: rebuild it with `piaqa index --rebuild`")
    return manifest


def read_generation(index_dir: Path, manifest: Manifest) -> tuple[list[Chunk], np.ndarray]:
    gen = index_dir / manifest.generation
    try:
        with open(gen / "chunks.jsonl", encoding="utf-8") as f:
            chunks = [chunk_from_dict(json.loads(line)) for line in f if line.strip()]
        vectors = np.load(gen / "vectors.npy")
    except (OSError, ValueError) as exc:
        raise IndexMissing(f"the index at {index_dir}/ is damaged ({exc}): rebuild it with `piaqa index --rebuild`") from exc
    if len(chunks) != len(vectors):
        raise IndexMissing(f"the index at {index_dir}/ is inconsistent: rebuild it with `piaqa index --rebuild`")
    return chunks, vectors


def next_generation(index_dir: Path) -> str:
    numbers = [int(p.name.split("-")[1]) for p in index_dir.glob("gen-*") if p.name.split("-")[1].isdigit()]
    return f"gen-{max(numbers, default=0) + 1:06d}"


def write_generation(index_dir: Path, manifest: Manifest, chunks: list[Chunk], vectors: np.ndarray,
                     bm25_tokens: list[list[str]]) -> None:
    """Write a complete generation, then switch the manifest to it atomically, then tidy up."""
    import faiss

    bm25s = bm25s_module()
    index_dir.mkdir(parents=True, exist_ok=True)
    gen = index_dir / manifest.generation
    tmp = index_dir / f".{manifest.generation}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as f:
        for chunk in chunks:
            f.write(json.dumps(chunk_to_dict(chunk), ensure_ascii=False) + "\n")
    np.save(tmp / "vectors.npy", vectors.astype(np.float32))
    dense = faiss.IndexFlatIP(vectors.shape[1])
    dense.add(vectors.astype(np.float32))
    faiss.write_index(dense, str(tmp / "dense.faiss"))
    retriever = bm25s.BM25()
    retriever.index(bm25_tokens, show_progress=False)  # our own tokens, never bm25s' English tokenizer
    retriever.save(str(tmp / "bm25"))
    tmp.rename(gen)
    manifest_tmp = index_dir / f".{MANIFEST}.tmp"
    manifest_tmp.write_text(manifest.to_json(), encoding="utf-8")
    os.replace(manifest_tmp, index_dir / MANIFEST)
    for old in index_dir.glob("gen-*"):
        if old.name != manifest.generation:
            shutil.rmtree(old, ignore_errors=True)
    log.info("index written: %s (%d chunks)", gen, len(chunks))

