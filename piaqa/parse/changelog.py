"""Rows of a 変更箇所 (change log) annex: history, never current fact.

Table dumps give clean rows (変更日 | 項目 | 変更前 | 変更後 | 提出時期 | 説明). PDF dumps scramble
them: a row is cut where a date line or a Ⅰ–Ⅵ path line starts after the previous row's body,
and before/after are only set when the row body is exactly two blocks.
"""
from __future__ import annotations

import re

from ..models import Change, Item
from ..schema import CIRCLED, resolve
from ..text import DATE, find_date, table_columns, is_blank, join_wrapped, squeeze
from .markers import CHANGELOG_HEADER

Numbered = list[tuple[int, str]]  # (1-based line number, raw line)

PATH_START = re.compile(r"^[\s\u3000]*(?:(?:令和|平成)\S*?日[\s\u3000]+)?(?:[ⅠⅡⅢⅣⅤⅥ]|[（(]別添)")
TIMING = re.compile(r"^[\s\u3000]*(事前|事後)(?![の])")
INLINE_TIMING = re.compile(r"[\s\u3000]+(事前|事後)(?:[\s\u3000].*)?$", re.S)
MAX_DATE_LINE = 30


def is_date_line(line: str) -> bool:
    """A short line ending in a date (`平成31年4月17日`, `体裁修正平成31年4月17日`), not a sentence citing one."""
    text = line.strip(" \t\u3000")
    return len(text) <= MAX_DATE_LINE and bool(DATE.search(text)) and DATE.search(text).end() == len(text)


def path_key(path: str) -> str | None:
    """The schema key of the item a change-log path names (its last circled label)."""
    pos = max(path.rfind(c) for c in CIRCLED)
    if pos < 0:
        return None
    entry = resolve(path[pos:].split()[0] if path[pos:].split() else path[pos:], (path,))
    return entry.key if entry else None


def _item(label: str, value: str, rows: Numbered, change: Change, page_of) -> Item:
    first, last = rows[0][0], rows[-1][0]
    raw = "\n".join(line for _, line in rows)
    return Item(label=label, key=path_key(label), value=value, raw=raw, lines=(first, last),
                page=page_of(first), history=True, change=change)


def table_rows(lines: Numbered, page_of) -> list[Item]:
    """Rows of a tab-separated change log; continuation lines (leading tabs) join their row."""
    rows: list[Numbered] = []
    for n, line in lines:
        if is_blank(line) or CHANGELOG_HEADER.search(line):
            continue
        if line.split("\t")[0].strip() or not rows:
            rows.append([(n, line)])
        else:
            rows[-1].append((n, line))
    items = []
    for row in rows:
        col = [" ".join(c) for c in table_columns([line for _, line in row])] + [""] * 6
        date, path, before, after, timing, why = col[:6]
        change = Change(date=find_date(date) or (date or None), before=before or None,
                        after=after or None, timing=timing or None, why=why or None)
        value = "\n".join(x for x in (f"変更前: {before}" if before else "", f"変更後: {after}" if after else "",
                                      f"提出時期: {timing} {why}".strip() if timing or why else "") if x)
        items.append(_item(squeeze(path), value, row, change, page_of))
    return items


def _blocks(rows: Numbered) -> list[Numbered]:
    blocks: list[Numbered] = [[]]
    for n, line in rows:
        if is_blank(line):
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append((n, line))
    return [b for b in blocks if b]


def _split_rows(lines: Numbered) -> list[Numbered]:
    rows: list[Numbered] = []
    cur: Numbered = []
    has_body = in_path = False
    for n, line in lines:
        if CHANGELOG_HEADER.search(line):
            continue
        starts = is_date_line(line) or bool(PATH_START.match(line))
        if starts and has_body:
            carry: Numbered = []
            while cur and (is_blank(cur[-1][1]) or is_date_line(cur[-1][1])):
                carry.insert(0, cur.pop())
            if cur:
                rows.append(cur)
            cur, has_body, in_path = carry, False, False
        cur.append((n, line))
        if is_blank(line):
            in_path = False
        elif PATH_START.match(line):
            in_path = True
        elif not is_date_line(line) and not in_path:
            has_body = True
    if cur:
        rows.append(cur)
    return rows


def _one_line_cells(texts: list[str]) -> tuple[str | None, str | None]:
    """変更前 and 変更後 printed on one line of the dump: two short cells of one row, which the dump joins
    with an ASCII space (a space inside a cell is U+3000): `（記載なし） 株式会社○○`.

    >>> _one_line_cells(["（記載なし） 10人以上50人未満"]), _one_line_cells(["三つ の セル"])
    (('（記載なし）', '10人以上50人未満'), (None, None))
    """
    cells = texts[0].split(" ") if len(texts) == 1 and "\n" not in texts[0] else []
    return (cells[0], cells[1]) if len(cells) == 2 and all(cells) else (None, None)


def pdf_rows(lines: Numbered, page_of) -> list[Item]:
    """Rows of a change log in a PDF text dump, best effort."""
    items = []
    for row in _split_rows(lines):
        content = [(n, s) for n, s in row if not is_blank(s)]
        if not content:
            continue
        lead = content[0][1]
        date = find_date(lead) if is_date_line(lead) or PATH_START.match(lead) else None
        blocks = [b for b in _blocks(row) if not all(is_date_line(s) for _, s in b)]
        path_block = blocks[0] if blocks and PATH_START.match(blocks[0][0][1]) else []
        body = [b for b in blocks if b is not path_block]
        timing = next((TIMING.match(s).group(1) for b in body for _, s in b if TIMING.match(s)), None)
        # the 提出時期 cell (事前/事後) and the explanation printed under it are neither 変更前 nor 変更後
        text_blocks = [b for b in body if not TIMING.match(b[0][1])]
        why = join_wrapped([TIMING.sub("", s) for b in body if TIMING.match(b[0][1]) for _, s in b]).strip()
        label = squeeze(join_wrapped([re.sub(r"^(?:令和|平成)\S*?日", "", s) for _, s in path_block]))
        texts = [join_wrapped([s for _, s in b]) for b in text_blocks]
        tail = INLINE_TIMING.search(texts[-1]) if texts else None
        if tail:  # `令和2年8月31日まで 事後` / `③その他の項目の変更であり…`: the 提出時期 cell glued to the last one
            texts[-1], timing = texts[-1][:tail.start()], timing or tail.group(1)
        before, after = (texts[0], texts[1]) if len(texts) == 2 else _one_line_cells(texts)
        change = Change(date=date, before=before, after=after, timing=timing, why=why or None)
        items.append(_item(label, "\n".join(texts), row, change, page_of))
    return items
