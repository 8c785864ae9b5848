"""The passages of a generation in a compact store, read on demand instead of loaded as objects.

    passages.sqlite   passages(pos INTEGER PRIMARY KEY, id, doc, key, section, org, affair, titles, chunk)
                      — `chunk` is the whole Chunk as zlib-compressed JSON, read only for the hits shown;
                      the other columns are what ranking needs of a candidate
    doc.npy           (n,) int32: each passage's document, as its number in the manifest (memory-mapped)
    flags.npy         (n,) uint8: bit 0 a change-log passage, bit 1 a blank item (memory-mapped)

Why SQLite: it is in the standard library, opens without reading anything, reads rows by number through
the OS page cache in microseconds, and stays one file that tools can open; numpy columns hold the two
per-passage facts a filter needs for every passage. Passages are stored in document order, so a document
is a contiguous range of positions: filtering by organisation or 事務 becomes a few ranges, never a walk
over all passages.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..models import Chunk
from .codec import chunk_from_dict, chunk_to_dict
from .selection import HISTORY

BLANK = 2  # bits of flags.npy, with HISTORY (store/selection.py)
TITLE_SEP, WORD_SEP = "\x1e", " "  # titles of a passage, words of a title (pre-tokenized at build)
PASSAGE_FILES = ("passages.sqlite", "doc.npy", "flags.npy")


@dataclass(frozen=True)
class Fields:
    """What ranking needs of a candidate passage, without its text."""

    pos: int
    id: str
    doc: str
    key: str | None
    section: str
    org: str | None
    affair: str | None
    titles: tuple[frozenset[str], ...]
    history: bool
    blank: bool


def encode_titles(titles: Sequence[Sequence[str]]) -> str:
    return TITLE_SEP.join(WORD_SEP.join(words) for words in titles)


@lru_cache(maxsize=65536)
def decode_titles(text: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(t.split(WORD_SEP)) if t else frozenset() for t in text.split(TITLE_SEP)) if text else ()


def write_passages(folder: Path, chunks: Sequence[Chunk], doc_numbers: np.ndarray, flags: np.ndarray,
                   titles: Sequence[str]) -> None:
    """Write passages.sqlite, doc.npy and flags.npy for chunks in document order; `titles` from encode_titles."""
    db = sqlite3.connect(folder / "passages.sqlite")
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")  # the generation is fsynced whole before the manifest names it
        db.execute("CREATE TABLE passages (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, doc TEXT NOT NULL, key TEXT, "
                   "section TEXT NOT NULL, org TEXT, affair TEXT, titles TEXT NOT NULL, chunk BLOB NOT NULL)")
        rows = ((i, c.id, c.doc, c.key, c.section, c.org, c.affair, titles[i],
                 zlib.compress(json.dumps(chunk_to_dict(c), ensure_ascii=False).encode("utf-8"), 6))
                for i, c in enumerate(chunks))
        db.executemany("INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.execute("CREATE UNIQUE INDEX passage_id ON passages(id)")
        db.commit()
    finally:
        db.close()
    np.save(folder / "doc.npy", np.asarray(doc_numbers, dtype=np.int32))
    np.save(folder / "flags.npy", np.asarray(flags, dtype=np.uint8))


class PassageStore:
    """Read side of the compact store. Thread-safe: each thread reads through its own connection."""

    def __init__(self, folder: Path, sources: Sequence[str]):
        self.path = folder / "passages.sqlite"
        self.sources = tuple(sources)  # document number -> file name
        self.doc = np.load(folder / "doc.npy", mmap_mode="r")
        self.flags = np.load(folder / "flags.npy", mmap_mode="r")
        self._local = threading.local()
        numbers = np.arange(len(self.sources) + 1)
        bounds = np.searchsorted(self.doc, numbers)  # passages are in document order
        self.starts, self.ends = bounds[:-1], bounds[1:]

    def __len__(self) -> int:
        return len(self.doc)

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            db.execute("PRAGMA mmap_size=268435456")
            self._local.db = db
        return db

    def chunks(self, positions: Sequence[int]) -> list[Chunk]:
        """The passages at these positions, in the order given."""
        found = dict(self._rows("SELECT pos, chunk FROM passages WHERE pos IN ({})", positions))
        return [_decode(found[int(p)]) for p in positions]

    def fields(self, positions: Sequence[int]) -> list[Fields]:
        """What ranking needs of each position, in the order given."""
        rows = {r[0]: r for r in self._rows(
            "SELECT pos, id, doc, key, section, org, affair, titles FROM passages WHERE pos IN ({})", positions)}
        out = []
        flags = np.asarray(self.flags[np.asarray(positions, dtype=np.int64)]).tolist() if len(positions) else []
        for p, flag in zip(positions, flags):
            pos, id_, doc, key, section, org, affair, titles = rows[int(p)]
            out.append(Fields(pos, id_, doc, key, section, org, affair, decode_titles(titles),
                              bool(flag & HISTORY), bool(flag & BLANK)))
        return out

    def _rows(self, sql: str, positions: Sequence[int]) -> list[tuple]:
        out: list[tuple] = []
        wanted = [int(p) for p in positions]
        for i in range(0, len(wanted), 900):  # SQLite's limit on bound parameters
            part = wanted[i:i + 900]
            out += self._db().execute(sql.format(",".join("?" * len(part))), part).fetchall()
        return out

    def position(self, chunk_id: str) -> int | None:
        row = self._db().execute("SELECT pos FROM passages WHERE id = ?", (chunk_id,)).fetchone()
        return None if row is None else int(row[0])

    def of_document(self, number: int) -> list[Chunk]:
        """All passages of one document (its number in the manifest), in source order (the last
        32 documents read are kept decoded: an answer reads its document's items often)."""
        return list(self._document(number))

    @lru_cache(maxsize=32)
    def _document(self, number: int) -> tuple[Chunk, ...]:
        rows = self._db().execute("SELECT chunk FROM passages WHERE pos >= ? AND pos < ? ORDER BY pos",
                                  (int(self.starts[number]), int(self.ends[number]))).fetchall()
        return tuple(_decode(r[0]) for r in rows)

    def __iter__(self) -> Iterator[Chunk]:
        for (blob,) in self._db().execute("SELECT chunk FROM passages ORDER BY pos"):
            yield _decode(blob)


def _decode(blob: bytes) -> Chunk:
    return chunk_from_dict(json.loads(zlib.decompress(blob)))
