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
COMMON = 0.25  # a token in more than this share of the passages is scored last (MaxScore)


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
        self._dense_columns: dict[int, tuple[np.ndarray, float]] = {}

    def spans(self, terms: list[str]) -> list[tuple[int, tuple[int, int]]]:
        """(column, (start, end) of its postings) for each term the index knows (a repeated term counts
        once per repetition: its column is listed again)."""
        return [(c, (int(self.indptr[c]), int(self.indptr[c + 1]))) for c in (self.vocab[t] for t in terms
                                                                               if t in self.vocab)]

    def postings(self, terms: list[str], picked: Picked) -> tuple[np.ndarray, np.ndarray]:
        """(positions, BM25 scores) of the picked passages that hold any of the terms (ascending)."""
        return self._postings([span for _, span in self.spans(terms)], picked)

    def _postings(self, spans: list[tuple[int, int]], picked: Picked) -> tuple[np.ndarray, np.ndarray]:
        if picked.ranges is None and sum(b - a for a, b in spans) > self.size // 8:
            return self._dense_sum(spans)  # most of the corpus: one array, no sort, no concatenation
        parts_pos, parts_score = [], []
        ranges = picked.ranges
        mask = picked.mask() if ranges is not None and len(ranges) > MAX_RANGES else None
        for start, end in spans:
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
        unique, inverse = np.unique(positions, return_inverse=True)
        return unique, np.bincount(inverse, weights=scores).astype(np.float32)

    def _dense_sum(self, spans: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        total = np.zeros(self.size, dtype=np.float32)
        for start, end in spans:  # a token's postings name each passage once: a plain scatter-add is exact
            total[self.indices[start:end]] += self.data[start:end]
        positions = np.flatnonzero(total)
        return positions, total[positions]

    def top(self, terms: list[str], picked: Picked, k: int) -> np.ndarray:
        """Positions of the k best-scoring picked passages with a score above 0, best first."""
        found = self._max_score(terms, picked, k) if picked.ranges is None else None
        if found is not None:
            return found
        positions, scores = self.postings(terms, picked)
        return self._best(positions, scores, picked, k)

    @staticmethod
    def _best(positions: np.ndarray, scores: np.ndarray, picked: Picked, k: int) -> np.ndarray:
        keep = picked.is_current(positions) & (scores > 0)
        return top_k(positions[keep], scores[keep], k)

    def _column(self, column: int, start: int, end: int) -> tuple[np.ndarray, float]:
        """A common token's weights for every passage, as one dense array, and its largest weight (kept:
        few tokens are common, and each costs 4 bytes a passage)."""
        found = self._dense_columns.get(column)
        if found is None:
            weights = np.zeros(self.size, dtype=np.float32)
            weights[self.indices[start:end]] = self.data[start:end]
            found = self._dense_columns[column] = (weights, float(weights.max(initial=0.0)))
        return found

    def _max_score(self, terms: list[str], picked: Picked, k: int) -> np.ndarray | None:
        """The exact top k over the whole corpus without reading every posting (MaxScore): tokens in more
        than COMMON of the passages (事務, 情報 — the context every passage starts with) are scored only
        for the passages the rarer tokens bring up; a passage with none of those scores at most the
        common tokens' largest weights added, so when the k-th score found beats that bound the result is
        exact. None when it does not (or nothing is common): the caller reads every posting."""
        spans = self.spans(terms)
        common = [(c, span) for c, span in spans if span[1] - span[0] > self.size * COMMON]
        rare = [span for c, span in spans if span[1] - span[0] <= self.size * COMMON]
        if not common or not rare:
            return None
        positions, scores = self._postings(rare, picked)
        bound = 0.0
        for c, span in common:
            weights, largest = self._column(c, *span)
            scores += weights[positions]
            bound += largest
        best = self._best(positions, scores, picked, k)
        if len(best) < k or float(scores[np.searchsorted(positions, best[-1])]) <= bound:
            return None
        return best
