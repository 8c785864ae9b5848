"""The command line: `piaqa parse|setup|index|search|ask|facts|serve|bench|eval`. Environment and exit codes live
here only (commands.py, options.py); imports are lazy, so `--help`, `parse`, usage errors and questions
sent to a running `piaqa serve` never load the model."""
from __future__ import annotations

import json
import logging
import sys

from ..errors import PiaqaError
from .commands import EXIT_INTERRUPTED, EXIT_USAGE
from .options import build_parser

__all__ = ["build_parser", "main"]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    json_errors = "--json" in argv
    parser = build_parser(json_errors)
    args = parser.parse_args(argv)
    if args.command in ("search", "ask") and not args.question and not args.batch:
        parser.error(f"{args.command}: give a QUESTION or --batch FILE")  # before anything is loaded
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except PiaqaError as exc:
        if json_errors:
            print(json.dumps({"error": str(exc), "exit": EXIT_USAGE}, ensure_ascii=False))
        else:
            print(f"piaqa: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        what = "; the index is unchanged" if args.command == "index" else ""  # a build is written whole or not at all
        print(f"piaqa: interrupted{what}", file=sys.stderr)
        return EXIT_INTERRUPTED

