"""Build or update the index incrementally: parse -> chunk -> tokenize/embed -> store.

An unchanged document (same sha256, same model) keeps its chunks and vectors; a changed or new
one is re-parsed and re-embedded; one whose file is gone leaves the index. A file that cannot be
read is reported and skipped, and if it was indexed before, its previous version stays.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .chunk import chunk_document
from .embed import Embedder, model_fingerprint
from .embed_jobs import EmbeddingCache, Job, embed_jobs, job_key
from .errors import IndexMissing, InputError
from .ingest import SUFFIXES
from .models import Chunk
from .parse import parse_file
from .parse.quality import ReadQuality, read_quality
from .settings import Settings
from .store.open import milvus_uri, searchable
from .store import (FORMAT, DocEntry, Manifest, next_generation, read_generation, read_manifest, superseded,
                    undated_versions, write_generation)
from .tokenize import tokens

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildReport:
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    failed: tuple[tuple[str, str], ...]  # (path, message)
    chunks: int
    wrote: bool
    duplicates: tuple[tuple[str, str], ...] = ()  # (file, the indexed file with the same bytes): indexed once
    quality: tuple[tuple[str, ReadQuality], ...] = ()  # (file, how well it was read) for each file parsed
    versions: tuple[tuple[str, str], ...] = ()  # (file added or updated, how it stands to another version of its assessment)

    def notes(self) -> list[tuple[str, str]]:
        """What a user should be told beside the counts, as (level, text): a document read badly
        ("warning"), its relation to other versions, a copy indexed once ("info")."""
        return ([("warning", f"{source}: {q.warning}") for source, q in self.quality if q.warning]
                + [("info", f"{source}: {relation}") for source, relation in self.versions]
                + [("info", f"{copy} has the same content as {original}: indexed once")
                   for copy, original in self.duplicates])


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the .txt/.pdf files inside folders named (README files are not documents)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES
                              and not p.name.lower().startswith("readme")))
        else:
            out.append(path)
    return out


PIPELINE_SOURCES = ("ingest.py", "pdfform.py", "text.py", "schema.py", "forms.py", "models.py", "chunk.py", "tokenize.py",
                    "parse/document.py", "parse/items.py", "parse/reflow.py", "parse/fields.py", "parse/markers.py", "parse/changelog.py",
                    "parse/meta.py", "parse/attribution.py", "parse/record.py", "form/catalogue.py", "form/yoshiki.toml")


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A hash of the code that turns a file into chunks (as loaded by this process): when it changes,
    documents are re-chunked."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in PIPELINE_SOURCES:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()[:16]


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


LOCK_WAIT = 3600  # seconds a build waits for another one writing the same index


def build_index(paths: Iterable[Path], settings: Settings, embedder: Embedder | None = None,
                rebuild: bool = False, progress: Callable[[Iterable, int, str], Iterable] | None = None,
                replace: bool = False, workers: int = 1, ray_address: str | None = None) -> BuildReport:
    """Bring the index in `settings.index_dir` up to date with `paths` (plus what it already holds).

    A file named like an indexed document but from another place and with other content replaces it
    only with `replace` (logged); otherwise it is refused and the indexed document stays.

    Embedding runs here, in `workers` processes, or on the Ray cluster at `ray_address` (embed_jobs.py);
    each document's vectors are cached as they are made, so a killed build resumes where it stopped.

    One writer at a time: a second build (another `piaqa index`, an upload) waits for the first, then
    starts from what the first wrote. Raises IndexMissing when it cannot write (the old index stays)."""
    from filelock import FileLock, Timeout

    embedder = embedder or Embedder(settings)
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(settings.index_dir / ".lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.warning("another build is writing %s; waiting for it", settings.index_dir)
        try:
            lock.acquire(timeout=LOCK_WAIT)
        except Timeout as exc:
            raise IndexMissing(f"another build has held {settings.index_dir}/ for {LOCK_WAIT} s; "
                               f"try again when it has finished") from exc
    try:
        return _build(paths, settings, embedder, rebuild, progress, replace, workers, ray_address)
    finally:
        lock.release()


def _build(paths, settings: Settings, embedder: Embedder, rebuild: bool, progress, replace: bool, workers: int = 1,
           ray_address: str | None = None) -> BuildReport:
    index_dir = settings.index_dir
    previous = None
    fingerprint = {**model_fingerprint(embedder), "pipeline": pipeline_version()}
    old_docs: dict[str, DocEntry] = {}
    old_chunks: dict[str, list[tuple[Chunk, np.ndarray]]] = {}
    try:
        manifest = read_manifest(index_dir)
        previous = manifest.generation
        old_docs = {d.source: d for d in manifest.documents}  # kept, re-read from their files if need be
        if not rebuild and manifest.model == fingerprint:
            chunks, vectors = read_generation(index_dir, manifest)
            for chunk, vector in zip(chunks, vectors):
                old_chunks.setdefault(chunk.doc, []).append((chunk, vector))
    except IndexMissing as exc:
        if (index_dir / "manifest.json").exists():
            log.warning("%s; building a fresh index", exc)
    wanted = {p.name: p for p in expand_paths(paths)}
    for entry in old_docs.values():  # documents indexed before stay, unless their file is gone
        if entry.source not in wanted and Path(entry.path).exists():
            wanted[entry.source] = Path(entry.path)
    removed = tuple(sorted(s for s in old_docs if s not in wanted))
    entries: list[DocEntry] = []
    kept: list[tuple[Chunk, np.ndarray]] = []
    todo: list[tuple[DocEntry, list[Chunk]]] = []
    added, updated, unchanged, failed, read = [], [], [], [], []
    items = sorted(wanted.items())

    def keep_indexed(old: DocEntry | None) -> bool:
        """Keep a document's indexed version as it is (its entry and vectors), if it has one."""
        if old is None or old.source not in old_chunks:
            return False
        entries.append(old)
        kept.extend(old_chunks[old.source])
        return True

    for source, path in (progress(items, len(items), "parse") if progress else items):
        old = old_docs.get(source)
        digest = _sha256(path)
        if old and Path(old.path) != path.resolve() and old.sha256 != digest and Path(old.path).exists():
            if not replace:  # another file under an indexed document's name: never a silent replacement
                failed.append((str(path), f"{source}: an indexed document has this name (from {old.path}); "
                                          "rename the file to add it as another document, or use --replace"))
                keep_indexed(old)
                continue
            log.warning("replacing %s (indexed from %s) with %s", source, old.path, path.resolve())
        if old and old.sha256 == digest and keep_indexed(old):
            unchanged.append(source)
            continue
        try:
            doc = parse_file(path)
        except InputError as exc:
            failed.append((str(path), str(exc)))
            keep_indexed(old)  # the version that was readable stays
            continue
        chunks = chunk_document(doc, settings.chunk_chars)
        if len(chunks) > settings.max_chunks:  # hours of embedding for one file, holding a worker: refused
            failed.append((str(path), f"{source}: too many passages ({len(chunks):,} > {settings.max_chunks:,}); "
                                      "is it one assessment? split it, or raise PIAQA_MAX_CHUNKS"))
            keep_indexed(old)
            continue
        read.append((source, read_quality(doc)))
        entry = DocEntry(source, str(path.resolve()), doc.sha256, doc.org, doc.affair, doc.form, len(chunks),
                         doc.number, doc.published)
        todo.append((entry, chunks))
        (updated if old else added).append(source)
    todo, duplicates = without_copies(todo, entries)
    for source, _ in duplicates:
        (added if source in added else updated).remove(source)
    new_chunks = [c for _, chunks in todo for c in chunks]
    store_moved = previous is not None and not searchable(index_dir / previous, milvus_uri(settings))
    changed = bool(todo or removed or rebuild or store_moved or len(entries) != len(old_docs))
    if not changed:
        return BuildReport((), (), tuple(unchanged), (), tuple(failed), len(kept), False, tuple(duplicates), tuple(read))
    if new_chunks:
        log.info("embedding %d chunks", len(new_chunks))
    cache = EmbeddingCache(index_dir)
    jobs = [Job(job_key(e.sha256, fingerprint), tuple(c.search_text for c in chunks)) for e, chunks in todo]
    done = embed_jobs(jobs, settings, embedder, cache, workers, ray_address, progress)
    new_vectors = np.vstack([done[j.key] for j in jobs] or [np.zeros((0, fingerprint["dimension"]), np.float32)])
    entries.extend(e for e, _ in todo)
    chunks = [c for c, _ in kept] + new_chunks
    dim = fingerprint["dimension"]
    vectors = np.vstack([np.array([v for _, v in kept], dtype=np.float32).reshape(-1, dim), new_vectors])
    order = sorted(range(len(chunks)), key=lambda i: (chunks[i].doc, chunks[i].lines, i))
    chunks = [chunks[i] for i in order]
    vectors = vectors[order]
    manifest = Manifest(FORMAT, next_generation(index_dir), fingerprint, tuple(sorted(entries, key=lambda e: e.source)))
    write_generation(index_dir, manifest, chunks, vectors, [tokens(c.search_text) for c in chunks], previous,
                     milvus=milvus_uri(settings))
    cache.clear()
    return BuildReport(tuple(added), tuple(updated), tuple(unchanged), removed, tuple(failed), len(chunks), True,
                       tuple(duplicates), tuple(read), version_relations(manifest.documents, {*added, *updated}))


