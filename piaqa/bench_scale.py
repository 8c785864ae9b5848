"""`piaqa bench --scale`: search and `ask` at national size, on a synthetic corpus.

The synthetic corpus is the indexed sample replicated: each copy's organisations renamed (a made-up
name of kanji, so questions name it as they name a city), its passages' text and BM25 tokens renamed
with it, and its vectors the sample's plus small Gaussian noise (σ = NOISE, renormalised) — BM25
statistics and vector neighbourhoods stay realistic; the answers are the sample's. Each size is written
by the same code as `piaqa index` (store/generation.py) and measured in a fresh process: load time, RSS
after loading (before the model, then with it), and latency p50/p95 of search and `ask` without the
query embedding (query vectors computed beforehand) and with it (the real model, one thread).
"""
from __future__ import annotations

import json
import logging
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from .settings import Settings

log = logging.getLogger(__name__)
SIZES = {"1k": 1, "13k": 10, "134k": 100, "1.3M": 1000}  # copies of the sample (1,339 passages)
NOISE = 0.01
DIGITS = "東西南北上下中本新大"  # a copy's number written in these, as an organisation's name
QUESTIONS = ("{org}の委託先は？", "{org}の国民年金の保管期間は？", "{org}の評価書番号は？", "{org}の再委託先は？",
             "{org}の特定個人情報ファイル名は？", "特定個人情報ファイルを取り扱う事務の名称は？")
ROUNDS = 60  # questions timed per measurement


def copy_name(org: str, copy: int) -> str:
    """The organisation's name in copy `copy`: its suffix kept, its name the copy number in DIGITS.

    >>> copy_name("大分市", 123), copy_name("地方職員共済組合", 7)
    ('西南北大市', '本大組合')
    """
    suffix = org[-2:] if org.endswith("組合") else org[-1:]
    return "".join(DIGITS[int(d)] for d in str(copy)) + "大" + suffix


def build_synthetic(settings: Settings, copies: int, out: Path, store: str = "local") -> dict:
    """Write a synthetic index of `copies` copies of the index in settings.index_dir into `out`.
    Returns {passages, documents, organisations, build_s, disk_mb}."""
    from .store import Manifest, read_generation, read_manifest, write_generation
    from .store.open import milvus_uri
    from .tokenize import tokens

    started = time.perf_counter()
    manifest = read_manifest(settings.index_dir)
    chunks, vectors = read_generation(settings.index_dir, manifest)
    base_tokens = [tokens(c.search_text) for c in chunks]
    orgs = sorted({d.org for d in manifest.documents if d.org})
    rng = np.random.default_rng(0)
    docs, all_chunks, all_tokens, parts = [], [], [], []
    for copy in range(copies):
        names = {o: copy_name(o, copy * len(orgs) + i + 1) for i, o in enumerate(orgs)}
        name_tokens = {o: tokens(n) for o, n in names.items()}
        org_tokens = {o: set(tokens(o)) for o in orgs}
        for d in manifest.documents:
            docs.append(replace(d, source=f"c{copy:05d}_{d.source}", org=names.get(d.org, d.org), path=""))
        for c, toks in zip(chunks, base_tokens):
            new = names.get(c.org, c.org)
            rename = (lambda t: t.replace(c.org, new)) if c.org else (lambda t: t)
            all_chunks.append(replace(c, id=f"c{copy}:{c.id}", doc=f"c{copy:05d}_{c.doc}", org=new,
                                      text=rename(c.text), search_text=rename(c.search_text), value=rename(c.value)))
            all_tokens.append([t for t in toks if t not in org_tokens.get(c.org, ())] + name_tokens.get(c.org, []))
        noisy = vectors + rng.normal(0, NOISE, vectors.shape).astype(np.float32)
        parts.append(noisy / np.linalg.norm(noisy, axis=1, keepdims=True))
    docs.sort(key=lambda d: d.source)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    synthetic = Manifest(manifest.format, "gen-000001", manifest.model, tuple(docs))
    order = sorted(range(len(all_chunks)), key=lambda i: all_chunks[i].doc)
    uri = milvus_uri(settings.with_(index_dir=out, store=store))
    write_generation(out, synthetic, [all_chunks[i] for i in order], np.vstack(parts)[order],
                     [all_tokens[i] for i in order], milvus=uri)
    if uri:
        from .store.milvus import release

        release(uri)  # the measuring process opens it
    disk = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {"passages": len(all_chunks), "documents": len(docs), "organisations": len(orgs) * copies,
            "build_s": round(time.perf_counter() - started, 1), "disk_mb": round(disk / 2**20)}


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentiles(values: list[float]) -> tuple[float, float]:
    return round(float(np.percentile(values, 50)), 1), round(float(np.percentile(values, 95)), 1)


class _Precomputed:
    """Query vectors computed before timing (for "without the query embedding"); others by the model."""

    def __init__(self, vectors: dict[str, np.ndarray], embedder):
        self.vectors, self.embedder = vectors, embedder

    def encode_query(self, text: str) -> np.ndarray:
        found = self.vectors.get(text)
        return found if found is not None else self.embedder.encode_query(text)


