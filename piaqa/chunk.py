"""Chunks: one per form item (or per part of a long item), each carrying its context.

The search text starts with the organisation, 事務, form type, section path and label, so that
"委託先名" of 大分市 住基 and of 千葉市 国年 are different chunks that say so. Option lists stay out of
the search text; the selected value and ticked boxes stay in. Change-log chunks are kept, marked.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from .models import Chunk, Document, Item, Section
from .parse.fields import split_options
from .schema import by_key
from .text import squeeze

SENTENCE_END = re.compile(r"(?<=[。．])")


def section_path(path: tuple[str, ...]) -> str:
    return " > ".join(path)


def context(doc: Document, path: tuple[str, ...], item: Item) -> str:
    """The line every chunk's search text starts with."""
    parts = [doc.org or "", doc.affair or "", doc.form or "", section_path(path), item.label]
    if item.history:
        parts.append("変更箇所 変更前 変更後" + (f" {item.change.date}" if item.change and item.change.date else ""))
    if item.key:
        parts.append(by_key(item.key).labels[0])
    return " | ".join(p for p in parts if p)


def facts(item: Item) -> str:
    out = []
    if item.selected:
        out.append(f"[{item.selected}]")
    if item.checked:
        out.append("選択: " + "、".join(item.checked))
    return " ".join(out)


def split_long(text: str, limit: int) -> list[str]:
    """Cut a long text at sentence ends (。) into parts of at most about `limit` characters.

    >>> split_long("あ。い。う。", 4)
    ['あ。い。', 'う。']
    """
    parts, cur = [], ""
    for sentence in SENTENCE_END.split(text):
        if cur and len(cur) + len(sentence) > limit:
            parts.append(cur)
            cur = ""
        cur += sentence
        while len(cur) > limit * 2:  # a run with no 。 at all
            parts.append(cur[:limit])
            cur = cur[limit:]
    if cur.strip():
        parts.append(cur)
    return parts


def item_parts(item: Item, limit: int) -> Iterator[tuple[str, str, tuple[int, int]]]:
    """(raw text, clean text, line span) parts of an item, each under about `limit` characters."""
    if len(item.value) <= limit:
        yield item.raw, item.value, item.lines
        return
    rows = item.raw.split("\n")
    group: list[str] = []
    start = item.lines[0]
    size = 0
    for offset, row in enumerate(rows):
        n = item.lines[0] + offset
        clean = split_options(row)[0]
        if len(clean) > limit:
            if group:
                yield "\n".join(group), squeeze(" ".join(split_options(r)[0] for r in group)), (start, n - 1)
                group, size = [], 0
            for piece in split_long(row, limit):
                yield piece, split_options(piece)[0], (n, n)
            start = n + 1
            continue
        if group and size + len(clean) > limit:
            yield "\n".join(group), squeeze(" ".join(split_options(r)[0] for r in group)), (start, n - 1)
            group, size, start = [], 0, n
        if not group:
            start = n
        group.append(row)
        size += len(clean)
    if group:
        yield "\n".join(group), squeeze(" ".join(split_options(r)[0] for r in group)), (start, item.lines[1])


def walk_items(sections: tuple[Section, ...], parents: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Item]]:
    for section in sections:
        path = (*parents, section.title)
        for item in section.items:
            yield path, item
        yield from walk_items(section.children, path)


def chunk_document(doc: Document, limit: int = 800) -> list[Chunk]:
    """All chunks of a document, in source order."""
    chunks: list[Chunk] = []
    for path, item in walk_items(doc.sections):
        head = context(doc, path, item)
        for raw, clean, lines in item_parts(item, limit):
            if not clean.strip() and not facts(item):
                continue
            page = doc.pages[lines[0] - 1] if doc.pages else None
            chunks.append(Chunk(
                id=f"{doc.source}:{lines[0]}-{lines[1]}:{len(chunks)}", doc=doc.source, org=doc.org,
                affair=doc.affair, form=doc.form, section=section_path(path), item=item.label, key=item.key,
                text=raw, search_text=f"{head}\n{facts(item)}\n{clean}".replace("\n\n", "\n"), lines=lines,
                page=page, history=item.history, selected=item.selected, checked=item.checked, value=clean))
    return chunks