def version_relations(documents, new: set[str]) -> tuple[tuple[str, str], ...]:
    """For each new document that is a version of an assessment already indexed (same organisation, 事務,
    form and 評価書番号): which it supersedes or is superseded by, or that their dates do not order them."""
    later = superseded(documents)
    undated = undated_versions(documents)
    out = []
    for source in sorted(new):
        if source in later:
            out.append((source, f"an earlier version than {later[source]}: kept as history"))
        elif older := sorted(s for s, by in later.items() if by == source):
            out.append((source, f"supersedes {', '.join(older)} (kept as history)"))
        elif source in undated:
            out.append((source, f"the same assessment as {', '.join(undated[source])}, and their dates do not say "
                                "which is current: both answer, with a warning"))
    return tuple(out)


def without_copies(todo: list[tuple[DocEntry, list[Chunk]]], kept: list[DocEntry]
                   ) -> tuple[list[tuple[DocEntry, list[Chunk]]], list[tuple[str, str]]]:
    """The new documents minus byte-identical copies of one already kept or of another new one (a second
    download, `name (1).txt`: the shortest name is taken for the original), and the (copy, original)
    pairs: a document is indexed once."""
    seen = {e.sha256: e.source for e in kept}
    for entry, _ in sorted(todo, key=lambda t: (len(t[0].source), t[0].source)):
        seen.setdefault(entry.sha256, entry.source)
    out = [(e, c) for e, c in todo if seen[e.sha256] == e.source]
    copies = [(e.source, seen[e.sha256]) for e, _ in todo if seen[e.sha256] != e.source]
    return out, copies
