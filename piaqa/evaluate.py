"""`piaqa eval`: the dev questions scored by the shared scorer, beside two naive baselines built in
the same run (BM25 alone and dense alone over 500-character chunks of the raw text, as a tutorial
RAG would), with search latency and index build time."""
from __future__ import annotations

import importlib.util
import logging
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .embed import Embedder
from .errors import PiaqaError
from .indexer import build_index, expand_paths
from .ingest import read_questions, read_source
from .answer import answer
from .render import answer_dict, hit_dict
from .retrieve import Index
from .settings import Settings
from .tokenize import tokens

log = logging.getLogger(__name__)


def load_scorer(qa_path: Path):
    """The official scorer: score.py beside the QA file or in a folder above it (shared/eval/)."""
    path = next((d / "score.py" for d in qa_path.resolve().parents[:3] if (d / "score.py").exists()), None)
    if path is None:
        raise PiaqaError(f"no score.py beside {qa_path} or above it: pass --qa pointing into shared/eval/")
    spec = importlib.util.spec_from_file_location("piaqa_eval_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class NaiveChunk:
    doc: str
    text: str
    lines: tuple[int, int]


def naive_chunks(paths: list[Path], size: int = 500, overlap: int = 100) -> list[NaiveChunk]:
    """LangChain's RecursiveCharacterTextSplitter over the raw texts: no structure, no filters."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=size, chunk_overlap=overlap, add_start_index=True)
    out = []
    for path in paths:
        text = read_source(path).text
        for piece in splitter.create_documents([text]):
            start = piece.metadata["start_index"]
            first = text.count("\n", 0, start) + 1
            out.append(NaiveChunk(path.name, piece.page_content, (first, first + piece.page_content.count("\n"))))
    return out


def baseline_results(questions: list[dict], chunks: list[NaiveChunk], embedder: Embedder, k: int = 10):
    """{"bm25": results, "dense": results} in the batch format the scorer reads."""
    from .store import bm25s_module

    retriever = bm25s_module().BM25()
    retriever.index([tokens(c.text) for c in chunks], show_progress=False)
    vectors = embedder.encode_documents([c.text for c in chunks])
    out: dict[str, dict] = {"bm25": {}, "dense": {}}
    for q in questions:
        known = [t for t in tokens(q["question"]) if t in retriever.vocab_dict]
        lex = np.asarray(retriever.get_scores(known)) if known else np.zeros(len(chunks))
        dense = vectors @ embedder.encode_query(q["question"])
        for name, scores in (("bm25", lex), ("dense", dense)):
            top = np.argsort(-scores, kind="stable")[:k]
            out[name][q["id"]] = {"id": q["id"], "hits": [
                {"doc": chunks[i].doc, "lines": list(chunks[i].lines), "text": chunks[i].text} for i in top]}
    return out


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(np.array(values), p)) if values else 0.0


def corpus_for(qa_path: Path, settings: Settings) -> Path:
    """The documents a QA file is about: a `corpus/` beside it (perturbed, pdf), shared/seeds for the dev
    set, the documents beside it (real), else the configured corpus."""
    for candidate in (qa_path.parent / "corpus", qa_path.parent.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    if expand_paths([qa_path.parent]):  # the documents lie beside the questions (eval/real)
        return qa_path.parent
    return settings.corpus_dir


HALVES = {"a/b": ("a", "b"), "c/d": ("c", "d")}  # the dev set's writers: the first two, and the two added later


def not_stated_scores(questions: list[dict], answers: dict) -> dict:
    """Precision and recall of piaqa's "not stated" against the QA file's `unanswerable` flags: of the
    questions answered not_stated, the share the form really does not answer; of those it does not answer,
    the share answered not_stated. {"not_stated_precision", "not_stated_recall", "not_stated_said"}; a
    figure is left out where nothing counts towards it.

    >>> qs = [{"id": "1", "unanswerable": True}, {"id": "2"}, {"id": "3", "unanswerable": True}]
    >>> not_stated_scores(qs, {"1": {"status": "not_stated"}, "2": {"status": "not_stated"}, "3": {"status": "answered"}})
    {'not_stated_said': 2, 'not_stated_precision': 0.5, 'not_stated_recall': 0.5}
    """
    said = [q for q in questions if answers.get(q["id"], {}).get("status") == "not_stated"]
    unanswerable = [q for q in questions if q.get("unanswerable")]
    out: dict = {"not_stated_said": len(said)}
    if said:
        out["not_stated_precision"] = round(sum(bool(q.get("unanswerable")) for q in said) / len(said), 3)
    if unanswerable:
        out["not_stated_recall"] = round(sum(q in said for q in unanswerable) / len(unanswerable), 3)
    return out


def breakdown(scorer, questions: list[dict], results: dict, seeds: Path) -> dict:
    """Scores per half of the dev set (by writer), per voice where the QA file has one (staff, auditor,
    citizen) and, for answers, per question kind."""
    groups = [(name, [q for q in questions if q["id"].split("-")[0] in writers]) for name, writers in HALVES.items()]
    groups += [(f"voice:{v}", [q for q in questions if q.get("voice") == v])
               for v in sorted({q["voice"] for q in questions if q.get("voice")})]
    groups += [(f"kind:{k}", [q for q in questions if q.get("kind") == k])
               for k in sorted({q.get("kind", "") for q in questions})]
    return {name: {**scorer.score(part, results, seeds), **not_stated_scores(part, results)}
            for name, part in groups if part}


def score_index(index: Index, questions: list[dict], scorer, seeds: Path, k: int = 10) -> dict:
    """piaqa's search and answers on the questions, scored: {"piaqa", "piaqa_answers", "answers_by",
    "search_ms_p50/p95", "ask_ms_p50/p95"} (milliseconds, warm, in-process)."""
    report: dict = {}
    index.search("warm up", k=k)
    results, latencies = {}, []
    for q in questions:
        start = time.perf_counter()
        hits = index.search(q["question"], k=k)
        latencies.append((time.perf_counter() - start) * 1000)
        results[q["id"]] = {"id": q["id"], "hits": [hit_dict(h) for h in hits]}
    report["piaqa"] = scorer.score(questions, results, seeds)
    report["search_ms_p50"] = round(percentile(latencies, 50), 1)
    report["search_ms_p95"] = round(percentile(latencies, 95), 1)
    answers, latencies = {}, []
    for q in questions:
        start = time.perf_counter()
        result = answer(index, q["question"])
        latencies.append((time.perf_counter() - start) * 1000)
        answers[q["id"]] = {"id": q["id"], **answer_dict(result)}
    report["piaqa_answers"] = {**scorer.score(questions, answers, seeds), **not_stated_scores(questions, answers)}
    report["answers_by"] = breakdown(scorer, questions, answers, seeds)
    report["ask_ms_p50"] = round(percentile(latencies, 50), 1)
    report["ask_ms_p95"] = round(percentile(latencies, 95), 1)
    return report


def run_eval(qa_path: Path, settings: Settings, baselines: bool = True, k: int = 10,
             corpus: Path | None = None) -> dict:
    """Index `corpus` afresh (default: the one the QA file is about), score piaqa's search and answers
    and the naive baselines on the questions; returns a report dict."""
    questions = read_questions(qa_path)
    scorer = load_scorer(qa_path)
    seeds = corpus or corpus_for(qa_path, settings)
    settings = settings.with_(corpus_dir=seeds)
    embedder = Embedder(settings)
    embedder.model  # load before timing the build
    report: dict = {"questions": len(questions)}
    with tempfile.TemporaryDirectory(prefix="piaqa-eval-") as tmp:
        build_settings = settings.with_(index_dir=Path(tmp) / "index")
        start = time.perf_counter()
        build_index([settings.corpus_dir], build_settings, embedder)
        report["index_build_s"] = round(time.perf_counter() - start, 1)
        start = time.perf_counter()
        build_index([settings.corpus_dir], build_settings, embedder)
        report["index_rerun_s"] = round(time.perf_counter() - start, 2)
        index = Index.load(settings=build_settings, embedder=embedder)
        report.update(score_index(index, questions, scorer, seeds, k))  # while its files exist (they open lazily)
    if baselines:
        naive = naive_chunks(expand_paths([settings.corpus_dir]))
        for name, res in baseline_results(questions, naive, embedder, k).items():
            report[f"baseline_{name}"] = scorer.score(questions, res, seeds)
    return report


def report_text(report: dict) -> str:
    rows = [name for name in ("piaqa", "piaqa_answers", "baseline_bm25", "baseline_dense") if name in report]
    metrics = ["recall@1", "recall@5", "mrr@10", "cite@3", "answer_acc", "not_stated_acc", "false_not_stated",
               "not_stated_precision", "not_stated_recall"]
    metrics = [m for m in metrics if any(m in report[r] for r in rows)]
    width = {m: max(len(m) + 2, 10) for m in metrics}
    lines = [f"{'method':<16}" + "".join(f"{m:>{width[m]}}" for m in metrics)]
    for r in rows:
        lines.append(f"{r:<16}" + "".join(f"{report[r].get(m, '-'):>{width[m]}}" for m in metrics))
    by = report.get("answers_by", {})
    if by:
        lines.append("answers by half, voice and kind:")
        for name, scores in by.items():
            lines.append(f"  {name:<14}" + "".join(f"{scores.get(m, '-'):>{width[m]}}" for m in metrics))
    lines.append(f"questions: {report['questions']}; search p50 {report['search_ms_p50']} ms, "
                 f"p95 {report['search_ms_p95']} ms; ask p50 {report['ask_ms_p50']} ms, p95 {report['ask_ms_p95']} ms "
                 f"(warm, in-process); index build {report['index_build_s']} s, "
                 f"re-run with nothing changed {report['index_rerun_s']} s")
    return "\n".join(lines)
