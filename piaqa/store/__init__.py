"""The store room: what a build writes and a search reads.

generation.py  the manifest and its generation folders (atomic switch, recovery)
passages.py    passages in SQLite with numpy columns          codec.py  a Chunk as JSON
dense.py       the FAISS index chosen by size                 lexical.py  bm25s postings, top-k
selection.py   what a filter leaves, as position ranges       local.py  the local store
milvus.py      the same calls on Milvus (Lite, standalone or cluster)
"""
from .generation import (FORMAT, GENERATION_FILES, MANIFEST, DocEntry, Manifest, by_assessment, next_generation,
                         read_generation, read_manifest, recover_manifest, superseded, undated_versions,
                         write_generation)
from .lexical import bm25s_module

__all__ = ["FORMAT", "GENERATION_FILES", "MANIFEST", "DocEntry", "Manifest", "bm25s_module", "by_assessment",
           "next_generation", "read_generation", "read_manifest", "recover_manifest", "superseded",
           "undated_versions", "write_generation"]
