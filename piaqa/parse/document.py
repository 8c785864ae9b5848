"""Read one assessment's lines into its form tree: cover, Ⅰ–Ⅵ, 別添, sub-sections, groups, items.

A single pass over the raw lines with a small amount of state. The two families differ only in
how a label is recognised (a leading ASCII space in PDF dumps, the first tab cell in table dumps)
and in how continuation lines attach to an item.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..ingest import Source, read_source
from ..models import Document, Item, Section
from ..schema import form_labels, label_core, resolve
from ..text import find_date, is_blank, join_wrapped, squeeze, strip_html, table_columns
from . import changelog, meta
from .fields import OPTION_HEAD, OPTION_MARK, find_checked, find_selected, option_vocabulary, split_options
from .markers import (Heading, TOC, group_heading, is_placeholder, section_heading, split_pdf_label,
                      subsection_heading, table_label, unknown_table_label)

PDF, TABLE = "pdf_text", "table_text"
NO_HEADING = "(見出しなし)"
COVER = "表紙"
COVER_LABELS = ("評価書番号評価書名", "評価書番号", "評価書名", "評価実施機関名", "公表日", "特記事項",
                "個人のプライバシー等の権利利益の保護の宣言", "個人情報保護委員会承認日【行政機関等のみ】")
ANNEX_GROUP = re.compile(r"^[\s\u3000]*[<＜][^<>＜＞/]{1,20}[>＞][\s\u3000]*$")
REPEAT = re.compile(r"(\[[^\[\]]+\])(?:\s+\1)+")  # an HTML table and its flattened copy
DEBRIS = re.compile(r"^[\[\]［］\s○〇()（）]*$")


@dataclass
class _Draft:
    label: str
    rows: list[tuple[int, str]]
    inline: bool = False
    gap: bool = False
    annex: bool = False  # free text of an annex (事務の内容, 記録項目): no labels inside
    label_rows: int = 1  # rows the label spans (a PDF cell wraps a long label onto the next lines)


@dataclass
class _Node:
    heading: Heading
    start: int
    end: int
    drafts: list[_Draft] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)  # ready-made (change-log rows, cover)
    awaiting_title: bool = False


def detect_family(lines: list[str]) -> str:
    """Tab/HTML table dump or PDF text dump."""
    content = [line for line in lines if not is_blank(line)]
    tabbed = sum("\t" in line.strip("\n") or "<p>" in line for line in content)
    return TABLE if content and tabbed / len(content) > 0.05 else PDF


def page_numbers(lines: list[str]) -> tuple[int, ...]:
    """Page of each line of a PDF dump: a page break is a run of three (or more) empty lines."""
    pages, page, blanks = [], 1, 0
    for line in lines:
        if is_blank(line):
            blanks += 1
        else:
            if blanks >= 3 and pages:
                page += 1
            blanks = 0
        pages.append(page)
    return tuple(pages)


def toc_span(lines: list[str]) -> tuple[int, int] | None:
    """0-based [start, end) of the 項目一覧 (table of contents): its heading and its heading lines."""
    for i, line in enumerate(lines):
        if TOC.match(line):
            seen, j = set(), i + 1
            while j < len(lines):
                h = section_heading(lines[j]) if not is_blank(lines[j]) else None
                if not is_blank(lines[j]) and (h is None or h.title in seen):
                    break
                if h:
                    seen.add(h.title)
                j += 1
            return i, j
    return None


def _value_lines(draft: _Draft, family: str, vocab: frozenset[str]) -> tuple[list[str], tuple[str, ...], str]:
    """Cleaned value lines (options removed), the options, and the raw value text."""
    raw_parts, clean, options = [], [], []
    for k, (_, line) in enumerate(draft.rows):
        if 0 < k < draft.label_rows:
            continue
        text = line
        if k == 0 and draft.label:
            text = _inline_value(line, family)
        raw_parts.append(text)
        if OPTION_MARK.search(text) or OPTION_HEAD.search(text):
            text, found = split_options(text)
            options.extend(found)
            if not found and re.fullmatch(r"\s*[0-9０-９]{1,2}\s*[)）]\s*(.+)", strip_html(text)):
                continue  # a lone option line of a PDF dump
        else:
            text = strip_html(text.replace("\t", " "))
        text = REPEAT.sub(r"\1", text)
        if text and not DEBRIS.match(text) and text not in clean:
            clean.append(text)
    return clean, tuple(dict.fromkeys(options)), "\n".join(raw_parts)


def wraps_label(draft: _Draft, line: str) -> bool:
    """A PDF line that continues the label above it: the label so far is only the start of a form
    label, and with this line it is that label or a longer start of it (`④提供する情報の対象となる` /
    `本人の数`). Labels are known from the schema, so a value is never taken for a label."""
    if draft.inline or draft.gap or len(draft.rows) != draft.label_rows or not draft.label:
        return False
    head, longer = label_core(draft.label), label_core(draft.label + line.strip())
    labels = form_labels()
    if head in labels or len(line.strip()) > 30:
        return False
    # the start of a label, or a long label's end (`…におけるその他のリスク及びそのリスクに対す` / `る措置`)
    return any(k.startswith(longer) or (len(k) >= 8 and longer.endswith(k)) for k in labels)


def split_row(line: str, family: str) -> tuple[str, str] | None:
    """(label, value on the same line) when the line starts an item, else None.

    In table dumps a group cell (`再委託`, `⑦使用の主体`) may precede the label of a sub-field:
    the innermost label wins.
    """
    if family == PDF:
        return split_pdf_label(line)
    cells = [c for c in line.split("\t") if c.strip()]
    found = table_label(cells[0]) if cells else None
    while len(cells) > 1 and table_label(cells[1]) and (found or cells[0].strip() == "再委託"):
        cells = cells[1:]
        found = table_label(cells[0])
    if found:
        return found[0], "\t".join([found[1], *cells[1:]]).strip("\t")
    if len(cells) > 1 and unknown_table_label(cells[0]):
        return squeeze(strip_html(cells[0])), "\t".join(cells[1:])
    return None


def _inline_value(line: str, family: str) -> str:
    split = split_row(line, family)
    return split[1] if split else ""


def column_wise(rows: list[tuple[int, str]]) -> str:
    """A multi-column table (別添 記録項目: 項目名 | 項目名 | 項目名) read down each column."""
    return "\n".join(cell for column in table_columns([line for _, line in rows]) for cell in column)


def finish(draft: _Draft, path: tuple[str, ...], family: str, vocab: frozenset[str], pages) -> Item:
    clean, options, raw_value = _value_lines(draft, family, vocab)
    value = join_wrapped(clean) if family == PDF else "\n".join(squeeze(c) for c in clean)
    if draft.annex and family == TABLE and sum(line.count("\t") >= 1 for _, line in draft.rows) > len(draft.rows) / 2:
        value = column_wise(draft.rows)
    entry = resolve(draft.label, path) if draft.label else resolve(re.sub(r"^\d+\.\s*", "", path[-1]), path)
    # A choice is read only where the item is one: a catalogue choice, or an unknown label with brackets.
    is_choice = entry.choice if entry else bool(draft.label) and bool(re.search(r"[\[\]［］]", raw_value))
    selected = find_selected(raw_value, options, vocab, bare=bool(options or entry)) if is_choice else None
    first, last = draft.rows[0][0], draft.rows[-1][0]
    return Item(label=squeeze(draft.label), key=entry.key if entry else None, value=value,
                raw="\n".join(line for _, line in draft.rows), lines=(first, last), selected=selected,
                checked=find_checked(raw_value), options=options, page=pages[first - 1] if pages else None)


def named_group(title: str, items: list[Item]) -> str:
    """システムN takes the name its ①システムの名称 gives, so that the path says which system it is."""
    if not title.startswith("システム") or " " in title:
        return title
    name = next((it.value for it in items if it.key == "system.name" and 0 < len(it.value) <= 60), None)
    return f"{title} {name}" if name else title


def _freeze(node: _Node, parents: tuple[str, ...], family: str, vocab, pages, history=False) -> Section:
    draft_path = (*parents, node.heading.title)
    history = history or node.heading.changelog
    items = [*node.items, *(finish(d, draft_path, family, vocab, pages) for d in node.drafts)]
    items.sort(key=lambda it: it.lines[0])
    title = named_group(node.heading.title, items)
    path = (*parents, title)
    children = tuple(_freeze(c, path, family, vocab, pages, history) for c in node.children)
    return Section(title=title, level=node.heading.level, lines=(node.start, node.end),
                   items=tuple(items), children=children, history=history)


def cover_items(rows: list[tuple[int, str]], pages) -> list[Item]:
    """Items of the cover page: known cover labels, each with the lines up to the next label."""
    from ..text import compact

    drafts: list[_Draft] = []
    for n, line in rows:
        if is_blank(line):
            continue
        key = compact(line)
        if key in COVER_LABELS or key.startswith("個人情報保護委員会承認日"):
            drafts.append(_Draft(squeeze(line.replace("\t", " / ")), [(n, line)]))
        elif drafts and (drafts[-1].label != "公表日" or find_date(line)):
            drafts[-1].rows.append((n, line))
        else:
            drafts.append(_Draft("", [(n, line)]))
    items = []
    for d in drafts:
        body = [squeeze(strip_html(s.replace("\t", " "))) for _, s in d.rows[1 if d.label else 0:]]
        entry = (resolve(d.label) or resolve(re.split(r"[\s/]+", d.label)[0])) if d.label else None
        items.append(Item(label=d.label, key=entry.key if entry else None, value="\n".join(b for b in body if b),
                          raw="\n".join(s for _, s in d.rows), lines=(d.rows[0][0], d.rows[-1][0]),
                          page=pages[d.rows[0][0] - 1] if pages else None))
    return items


class _Builder:
    def __init__(self, family: str, pages):
        self.family, self.pages = family, pages
        self.roots: list[_Node] = []
        self.stack: list[_Node] = []  # open nodes, level 1..3
        self.draft: _Draft | None = None

    def open(self, heading: Heading, n: int) -> _Node:
        if heading.level > 1 and not self.stack:
            self.open(Heading(1, NO_HEADING), n)
        node = _Node(heading, n, n)
        while self.stack and self.stack[-1].heading.level >= heading.level:
            self.stack.pop()
        (self.stack[-1].children if self.stack else self.roots).append(node)
        self.stack.append(node)
        self.draft = None
        return node

    def touch(self, n: int) -> None:
        for node in self.stack:
            node.end = max(node.end, n)

    def add(self, draft: _Draft) -> None:
        if not self.stack:
            self.open(Heading(1, NO_HEADING), draft.rows[0][0])
        self.stack[-1].drafts.append(draft)
        self.draft = draft

    def line(self, n: int, line: str) -> None:
        if is_blank(line):
            if self.draft:
                self.draft.gap = True
            return
        first = next((c for c in line.split("\t") if c.strip()), "")
        if self.stack and self.stack[0].heading.annex and subsection_heading(first) and not self.stack[0].heading.changelog:
            self.stack.clear()  # a form sub-section after an annex: the annex has ended, its section heading is late
            self.draft = None
        if self.stack and self.stack[0].heading.annex and not self.stack[0].heading.changelog and ANNEX_GROUP.match(line):
            self.open(Heading(2, squeeze(line)), n)  # <宛名>, ＜免除情報＞: the groups of a 記録項目 annex
            return
        if self.stack and self.stack[0].heading.annex:
            self.touch(n)
            if self.draft and self.draft.annex:
                self.draft.rows.append((n, line))
            else:
                self.add(_Draft("", [(n, line)], annex=True))
            return
        heading = subsection_heading(first) or group_heading(line if self.family == TABLE else first)
        if heading:
            if heading.level == 3 and heading.rest:
                heading = Heading(3, f"{heading.title} {heading.rest}")
            node = self.open(heading, n)
            node.awaiting_title = heading.level == 3 and self.family == TABLE and " " not in heading.title
            self.touch(n)
            return
        if is_placeholder(line):
            self.draft = None
            return
        self.touch(n)
        found = split_row(line, self.family)
        if found:
            self.add(_Draft(found[0], [(n, line)], inline=bool(found[1])))
            return
        top = self.stack[-1] if self.stack else None
        if top and top.awaiting_title and not top.drafts:
            top.heading = Heading(3, f"{top.heading.title} {squeeze(strip_html(line.replace(chr(9), ' ')))}")
            top.awaiting_title = False
            return
        if self.draft and self.family == PDF and wraps_label(self.draft, line):
            self.draft.label += line.strip()
            self.draft.label_rows += 1
            self.draft.rows.append((n, line))
        elif self.draft and (self.family == TABLE or not (self.draft.inline and self.draft.gap)):
            self.draft.rows.append((n, line))
        else:
            self.add(_Draft("", [(n, line)]))


def parse_source(src: Source) -> Document:
    lines = src.text.split("\n")
    family = detect_family(lines)
    pages = page_numbers(lines) if family == PDF else ()
    page_of = (lambda n: pages[n - 1]) if pages else (lambda n: None)
    vocab = option_vocabulary(lines)
    toc = toc_span(lines)
    builder = _Builder(family, pages)
    body_start = toc[1] if toc else 0
    first_heading = next((i for i in range(body_start, len(lines)) if section_heading(lines[i])), len(lines))
    cover_end = toc[0] if toc else first_heading
    cover = _Node(Heading(1, COVER), 1, max(body_start, cover_end, 1))
    cover.items = cover_items([(i + 1, lines[i]) for i in range(cover_end)], pages)
    if toc:  # the 項目一覧 says which sections the form has: part of what the document discloses
        rows = [(i + 1, lines[i]) for i in range(toc[0], toc[1]) if not is_blank(lines[i])]
        cover.items.append(Item(label="項目一覧", key=None, value="\n".join(squeeze(s) for _, s in rows[1:]),
                                raw="\n".join(s for _, s in rows), lines=(rows[0][0], rows[-1][0]),
                                page=pages[rows[0][0] - 1] if pages else None))
    log_node: _Node | None = None
    log_rows: list[tuple[int, str]] = []
    for i in range(body_start, len(lines)):
        n, line = i + 1, lines[i]
        if log_node is not None:
            log_rows.append((n, line))
            log_node.end = n
            continue
        heading = section_heading(line)
        if heading:
            orphan = builder.roots[-1] if builder.roots and builder.roots[-1].heading.title == NO_HEADING else None
            node = builder.open(heading, n)
            first_body = len(builder.roots) == 2 and heading.title.startswith("Ⅰ")
            after_annex = len(builder.roots) > 2 and builder.roots[-3].heading.annex
            if orphan and not heading.annex and (first_body or after_annex):
                # PDF dumps print a heading after its first content: the content without a heading
                # before the form's first section, or after an annex, belongs to the heading that follows
                builder.roots.remove(orphan)
                node.start, node.drafts, node.children = orphan.start, orphan.drafts + node.drafts, orphan.children
            if heading.changelog:
                log_node = node
            continue
        builder.line(n, line)
    if log_node is not None:
        rows = changelog.table_rows if family == TABLE else changelog.pdf_rows
        log_node.items = rows(log_rows, page_of)
    if not any(r.heading.title not in (NO_HEADING, COVER) for r in builder.roots):
        raise InputError(src.name, "no assessment structure found (no Ⅰ–Ⅵ section, 別添 or 変更箇所 heading); "
                                   "is this a 特定個人情報保護評価書?")
    roots = [cover, *builder.roots] if cover.items else builder.roots
    sections = tuple(_freeze(r, (), family, vocab, pages) for r in roots)
    changelog_only = not any(s.title.startswith(("Ⅰ", "Ⅱ", "Ⅲ")) for s in sections) and log_node is not None
    affair_item = next((it.value for s in walk(sections) for it in s.items if it.key == "jimu.name" and it.value), None)
    m = meta.extract(lines, changelog_only, affair_item)
    return Document(source=src.name, sha256=src.sha256, family=family, org=m.org, affair=m.affair, form=m.form,
                    number=m.number, title=m.title, published=m.published, sections=sections,
                    lines=tuple(lines), pages=pages)


def walk(sections: tuple[Section, ...]):
    """Every section of a tree, depth first."""
    for s in sections:
        yield s
        yield from walk(s.children)


def parse_file(path: str | Path) -> Document:
    """Read and parse one file. Raises InputError for anything that is not a readable assessment."""
    return parse_source(read_source(Path(path)))
