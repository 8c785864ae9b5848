"""Which passages a query may return, as the stores take it: the documents a filter leaves, as ranges
of passage positions (a document's passages are contiguous), and whether change-log passages count."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HISTORY = 1  # the change-log bit of flags.npy (store/passages.py)


@dataclass(frozen=True)
class Selection:
    """What the question and its filters leave: `docs` the file names allowed (None: every document),
    `current_only` to leave out change-log passages and the documents in `superseded`."""

    docs: frozenset[str] | None = None
    current_only: bool = False
    superseded: frozenset[str] = frozenset()

    def allowed_docs(self, every: tuple[str, ...]) -> list[str] | None:
        """The documents allowed (sorted, as the manifest orders them); None when that is all of them.
        Costs what the selection holds, not what the index holds (unless superseded ones are dropped
        from all)."""
        dropped = self.superseded if self.current_only else frozenset()
        if self.docs is None and not dropped:
            return None
        return sorted((self.docs if self.docs is not None else every) if not dropped else
                      (d for d in (self.docs if self.docs is not None else every) if d not in dropped))


@dataclass(frozen=True)
class Picked:
    """A Selection in positions: `ranges` an (m, 2) array of [start, end) rows in position order, or
    None for all `size` passages; `flags` (per passage, bit HISTORY = change log) when change-log passages go."""

    size: int
    ranges: np.ndarray | None
    flags: np.ndarray | None = None

    @property
    def count(self) -> int:
        return self.size if self.ranges is None else int((self.ranges[:, 1] - self.ranges[:, 0]).sum())

    def mask(self) -> np.ndarray:
        """(size,) bool: the picked passages (in the ranges, and current when change logs go)."""
        if self.ranges is None:
            inside = np.ones(self.size, dtype=bool)
        else:
            marks = np.zeros(self.size + 1, dtype=np.int32)
            np.add.at(marks, self.ranges[:, 0], 1)
            np.add.at(marks, self.ranges[:, 1], -1)
            inside = np.cumsum(marks[:-1]) > 0
        return inside if self.flags is None else inside & self.is_current(np.arange(self.size))

    def positions(self) -> np.ndarray:
        """The positions in the ranges, ascending (all of them when ranges is None)."""
        if self.ranges is None:
            return np.arange(self.size)
        return np.concatenate([np.arange(a, b) for a, b in self.ranges]) if len(self.ranges) else np.zeros(0, int)

    def is_current(self, positions: np.ndarray) -> np.ndarray:
        """For each of `positions`, whether it may be returned as to change logs (all True when they count)."""
        if self.flags is None:
            return np.ones(len(positions), dtype=bool)
        return (np.asarray(self.flags[positions]) & HISTORY) == 0

    def current(self, positions: np.ndarray) -> np.ndarray:
        """Those of `positions` that are not change-log passages (all when change logs count)."""
        return positions if self.flags is None else positions[self.is_current(positions)]


def ranges_of(starts: np.ndarray, ends: np.ndarray, numbers: list[int]) -> np.ndarray:
    """(m, 2) [start, end) rows for documents by number, adjacent ones merged, empty ones dropped."""
    rows = [(int(starts[n]), int(ends[n])) for n in sorted(numbers) if ends[n] > starts[n]]
    merged: list[list[int]] = []
    for a, b in rows:
        if merged and merged[-1][1] == a:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    return np.array(merged, dtype=np.int64).reshape(-1, 2)


def top_k(positions: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """The positions of the k highest scores, best first (ties by position)."""
    if len(positions) > k:
        keep = np.argpartition(-scores, k - 1)[:k]
        positions, scores = positions[keep], scores[keep]
    order = np.lexsort((positions, -scores))
    return positions[order]
