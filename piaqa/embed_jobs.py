"""Embedding many documents: in this process, in N worker processes (`piaqa index --workers N`), or on a
Ray cluster (`--ray ADDRESS`), resumable by document.

Each document's vectors are saved in the index folder's embedding cache (.embeddings/, one .npy per
document content and model) as soon as they are computed; a build that is killed starts again from the
documents not yet cached, and a successful build empties the cache. Each worker loads the model once
and uses max(1, cores // N) torch threads, so N workers share the machine instead of contending for it.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .embed import Embedder
from .settings import Settings

log = logging.getLogger(__name__)
CACHE = ".embeddings"
PROGRESS_BATCHES = 4  # batches embedded between two progress updates


@dataclass(frozen=True)
class Job:
    """One document's passages to embed: `key` names its content and the model (the cache file)."""

    key: str
    texts: tuple[str, ...]


def job_key(sha256: str, fingerprint: dict) -> str:
    model = hashlib.sha256(repr(sorted(fingerprint.items())).encode("utf-8")).hexdigest()[:16]
    return f"{sha256[:32]}-{model}"


class EmbeddingCache:
    """Per-document vectors in `index_dir/.embeddings/`, written atomically."""

    def __init__(self, index_dir: Path):
        self.folder = index_dir / CACHE

    def get(self, key: str) -> np.ndarray | None:
        path = self.folder / f"{key}.npy"
        try:
            return np.load(path) if path.exists() else None
        except (OSError, ValueError):
            return None  # a torn file from a kill: embedded again

    def put(self, key: str, vectors: np.ndarray) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{key}.tmp.npy"
        np.save(tmp, vectors)
        os.replace(tmp, self.folder / f"{key}.npy")

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


_worker: Embedder | None = None


def _start_worker(settings: Settings, threads: int) -> None:
    global _worker
    import torch

    torch.set_num_threads(threads)
    _worker = Embedder(settings)


def _embed_in_worker(job: Job) -> tuple[str, np.ndarray]:
    return job.key, _worker.encode_documents(list(job.texts))


def _in_processes(jobs: list[Job], settings: Settings, workers: int) -> Iterator[tuple[str, np.ndarray]]:
    import multiprocessing

    threads = max(1, (os.cpu_count() or 1) // workers)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker,
                             initargs=(settings, threads)) as pool:
        for future in as_completed([pool.submit(_embed_in_worker, job) for job in jobs]):
            yield future.result()


def _on_ray(jobs: list[Job], settings: Settings, workers: int, address: str) -> Iterator[tuple[str, np.ndarray]]:
    try:
        import ray
        from ray.util import ActorPool
    except ImportError as exc:
        raise RuntimeError('embedding on Ray needs ray: pip install -e ".[ray]"') from exc
    ray.init(address=None if address == "local" else address, ignore_reinit_error=True, log_to_driver=False,
             include_dashboard=False)

    @ray.remote(num_cpus=1)
    class EmbedWorker:
        def __init__(self, settings: Settings):
            _start_worker(settings, 1)

        def embed(self, job: Job) -> tuple[str, np.ndarray]:
            return _embed_in_worker(job)

    pool = ActorPool([EmbedWorker.remote(settings) for _ in range(workers)])
    yield from pool.map_unordered(lambda actor, job: actor.embed.remote(job), jobs)


def _here(jobs: list[Job], embedder: Embedder, progress) -> Iterator[tuple[str, np.ndarray]]:
    """In this process, a few batches at a time (progress moves per group, as the app shows it); each
    document is yielded when its last group is done."""
    step = embedder.settings.batch_size * PROGRESS_BATCHES
    groups = [(job, job.texts[i:i + step], i + step >= len(job.texts)) for job in jobs
              for i in range(0, len(job.texts), step)]
    parts: list[np.ndarray] = []
    for job, texts, last in (progress(groups, len(groups), "embed") if progress else groups):
        parts.append(embedder.encode_documents(list(texts)))
        if last:
            yield job.key, np.concatenate(parts)
            parts = []


def embed_jobs(jobs: list[Job], settings: Settings, embedder: Embedder, cache: EmbeddingCache, workers: int = 1,
               ray_address: str | None = None,
               progress: Callable[[Iterable, int, str], Iterable] | None = None) -> dict[str, np.ndarray]:
    """{job key: (n, d) float32 vectors} for every job, from the cache where a killed build left them,
    else computed (here with `embedder`, in `workers` processes, or on the Ray cluster at `ray_address`,
    "local" for one started here) and cached as each document finishes."""
    out = {job.key: v for job in jobs if (v := cache.get(job.key)) is not None}
    todo = [job for job in jobs if job.key not in out and job.texts]
    out.update({job.key: np.zeros((0, embedder.dimension), np.float32) for job in jobs if not job.texts})
    if out and todo:
        log.info("resuming: %d documents already embedded, %d to go", len(jobs) - len(todo), len(todo))
    if ray_address:
        results = _on_ray(todo, settings, max(workers, 1), ray_address)
    elif workers > 1 and len(todo) > 1:
        results = _in_processes(todo, settings, workers)
    else:
        results, progress = _here(todo, embedder, progress if todo else None), None
    for key, vectors in (progress(results, len(todo), "embed") if progress and todo else results):
        cache.put(key, vectors)
        out[key] = vectors
    return out
