"""The local store: one generation folder on this machine (passages in SQLite, FAISS, bm25s), searched
top-k only. The Milvus store (store/milvus.py) answers the same calls from a Milvus server or file.

Both give the retriever `candidates` — the passages a query's BM25 and dense rankings bring up, within
the selection, fused by reciprocal rank — with what ranking needs of each; `chunks` then reads the few
passages shown.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..models import Chunk
from .dense import Dense
from .lexical import Lexical
from .passages import Fields, PassageStore
from .selection import Picked, Selection, ranges_of


def rrf(rankings: list[np.ndarray], k: int) -> dict[int, float]:
    """Reciprocal rank fusion: {position: sum over rankings of 1 / (k + rank)}, rank from 1.

    >>> {p: round(s, 4) for p, s in rrf([np.array([2, 0]), np.array([0, 1])], 60).items()}
    {2: 0.0164, 0: 0.0325, 1: 0.0161}
    """
    scores: dict[int, float] = {}
    for order in rankings:
        for rank, position in enumerate(order.tolist(), start=1):
            scores[position] = scores.get(position, 0.0) + 1.0 / (k + rank)
    return scores


class LocalStore:
    """A generation folder opened for search. Nothing is loaded whole: passages, vectors and postings are
    memory-mapped; FAISS's index is read into memory (flat below 50k passages, 8-bit IVF above)."""

    name = "local"

    def __init__(self, folder: Path, sources: tuple[str, ...]):
        self.sources = sources
        self.number = {s: i for i, s in enumerate(sources)}
        self.passages = PassageStore(folder, sources)
        self.lexical = Lexical(folder / "bm25")
        self.dense = Dense(folder)

    def __len__(self) -> int:
        return len(self.passages)

    def knows(self, term: str) -> bool:
        """Whether any passage has this token."""
        return term in self.lexical.vocab

    def pick(self, selection: Selection) -> Picked:
        allowed = selection.allowed_docs(self.sources)
        ranges = None if allowed is None else ranges_of(self.passages.starts, self.passages.ends,
                                                         [self.number[d] for d in allowed])
        return Picked(len(self.passages), ranges, self.passages.flags if selection.current_only else None)

    def candidates(self, terms: list[str], vector: np.ndarray, selection: Selection, depth: int,
                   rrf_k: int) -> list[tuple[Fields, float]]:
        """The selected passages in the top `depth` of BM25 (terms) or of the dense ranking (vector),
        with their reciprocal-rank-fused score; [] when the selection is empty."""
        picked = self.pick(selection)
        if picked.ranges is not None and not len(picked.ranges):
            return []
        lexical = self.lexical.top(terms, picked, depth) if terms else np.zeros(0, dtype=np.int64)
        dense = self.dense.top(vector, picked, depth)
        fused = rrf([lexical, dense], rrf_k)
        positions = list(fused)
        return [(f, fused[f.pos]) for f in self.passages.fields(positions)]

    def chunks(self, refs: list[Fields]) -> list[Chunk]:
        return self.passages.chunks([f.pos for f in refs])

    def chunk(self, chunk_id: str) -> Chunk | None:
        position = self.passages.position(chunk_id)
        return None if position is None else self.passages.chunks([position])[0]

    def of_document(self, source: str) -> list[Chunk]:
        return self.passages.of_document(self.number[source]) if source in self.number else []

    def __iter__(self):
        return iter(self.passages)
