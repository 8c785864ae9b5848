"""The Milvus store: the same calls as the local store, answered by Milvus — Milvus Lite (a file, for tests
and single machines) or a standalone server / cluster (PIAQA_STORE=milvus://host:19530).

One collection (COLLECTION) holds a row per passage: its dense vector, its BM25 weights as a sparse
vector (store/sparse.py: our fugashi tokens, since Milvus's analyzers have no UniDic lemmas), scalar
fields for filtering in the engine (doc, org, affair, form, history, gen) and the passage as JSON. A
search is one hybrid_search — dense and sparse requests with the selection as their filter — fused by
Milvus's RRFRanker.

Builds stay safe as with the local store: rows carry the generation that wrote them; a build inserts the
new and changed documents' rows under its own generation, the manifest switch makes them current, and
the rows they replace (and those of removed documents, or of a build that died) are deleted after it.
Searches only see rows of generations up to the manifest's (`gen <= G`).
"""
from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import IndexMissing
from ..models import Chunk
from .codec import chunk_from_dict, chunk_to_dict
from .generation import generation_number
from .passages import Fields, decode_titles
from .selection import Selection
from .sparse import TermStats

log = logging.getLogger(__name__)
COLLECTION = "piaqa_passages"
META, TERMS = "milvus.json", "terms.json"
FIELDS = ["cid", "doc", "seq", "key", "section", "org", "affair", "titles", "history", "blank"]
MAX_TEXT = 65_535
BATCH = 2_000


_open: dict[str, object] = {}


def is_lite(uri: str) -> bool:
    """Whether a MilvusClient URI is a Milvus Lite file (not a server's http(s) address)."""
    return not uri.startswith(("http://", "https://"))


@lru_cache(maxsize=8)
def client(uri: str):
    """One MilvusClient per URI and process (each holds a gRPC channel; a new one per call would be
    refused by the server as "too many pings")."""
    try:
        from pymilvus import MilvusClient
    except ImportError as exc:
        raise IndexMissing('the Milvus store needs pymilvus (and milvus-lite for a file): '
                           'pip install -e ".[milvus]"') from exc
    logging.getLogger("grpc._server").setLevel(logging.CRITICAL)  # Milvus Lite: "AllocTimestamp not implemented"
    try:
        _open[uri] = MilvusClient(uri)
        return _open[uri]
    except Exception as exc:  # pymilvus raises its own MilvusException, or a connection error
        if is_lite(uri):
            raise IndexMissing(f"cannot open Milvus Lite at {uri} ({exc}): Milvus Lite opens a file in one process "
                               "at a time — stop the other piaqa using it, or use a Milvus server") from exc
        raise IndexMissing(f"cannot reach Milvus at {uri} ({exc}): start it, or set PIAQA_STORE=local") from exc


def release(uri: str) -> None:
    """Close this process's client for `uri` (Milvus Lite: so that another process may open the file)."""
    if uri in _open:
        _open.pop(uri).close()
        client.cache_clear()
    if is_lite(uri):
        from milvus_lite.server_manager import server_manager_instance  # the embedded server holds the file

        server_manager_instance.release_server(uri)


def literal(value) -> str:
    """A value as a Milvus expression literal: text double-quoted with JSON escapes (a file name cannot
    break out of its string), whole numbers as digits, lists of either in brackets. (Milvus Lite takes
    no filter templates.)"""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return "[" + ", ".join(literal(v) for v in value) + "]"


def expr(template: str, **params) -> str:
    """`template` with {name} replaced by literal(params[name])."""
    return template.format(**{k: literal(v) for k, v in params.items()})


def _create(milvus, dim: int, lite: bool) -> None:
    from pymilvus import DataType

    schema = milvus.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("pk", DataType.VARCHAR, is_primary=True, max_length=1024)
    for name in ("cid", "doc", "key", "section", "org", "affair", "form"):  # lengths in bytes (UTF-8)
        schema.add_field(name, DataType.VARCHAR, max_length=4096)
    schema.add_field("titles", DataType.VARCHAR, max_length=16384)
    schema.add_field("chunk", DataType.VARCHAR, max_length=MAX_TEXT)
    for name in ("seq", "gen"):
        schema.add_field(name, DataType.INT64)
    for name in ("history", "blank"):
        schema.add_field(name, DataType.BOOL)
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    index = milvus.prepare_index_params()
    index.add_index("dense", index_type="FLAT" if lite else "AUTOINDEX", metric_type="IP")
    index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
    for name in ("doc", "org", "affair", "cid"):
        if not lite:
            index.add_index(name, index_type="INVERTED")
    milvus.create_collection(COLLECTION, schema=schema, index_params=index)


