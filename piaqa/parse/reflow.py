"""Lines for a text whose line breaks were lost (a PDF extracted onto one line).

Some published texts reach us reflowed: the whole cover and form on one line, a space wherever the
PDF wrapped a cell (`特定個人情報ファイ ルの取扱い`), and the running page header printed inside the
body at every page (`後期高齢者医療制度に関する事務 1 郡山市市民部国民健康保険課`). The form's own
printed words say where its lines were: a line is started before each cover label, section and
sub-section heading, group name and numbered item label the form prints, and the cover labels get
their values on the next line, as in every other dump. Matching ignores the wrap spaces.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..forms import SECTION_TITLES, SUBSECTION_TITLES
from ..schema import CIRCLED, form_labels
from ..text import compact
from .markers import COVER_LABELS

REFLOW_SIGNS = ("評価書番号", "評価実施機関名", "公表日", "項目一覧", "個人のプライバシー等の権利利益の保護の宣言")
ROMAN = "ⅠⅡⅢⅣⅤⅥ"
STYLE = r"[\[［](?:平成|令和)[0-9０-９元]{1,2}年[0-9０-９]{1,2}月様式[0-9０-９][\]］]"
PAGE_HEADER = re.compile(r"(\S{4,40}) ([0-9]{1,3}) (\S{4,40})")


def is_reflowed(lines: list[str]) -> bool:
    """A text whose line breaks were lost: one line holds three or more of the cover's labels,
    which every dump with its breaks prints on lines (or table rows) of their own.

    >>> is_reflowed(["評価書番号 11 評価書名 … 評価実施機関名 郡山市 公表日 平成27年1月9日"])
    True
    >>> is_reflowed(["評価書番号\t評価書名", "1\t大分市 …", "公表日"])
    False
    """
    return any(sum(label in compact(line) for label in REFLOW_SIGNS) >= 3 for line in lines)


def _alternatives(words) -> str:
    return "|".join(re.escape(w) for w in sorted({compact(w) for w in words if w}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _breaks() -> tuple[re.Pattern, re.Pattern]:
    """(starts a line, starts a line and ends after itself) over compacted text."""
    cover = _alternatives(label.split("【")[0] for label in COVER_LABELS)  # 評価書番号評価書名: one header row
    sections = _alternatives(SECTION_TITLES)
    subsections = _alternatives(SUBSECTION_TITLES)
    labels = _alternatives(form_labels())
    starts = re.compile(
        rf"[{ROMAN}](?:{sections})"
        rf"|[(（]別添[0-9０-９]*[)）]"
        rf"|(?<![0-9０-９])[0-9０-９]{{1,2}}[．.](?:{subsections})"
        rf"|[{CIRCLED}](?:{labels})"
        rf"|(?:システム|委託事項|提供先|移転先)[0-9０-９]{{1,2}}(?![0-9０-９~～〜])"
        rf"|リスク[0-9０-９]{{0,2}}[:：]")
    whole = re.compile(rf"(?:{cover})(?:【[^】]*】)?|{STYLE}|項目一覧")
    return starts, whole


def _page_headers(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Spans of running headers and footers — the same words around a page number, twice or more:
    (the first of each, the repeats)."""
    found = [(m.start(), m.end(), (m.group(1), m.group(3))) for m in PAGE_HEADER.finditer(text)]
    counts = Counter(key for _, _, key in found)
    first, repeats, seen = [], [], set()
    for start, end, key in found:
        if counts[key] >= 2:
            (repeats if key in seen else first).append((start, end))
            seen.add(key)
    return first, repeats


def relines(text: str) -> list[tuple[int, str]]:
    """The lines of a reflowed text, each with the line of the file it starts on: a break before each
    printed label or heading, a running header kept once on a line of its own (it names the
    department) and dropped where it recurs."""
    first, repeats = _page_headers(text)
    dropped = bytearray(len(text))
    for start, end in repeats:
        dropped[start:end] = b"\x01" * (end - start)
    cuts = {position for span in first + repeats for position in span}
    keep = [c for c, char in enumerate(text) if not dropped[c] and not char.isspace()]
    squeezed = "".join(text[c] for c in keep)
    starts, whole = _breaks()
    for m in starts.finditer(squeezed):
        cuts.add(keep[m.start()])
    for m in whole.finditer(squeezed):
        cuts.add(keep[m.start()])
        if m.end() < len(keep):
            cuts.add(keep[m.end()])
    lines: list[tuple[int, str]] = []
    line: list[str] = []
    number, start = 1, 1  # line of the file now, and where the line being built began
    for c, char in enumerate(text):
        if char == "\n":
            number += 1
        if dropped[c]:
            continue
        if c in cuts and line:
            lines.append((start, "".join(line).strip()))
            line = []
        if not line:
            start = number
        line.append(char)
    lines.append((start, "".join(line).strip()))
    return [(n, line) for n, line in lines if line]
