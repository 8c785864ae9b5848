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
    return status


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="piaqa", description="Questions and cited answers over 特定個人情報保護評価書.")
    ap.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="read documents into their form structure")
    p.add_argument("files", nargs="+", help="assessment files (.txt in UTF-8 or CP932, or .pdf)")
    p.add_argument("--json", action="store_true", help="print the structure as JSON")
    p.add_argument("--outline", action="store_true", help="sections only, no item values")
    p.set_defaults(func=cmd_parse)
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