def measure(index_dir: Path, settings: Settings, questions: list[str]) -> dict:
    """Load the index at `index_dir` and time search and ask, in this process (run it in a fresh one)."""
    from .answer import answer
    from .embed import Embedder, serving_threads
    from .query import analyse
    from .retrieve import Index

    serving_threads(1)
    rss_start = _rss_mb()
    started = time.perf_counter()
    embedder = Embedder(settings)
    index = Index.load(index_dir, settings=settings, embedder=embedder)
    load_s = time.perf_counter() - started
    rss_loaded = _rss_mb()
    expanded = {analyse(q, index.vocab).expanded for q in questions}
    vectors = {text: embedder.encode_query(text) for text in expanded}  # the model loads here
    rss_model = _rss_mb()
    index.embedder = _Precomputed(vectors, embedder)
    timings: dict[str, list[float]] = {"search": [], "ask": []}
    for q in questions[:5]:
        answer(index, q)
    for q in questions:
        for name, run in (("search", lambda: index.search(q, k=10)), ("ask", lambda: answer(index, q))):
            t = time.perf_counter()
            run()
            timings[name].append((time.perf_counter() - t) * 1000)
    index.embedder = embedder
    with_model: dict[str, list[float]] = {"search": [], "ask": []}
    for q in questions[:20]:
        for name, run in (("search", lambda: index.search(q + " ", k=10)), ("ask", lambda: answer(index, q + " "))):
            t = time.perf_counter()
            run()
            with_model[name].append((time.perf_counter() - t) * 1000)
    return {"store": index.store.name, "dense": getattr(getattr(index.store, "dense", None), "info", {}),
            "load_s": round(load_s, 2), "rss_start_mb": round(rss_start), "rss_index_mb": round(rss_loaded),
            "rss_model_mb": round(rss_model), "search_ms": _percentiles(timings["search"]),
            "ask_ms": _percentiles(timings["ask"]), "search_embed_ms": _percentiles(with_model["search"]),
            "ask_embed_ms": _percentiles(with_model["ask"])}


def questions_for(index_dir: Path, rounds: int = ROUNDS) -> list[str]:
    from .store import read_manifest

    orgs = sorted({d.org for d in read_manifest(index_dir).documents if d.org})
    rng = np.random.default_rng(1)
    return [QUESTIONS[i % len(QUESTIONS)].format(org=orgs[int(rng.integers(len(orgs)))]) for i in range(rounds)]


def scale_bench(settings: Settings, sizes: list[str], stores: list[str], workdir: Path) -> list[dict]:
    """Build each size for each store under `workdir` and measure it in a fresh process; the rows of the
    table the README shows."""
    rows = []
    for store in stores:
        for size in sizes:
            folder = workdir / f"{store}-{size}"
            built = build_synthetic(settings, SIZES[size], folder, store)
            env = {**os.environ, "PIAQA_STORE": store}
            result = subprocess.run([sys.executable, "-m", "piaqa.bench_scale", str(folder), str(settings.cache_dir)],
                                    env=env, capture_output=True, text=True, check=False)
            if result.returncode:
                raise RuntimeError(f"measuring {folder} failed: {result.stderr[-2000:]}")
            row = {"size": size, **built, **json.loads(result.stdout.strip().splitlines()[-1]), "store": store}
            log.info("%s", row)
            rows.append(row)
    return rows


def table(rows: list[dict]) -> str:
    """The measured rows as a Markdown table."""
    head = ("| store | passages (documents, organisations) | search p50/p95 ms | ask p50/p95 ms | with the query "
            "embedding: search / ask p95 ms | RSS index / with model MB | load s | disk MB | dense index (recall@10) |\n"
            "|---|---|---|---|---|---|---|---|---|")
    lines = [head]
    for r in rows:
        dense = r.get("dense") or {}
        lines.append(f"| {r['store']} | {r['passages']:,} ({r['documents']:,}, {r['organisations']:,}) | "
                     f"{r['search_ms'][0]} / {r['search_ms'][1]} | {r['ask_ms'][0]} / {r['ask_ms'][1]} | "
                     f"{r['search_embed_ms'][1]} / {r['ask_embed_ms'][1]} | {r['rss_index_mb']} / {r['rss_model_mb']} | "
                     f"{r['load_s']} | {r['disk_mb']:,} | {dense.get('kind', 'milvus')} "
                     f"({dense.get('recall@10', '–')}) |")
    return "\n".join(lines)


if __name__ == "__main__":  # measure one built index in this fresh process: python -m piaqa.bench_scale DIR CACHE
    logging.basicConfig(level=logging.WARNING)
    folder, cache = Path(sys.argv[1]), Path(sys.argv[2])
    own = Settings(cache_dir=cache, index_dir=folder, store=os.environ.get("PIAQA_STORE", "local"))
    print(json.dumps(measure(folder, own, questions_for(folder))))
