"""What each `piaqa` command does; the parser is in options.py, exit codes and errors in __init__.py."""
from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

from ..errors import PiaqaError, QueryError

log = logging.getLogger("piaqa")

EXIT = {"answered": 0, "found": 0, "not_stated": 3, "no_match": 4}  # by answer status (search: found/no_match)
EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130


def cmd_parse(args) -> int:
    from ..parse import parse_file
    from ..parse.quality import read_quality
    from ..parse.record import record_of
    from ..render import document_dict, document_text, to_json

    status = 0
    for path in args.files:
        try:
            doc = parse_file(Path(path))
        except PiaqaError as exc:
            print(f"piaqa: error: {exc}", file=sys.stderr)
            status = EXIT_USAGE
            continue
        record = record_of(doc)
        print(to_json(document_dict(doc, record)) if args.json else document_text(doc, values=not args.outline))
        quality = read_quality(doc, record)
        print(f"piaqa: {doc.source}: read {quality.summary()}", file=sys.stderr)
        if quality.warning:
            print(f"piaqa: warning: {doc.source}: {quality.warning}", file=sys.stderr)
    return status


def _settings(llm: str | None = None):
    """Settings from the environment; `llm` (--llm) overrides PIAQA_LLM."""
    from ..settings import from_env

    settings = from_env()
    return settings.with_(llm=llm) if llm else settings


def _progress(items, total, what):
    from tqdm import tqdm

    return tqdm(items, total=total, desc=what, unit="doc" if what == "parse" else "step")


def cmd_index(args) -> int:
    from ..indexer import build_index

    settings = _settings()
    paths = [Path(p) for p in args.paths] or [settings.corpus_dir]
    report = build_index(paths, settings, rebuild=args.rebuild, progress=_progress, replace=args.replace,
                         workers=args.workers, ray_address=args.ray)
    for path, message in report.failed:
        print(f"piaqa: error: {message} (skipped; the index keeps what it had)", file=sys.stderr)
    for source, quality in report.quality:
        print(f"piaqa: {source}: read {quality.summary()}", file=sys.stderr)
    for level, text in report.notes():
        print(f"piaqa: {'warning: ' if level == 'warning' else ''}{text}", file=sys.stderr)
    print(f"index {settings.index_dir}: {report.chunks} chunks; added {len(report.added)}, updated "
          f"{len(report.updated)}, unchanged {len(report.unchanged)}, removed {len(report.removed)}"
          + ("" if report.wrote else " (nothing to do)")
          + ("" if settings.store in ("", "local") else f"; searched in {settings.store}"))
    return EXIT_FAILED if report.failed else 0


def _server(args) -> str | None:
    """A running `piaqa serve` to send questions to: --server, else PIAQA_SERVER."""
    return getattr(args, "server", None) or os.environ.get("PIAQA_SERVER") or None


def _filters(args) -> dict:
    """The filter options of `search` and `ask`, as the library and the server take them."""
    return {"org": args.org, "affair": args.affair, "form": args.form, "history": not args.no_history,
            "as_of": args.as_of, "doc": args.doc}


def _batch(args, run) -> int:
    """One JSON object a line for each {"id", "question"} of --batch, to --output or standard output."""
    from ..ingest import read_questions

    questions = read_questions(Path(args.batch))
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for q in questions:
            out.write(json.dumps({"id": q.get("id"), **run(q["question"])}, ensure_ascii=False) + "\n")
    finally:
        if args.output:
            out.close()
    return 0


def _remote(args, path: str, server: str) -> int:
    """search/ask through a running server: the same output and exit codes as in this process."""
    from ..client import request

    def body(question: str) -> dict:
        return {"question": question, "k": args.k, **_filters(args)}

    if args.batch:
        return _batch(args, lambda q: json.loads(request(server, path, body(q))[0]))
    text, headers = request(server, path, body(" ".join(args.question)), text=not args.json)
    print(json.dumps(json.loads(text), ensure_ascii=False, indent=1) if args.json else text)
    return EXIT.get(headers.get("x-piaqa-status", "answered"), 0)


