"""The dense side of the local store: a FAISS index chosen by corpus size, and exact scoring of a
small selection straight from the memory-mapped vectors.

- Up to FLAT_MAX passages, IndexFlatIP: exact, and small (n × d × 4 bytes).
- Above, IVF with 8-bit scalar quantisation (IndexIVFScalarQuantizer, nlist ≈ 4√n): a quarter of the
  memory, and a query reads nprobe lists instead of every vector. nprobe is the smallest that finds
  TARGET_RECALL of the flat index's top 10 on sample queries, measured at build and kept in dense.json
  with that recall (`piaqa bench` prints it).
- A filter that leaves at most EXACT_MAX passages (a question naming an organisation) is scored exactly
  from vectors.npy, whatever the index: an ANN index would probe lists that hold few of them.
  Larger selections go to the index with an IDSelectorBitmap, filtered inside FAISS.
"""
from __future__ import annotations

import json
import logging
import math
from pathlib import Path

import numpy as np

from .selection import Picked, top_k

log = logging.getLogger(__name__)
FLAT_MAX = 50_000
EXACT_MAX = 20_000
TARGET_RECALL = 0.95
NPROBES = (4, 8, 16, 32, 64, 128, 256)
SAMPLE_QUERIES = 200


def build_dense(vectors: np.ndarray, seed: int = 0):
    """(FAISS index, info dict: kind, nlist, nprobe, recall@10 against flat, queries) for (n, d) float32
    normalised vectors."""
    import faiss

    n, d = vectors.shape
    if n <= FLAT_MAX:
        index = faiss.IndexFlatIP(d)
        index.add(vectors)
        return index, {"kind": "flat", "recall@10": 1.0}
    nlist = int(2 ** round(math.log2(4 * math.sqrt(n))))
    quantizer = faiss.IndexFlatIP(d)
    index = faiss.IndexIVFScalarQuantizer(quantizer, d, nlist, faiss.ScalarQuantizer.QT_8bit,
                                          faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(seed)
    sample = vectors[np.sort(rng.choice(n, size=min(n, 64 * nlist), replace=False))]
    index.train(np.ascontiguousarray(sample, dtype=np.float32))
    for start in range(0, n, 100_000):
        index.add(np.ascontiguousarray(vectors[start:start + 100_000], dtype=np.float32))
    nprobe, recall = choose_nprobe(index, vectors, rng)
    info = {"kind": f"IVF{nlist},SQ8", "nlist": nlist, "nprobe": nprobe, "recall@10": recall,
            "queries": SAMPLE_QUERIES}
    log.info("dense index %s: nprobe %d finds %.3f of the flat index's top 10", info["kind"], nprobe, recall)
    return index, info


def sample_queries(vectors: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Query-like vectors: two random passages' vectors blended (0.7/0.3) and normalised — near passages
    without being any one of them."""
    a = vectors[rng.choice(len(vectors), SAMPLE_QUERIES)]
    b = vectors[rng.choice(len(vectors), SAMPLE_QUERIES)]
    q = (0.7 * a + 0.3 * b).astype(np.float32)
    return q / np.linalg.norm(q, axis=1, keepdims=True)


def exact_top10(vectors: np.ndarray, queries: np.ndarray) -> np.ndarray:
    best = np.full((len(queries), 10), -np.inf, dtype=np.float32)
    ids = np.zeros((len(queries), 10), dtype=np.int64)
    for start in range(0, len(vectors), 200_000):
        scores = queries @ np.asarray(vectors[start:start + 200_000], dtype=np.float32).T
        both = np.concatenate([best, scores], axis=1)
        both_ids = np.concatenate([ids, np.arange(start, start + scores.shape[1])[None].repeat(len(queries), 0)], 1)
        keep = np.argsort(-both, axis=1)[:, :10]
        best, ids = np.take_along_axis(both, keep, 1), np.take_along_axis(both_ids, keep, 1)
    return ids


def choose_nprobe(index, vectors: np.ndarray, rng: np.random.Generator) -> tuple[int, float]:
    """The smallest nprobe whose top 10 holds TARGET_RECALL of the exact top 10, and that recall."""
    import faiss

    queries = sample_queries(vectors, rng)
    truth = exact_top10(vectors, queries)
    recall = 0.0
    for nprobe in NPROBES:
        _, found = index.search(queries, 10, params=faiss.SearchParametersIVF(nprobe=nprobe))
        recall = float(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)]))
        if recall >= TARGET_RECALL:
            return nprobe, round(recall, 4)
    return NPROBES[-1], round(recall, 4)


def write_dense(folder: Path, vectors: np.ndarray) -> dict:
    import faiss

    index, info = build_dense(vectors)
    faiss.write_index(index, str(folder / "dense.faiss"))
    (folder / "dense.json").write_text(json.dumps(info), encoding="utf-8")
    return info


class Dense:
    """FAISS index plus memory-mapped vectors of one generation."""

    def __init__(self, folder: Path):
        import faiss

        self.index = faiss.read_index(str(folder / "dense.faiss"))
        self.vectors = np.load(folder / "vectors.npy", mmap_mode="r")
        info_path = folder / "dense.json"
        self.info = json.loads(info_path.read_text(encoding="utf-8")) if info_path.exists() else {"kind": "flat"}

    def top(self, vector: np.ndarray, picked: Picked, k: int) -> np.ndarray:
        """Positions of the k picked passages nearest to `vector` (inner product), best first."""
        import faiss

        if picked.ranges is not None and picked.count <= EXACT_MAX:
            positions = picked.current(picked.positions())
            if not len(positions):
                return positions
            scores = np.asarray(self.vectors[positions], dtype=np.float32) @ vector
            return top_k(positions, scores, k)
        params = {"nprobe": self.info["nprobe"]} if "nprobe" in self.info else {}
        if picked.ranges is not None or picked.flags is not None:
            bits = np.packbits(picked.mask(), bitorder="little")  # kept alive while FAISS reads it
            params["sel"] = faiss.IDSelectorBitmap(picked.size, faiss.swig_ptr(bits))
        make = faiss.SearchParametersIVF if "nprobe" in self.info else faiss.SearchParameters
        _, ids = self.index.search(vector.reshape(1, -1), k, params=make(**params) if params else None)
        return ids[0][ids[0] >= 0]
