"""Which store an index is searched in, from settings.store:

    local                  the generation folder on this machine (default)
    milvus-lite            Milvus Lite, in the folder index/milvus.db (pip install "piaqa[milvus]")
    milvus-lite:PATH       Milvus Lite in another file
    milvus://HOST:PORT     a Milvus standalone server or cluster (PIAQA_STORE=milvus://host:19530)

The manifest (documents and versions) and, for Milvus, the BM25 term statistics stay in the index
folder either way; Milvus holds the passages, their vectors and their BM25 weights.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import IndexMissing
from ..settings import Settings
from .generation import Manifest


def milvus_uri(settings: Settings) -> str | None:
    """The MilvusClient URI settings.store names, or None for the local store. Raises IndexMissing for a
    store setting piaqa does not know."""
    store = settings.store.strip()
    if store in ("", "local"):
        return None
    if store == "milvus-lite":
        return str(settings.index_dir / "milvus.db")
    if store.startswith("milvus-lite:"):
        return store.split(":", 1)[1]
    if store.startswith("milvus://"):
        return "http://" + store.removeprefix("milvus://")
    if store.startswith(("http://", "https://")):
        return store
    raise IndexMissing(f"unknown store {store!r}: PIAQA_STORE is local, milvus-lite, milvus-lite:PATH or "
                       "milvus://HOST:PORT")


def searchable(folder: Path, uri: str | None) -> bool:
    """Whether a generation folder was written for the store `uri` names (None: the local store)."""
    needed = ("milvus.json", "terms.json") if uri else ("dense.faiss", "bm25")
    if uri and (folder / "milvus.json").exists():
        return json.loads((folder / "milvus.json").read_text(encoding="utf-8")).get("uri") == uri
    return all((folder / name).exists() for name in needed)


def open_store(settings: Settings, manifest: Manifest):
    """The store that searches `manifest`'s generation (LocalStore or MilvusStore)."""
    uri = milvus_uri(settings)
    folder = settings.index_dir / manifest.generation
    sources = tuple(d.source for d in manifest.documents)
    if not searchable(folder, uri):
        raise IndexMissing(f"the index at {settings.index_dir}/ was written for another store than "
                           f"PIAQA_STORE={settings.store or 'local'}: run `piaqa index` with this PIAQA_STORE "
                           "(it moves the index there without re-embedding)")
    if uri is None:
        from .local import LocalStore

        return LocalStore(folder, sources)
    from .milvus import MilvusStore

    return MilvusStore.open(uri, folder, sources)