def cmd_search(args) -> int:
    server = _server(args)
    if server:
        return _remote(args, "/search", server)
    from ..render import hits_text, search_dict, to_json
    from ..retrieve import Index

    index = Index.load(settings=_settings())
    if args.batch:
        return _batch(args, lambda q: search_dict(q, index.search(q, k=args.k, **_filters(args))))
    question = " ".join(args.question)
    hits = index.search(question, k=args.k, **_filters(args))
    print(to_json(search_dict(question, hits)) if args.json else hits_text(question, hits))
    return EXIT["found" if hits else "no_match"]


def cmd_ask(args) -> int:
    server = _server(args)
    if server:
        if args.llm:
            raise PiaqaError("--llm is set where the server starts (piaqa serve --llm …); drop it here")
        return _remote(args, "/ask", server)
    from ..answer.llm import answerer
    from ..render import answer_dict, answer_text, to_json
    from ..retrieve import Index

    settings = _settings(args.llm)
    index = Index.load(settings=settings)
    answer = answerer(settings.llm, settings.llm_base_url)
    if args.batch:
        return _batch(args, lambda q: answer_dict(answer(index, q, k=args.k, **_filters(args))))
    result = answer(index, " ".join(args.question), k=args.k, **_filters(args))
    print(to_json(answer_dict(result)) if args.json else answer_text(result))
    return EXIT[result.status]


def cmd_facts(args) -> int:
    from ..answer.facts import facts, facts_csv, facts_dict
    from ..render import location, to_json
    from ..retrieve import Index

    table = facts(Index.load(settings=_settings()), args.item, history=args.history)
    if args.csv:
        sys.stdout.write(facts_csv(table))
    elif args.json:
        print(to_json(facts_dict(table)))
    else:
        print(f"{table.item} ({table.key})")
        for f in table.rows:
            where = f"{f.doc} {location(f.chunk, short=True)}".rstrip() if f.chunk else f.doc
            print(f"  {f.org} | {f.affair} | {f.form} | {f.group or '-'} | {f.value}  [{where}]")
    return 0


def cmd_serve(args) -> int:
    from ..retrieve import Index
    from ..serve import serve

    settings = _settings(args.llm)
    serve(Index.load(settings=settings), host=args.host, port=args.port, llm=settings.llm,
          llm_base_url=settings.llm_base_url)
    return 0


def cmd_bench(args) -> int:
    from ..bench import bench, cli_bench
    from ..store import read_manifest

    settings = _settings()
    orgs = sorted({d.org for d in read_manifest(settings.index_dir).documents if d.org})
    if not orgs:
        raise PiaqaError("the index holds no organisation; run `piaqa index` first")
    if args.cli:
        print(cli_bench(orgs).text())
        return 0
    if args.scale:
        from ..bench_scale import SIZES, scale_bench, table

        sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
        if not sizes or any(s not in SIZES for s in sizes):
            raise QueryError(f"--sizes takes {', '.join(SIZES)} (comma-separated), got {args.sizes!r}")
        rows = scale_bench(settings, sizes, [s.strip() for s in args.stores.split(",") if s.strip()], Path(args.workdir))
        (Path(args.workdir) / "results.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        print(table(rows))
        return 0
    report = bench(orgs, users=args.users, seconds=args.seconds, url=args.url)
    print(report.text())
    return EXIT_FAILED if report.errors or report.crossed else 0


def cmd_eval(args) -> int:
    from ..evaluate import report_text, run_eval
    from ..render import to_json

    report = run_eval(Path(args.qa), _settings(), baselines=not args.no_baselines,
                      corpus=Path(args.corpus) if args.corpus else None)
    print(to_json(report) if args.json else report_text(report))
    return 0


def cmd_setup(args) -> int:
    from ..modelbuild import build_default_model

    settings = _settings()
    path = build_default_model(settings.default_model_dir, force=args.force)
    print(f"default model ready at {path}")
    return 0