def _row(chunk: Chunk, seq: int, gen: int, vector: np.ndarray, sparse: dict[int, float], titles: str,
         flags: int) -> dict:
    text = json.dumps(chunk_to_dict(chunk), ensure_ascii=False)
    if len(text.encode("utf-8")) > MAX_TEXT:
        raise IndexMissing(f"{chunk.doc}: a passage of {len(text):,} characters is too long for the Milvus store "
                           f"({MAX_TEXT:,} bytes a row); use the local store for this document")
    return {"pk": f"{gen}:{chunk.id}", "cid": chunk.id, "doc": chunk.doc, "key": chunk.key or "",
            "section": chunk.section[:1000], "org": chunk.org or "", "affair": chunk.affair or "",
            "form": chunk.form or "", "titles": titles[:4000], "chunk": text, "seq": seq, "gen": gen,
            "history": bool(flags & 1), "blank": bool(flags & 2), "dense": vector.tolist(), "sparse": sparse}


def write_milvus(uri: str, generation: str, folder: Path, previous: Path | None, documents, chunks: list[Chunk],
                 vectors: np.ndarray, tokens: list[list[str]], titles: list[str], flags: np.ndarray) -> dict:
    """Insert the rows of documents new or changed since `previous` (a generation folder) under
    `generation`, and write its milvus.json and terms.json into `folder`. Returns the meta written."""
    milvus = client(uri)
    gen = generation_number(generation)
    old = json.loads((previous / META).read_text(encoding="utf-8")) if previous and (previous / META).exists() else {}
    old_docs = old.get("docs", {}) if old.get("uri") == uri else {}
    if not milvus.has_collection(COLLECTION):
        _create(milvus, vectors.shape[1], lite=is_lite(uri))
        old_docs = {}
    stats = TermStats.of(tokens, TermStats.load(previous / TERMS).columns if old_docs else None)
    docs = {d.source: [old_docs[d.source][0], d.sha256] if old_docs.get(d.source, [0, ""])[1] == d.sha256
            else [gen, d.sha256] for d in documents}
    rows, seq = [], {}
    for i, chunk in enumerate(chunks):
        seq[chunk.doc] = seq.get(chunk.doc, -1) + 1
        if docs[chunk.doc][0] == gen:
            rows.append(_row(chunk, seq[chunk.doc], gen, vectors[i], stats.passage_vector(tokens[i]), titles[i],
                             int(flags[i])))
        if len(rows) >= BATCH:
            milvus.insert(COLLECTION, rows)
            rows = []
    if rows:
        milvus.insert(COLLECTION, rows)
    milvus.flush(COLLECTION)
    replaced = sorted(s for s, (g, _) in docs.items() if g == gen and s in old_docs)
    removed = sorted(s for s in old_docs if s not in docs)
    meta = {"uri": uri, "collection": COLLECTION, "gen": gen, "docs": docs, "replaced": replaced, "removed": removed}
    (folder / META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    stats.save(folder / TERMS)
    return meta


def clean_milvus(folder: Path) -> None:
    """Delete the rows the generation in `folder` no longer uses: those of replaced and removed documents,
    and any a later build left when it died. Idempotent; run after the manifest names the generation."""
    meta = json.loads((folder / META).read_text(encoding="utf-8"))
    milvus = client(meta["uri"])
    gen = meta["gen"]
    milvus.delete(COLLECTION, filter=expr("gen > {g}", g=gen))
    if meta["replaced"]:
        milvus.delete(COLLECTION, filter=expr("doc in {d} and gen < {g}", d=meta["replaced"], g=gen))
    if meta["removed"]:
        milvus.delete(COLLECTION, filter=expr("doc in {d}", d=meta["removed"]))
    milvus.flush(COLLECTION)


def _decode(text: str) -> Chunk:
    return chunk_from_dict(json.loads(text))


class MilvusStore:
    """A generation searched in Milvus. Thread-safe as pymilvus' client is."""

    name = "milvus"

    def __init__(self, milvus, meta: dict, stats: TermStats, sources: tuple[str, ...]):
        self.milvus, self.meta, self.stats, self.sources = milvus, meta, stats, sources
        self.gen = meta["gen"]
        self.number = {s: i for i, s in enumerate(sources)}
        milvus.load_collection(COLLECTION)

    @classmethod
    def open(cls, uri: str, folder: Path, sources: tuple[str, ...]) -> "MilvusStore":
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        if meta["uri"] != uri:
            raise IndexMissing(f"the index at {folder.parent}/ was built in {meta['uri']}, not {uri}: "
                               "set PIAQA_STORE to it, or run `piaqa index` to move it")
        return cls(client(uri), meta, TermStats.load(folder / TERMS), sources)

    def __len__(self) -> int:
        rows = self.milvus.query(COLLECTION, filter=expr("gen <= {g}", g=self.gen), output_fields=["count(*)"])
        return int(rows[0]["count(*)"])

    def knows(self, term: str) -> bool:
        return bool(self.stats.df.get(term))

    def _filter(self, selection: Selection) -> str:
        parts = [expr("gen <= {g}", g=self.gen)]
        allowed = selection.allowed_docs(self.sources)
        if allowed is not None:
            parts.append(expr("doc in {docs}", docs=allowed))
        if selection.current_only:
            parts.append("history == false")
        return " and ".join(parts)

    def _position(self, row: dict) -> int:
        """An order over all passages, as the local store's positions: document, then place in it."""
        return self.number.get(row["doc"], len(self.number)) * 1_000_000 + int(row["seq"])

    def _fields(self, entity: dict) -> Fields:
        return Fields(self._position(entity), entity["cid"], entity["doc"], entity["key"] or None, entity["section"],
                      entity["org"] or None, entity["affair"] or None, decode_titles(entity["titles"]),
                      bool(entity["history"]), bool(entity["blank"]))

    def candidates(self, terms: list[str], vector: np.ndarray, selection: Selection, depth: int,
                   rrf_k: int) -> list[tuple[Fields, float]]:
        """As LocalStore.candidates: hybrid search in Milvus, fused by its RRFRanker."""
        from pymilvus import AnnSearchRequest, RRFRanker

        where = self._filter(selection)
        sparse = self.stats.query_vector(terms)
        dense_param = {"metric_type": "IP"}
        if not sparse:
            hits = self.milvus.search(COLLECTION, [vector.tolist()], anns_field="dense", limit=depth, filter=where,
                                      output_fields=FIELDS, search_params=dense_param)[0]
            return [(self._fields(h["entity"]), 1.0 / (rrf_k + rank)) for rank, h in enumerate(hits, start=1)]
        requests = [AnnSearchRequest([vector.tolist()], "dense", dense_param, limit=depth, expr=where),
                    AnnSearchRequest([sparse], "sparse", {"metric_type": "IP"}, limit=depth, expr=where)]
        hits = self.milvus.hybrid_search(COLLECTION, requests, RRFRanker(rrf_k), limit=2 * depth,
                                         output_fields=FIELDS)[0]
        return [(self._fields(h["entity"]), float(h["distance"])) for h in hits]

    def _chunks(self, template: str, **params) -> list[tuple[int, Chunk]]:
        rows = self.milvus.query(COLLECTION, filter=expr("gen <= {g} and " + template, g=self.gen, **params),
                                 output_fields=["cid", "doc", "seq", "chunk"], limit=16_384)
        return [(self._position(r), _decode(r["chunk"])) for r in rows]

    def chunks(self, refs: list[Fields]) -> list[Chunk]:
        """The passages shown, by primary key (the generation that wrote each document's rows + its id)."""
        keys = [f"{self.meta['docs'][f.doc][0]}:{f.id}" for f in refs]
        rows = self.milvus.get(COLLECTION, ids=keys, output_fields=["cid", "chunk"]) if keys else []
        found = {r["cid"]: _decode(r["chunk"]) for r in rows}
        return [found[f.id] for f in refs]

    def chunk(self, chunk_id: str) -> Chunk | None:
        found = self._chunks("cid == {id}", id=chunk_id)
        return found[0][1] if found else None

    def of_document(self, source: str) -> list[Chunk]:
        """All passages of one document, in source order (the last 32 documents read are kept)."""
        return list(self._document(source))

    @lru_cache(maxsize=32)
    def _document(self, source: str) -> tuple[Chunk, ...]:
        out: list[tuple[int, Chunk]] = []
        for start in range(0, 1 << 30, 16_000):
            part = self._chunks("doc == {d} and seq >= {a} and seq < {b}", d=source, a=start, b=start + 16_000)
            out += part
            if len(part) < 16_000:
                break
        return tuple(c for _, c in sorted(out, key=lambda pc: pc[0]))

    def __iter__(self):
        for source in self.sources:
            yield from self.of_document(source)
