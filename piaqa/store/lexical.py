"""BM25 over the passages' fugashi tokens: bm25s builds the index (its Lucene weights, per token and
passage), and a query reads only the postings of its own tokens — within the selected passages' ranges
when a filter narrows them — then keeps the top k by partial sort.

A filtered query therefore costs what its selection holds, not what the corpus holds: postings are sorted
by passage, so each range is two binary searches in each posting list.
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from .selection import Picked, top_k

log = logging.getLogger(__name__)
MAX_RANGES = 256  # more ranges than this: filter the token's postings with a mask instead


def bm25s_module():
    """bm25s, with its logger returned to the application's control (it sets itself to DEBUG on import)."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.NOTSET)
    return bm25s


def write_bm25(folder: Path, bm25_tokens: list[list[str]]) -> None:
    retriever = bm25s_module().BM25()
    retriever.index(bm25_tokens, show_progress=False)  # our own tokens, never bm25s' English tokenizer
    retriever.save(str(folder))


class Lexical:
    """A bm25s index on disk, memory-mapped. `vocab` maps a token to its column (bm25s' vocab_dict)."""

    def __init__(self, folder: Path):
        model = bm25s_module().BM25.load(str(folder), mmap=True, show_progress=False)
        self.vocab: dict[str, int] = model.vocab_dict
        self.data, self.indices, self.indptr = (model.scores[k] for k in ("data", "indices", "indptr"))
        self.size = int(model.scores["num_docs"])

    def postings(self, terms: list[str], picked: Picked) -> tuple[np.ndarray, np.ndarray]:
        """(positions, BM25 scores) of the picked passages that hold any of the terms, unsorted."""
        columns = [self.vocab[t] for t in terms if t in self.vocab]
        parts_pos, parts_score = [], []
        ranges = picked.ranges
        mask = picked.mask() if ranges is not None and len(ranges) > MAX_RANGES else None
        for col in columns:
            start, end = int(self.indptr[col]), int(self.indptr[col + 1])
            idx = self.indices[start:end]
            if ranges is None:
                parts_pos.append(np.asarray(idx))
                parts_score.append(np.asarray(self.data[start:end]))
            elif mask is not None:
                keep = mask[idx]
                parts_pos.append(np.asarray(idx[keep]))
                parts_score.append(np.asarray(self.data[start:end][keep]))
            else:
                cuts = np.searchsorted(idx, ranges.ravel())
                for lo, hi in cuts.reshape(-1, 2):
                    if hi > lo:
                        parts_pos.append(np.asarray(idx[lo:hi]))
                        parts_score.append(np.asarray(self.data[start + lo:start + hi]))
        if not parts_pos:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        positions = np.concatenate(parts_pos).astype(np.int64)
        scores = np.concatenate(parts_score).astype(np.float32)
        if len(positions) > self.size // 8:  # most of the corpus: one dense sum beats sorting the postings
            total = np.bincount(positions, weights=scores, minlength=self.size)
            unique = np.flatnonzero(total)
            return unique, total[unique].astype(np.float32)
        unique, inverse = np.unique(positions, return_inverse=True)
        return unique, np.bincount(inverse, weights=scores).astype(np.float32)

    def top(self, terms: list[str], picked: Picked, k: int) -> np.ndarray:
        """Positions of the k best-scoring picked passages with a score above 0, best first."""
        positions, scores = self.postings(terms, picked)
        if picked.flags is not None and len(positions):
            keep = (picked.flags[positions] & 1) == 0
            positions, scores = positions[keep], scores[keep]
        keep = scores > 0
        return top_k(positions[keep], scores[keep], k)
