"""Form items from raw rows: where an item starts (its label), its value, options, selection and ticks.

Both families go through here: PDF text dumps (a label marked by one leading ASCII space, cells
wrapped onto following lines) and table dumps (tab-separated cells, HTML inside), and the cover.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Item
from ..schema import CIRCLED, form_labels, label_core, resolve
from ..text import compact, find_date, is_blank, join_wrapped, squeeze, strip_html, table_columns
from .fields import OPTION_HEAD, OPTION_MARK, find_checked, find_selected, split_options
from .record import PDF, TABLE, typed_item
from .markers import COVER_LABELS, split_pdf_label, table_label, unknown_table_label

STYLE = re.compile(r"^[\s\u3000]*[\[［]\s*(?:平成|令和)\s*[0-9０-９元]{1,2}\s*年\s*[0-9０-９]{1,2}\s*月\s*様式\s*[0-9０-９][\]］]\s*$")
REPEAT = re.compile(r"(\[[^\[\]]+\])(?:\s+\1)+")  # an HTML table and its flattened copy
DEBRIS = re.compile(r"^[\[\]［］\s○〇()（）]*$")


@dataclass
class Draft:
    label: str
    rows: list[tuple[int, str]]
    inline: bool = False
    gap: bool = False
    annex: bool = False  # free text of an annex (事務の内容, 記録項目): no labels inside
    label_rows: int = 1  # rows the label spans (a PDF cell wraps a long label onto the next lines)


def _value_lines(draft: Draft, family: str, vocab: frozenset[str]) -> tuple[list[str], tuple[str, ...], str]:
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


def wraps_label(draft: Draft, line: str) -> bool:
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
    if found and "\t" not in line.strip() and found[0][:1] in CIRCLED and label_core(found[0]) not in form_labels():
        return None  # a line alone, `①児童手当の対象者の…`: an item of a list inside a value
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


def finish(draft: Draft, path: tuple[str, ...], family: str, vocab: frozenset[str], pages) -> Item:
    clean, options, raw_value = _value_lines(draft, family, vocab)
    value = join_wrapped(clean) if family == PDF else "\n".join(squeeze(c) for c in clean)
    if draft.annex and family == TABLE and sum(line.count("\t") >= 1 for _, line in draft.rows) > len(draft.rows) / 2:
        value = column_wise(draft.rows)
    entry = resolve(draft.label, path) if draft.label else resolve(re.sub(r"^\d+\.\s*", "", path[-1]), path)
    # A choice is read only where the item is one: a catalogue choice, or an unknown label with brackets.
    is_choice = entry.choice if entry else bool(draft.label) and bool(re.search(r"[\[\]［］]", raw_value))
    selected = find_selected(raw_value, options, vocab, bare=bool(options or entry)) if is_choice else None
    first, last = draft.rows[0][0], draft.rows[-1][0]
    return typed_item(Item(label=squeeze(draft.label), key=entry.key if entry else None, value=value,
                           raw="\n".join(line for _, line in draft.rows), lines=(first, last), selected=selected,
                           checked=find_checked(raw_value), options=options, page=pages[first - 1] if pages else None), family)


def named_group(title: str, items: list[Item]) -> str:
    """システムN takes the name its ①システムの名称 gives, so that the path says which system it is."""
    if not title.startswith("システム") or " " in title:
        return title
    name = next((it.value for it in items if it.key == "system.name" and 0 < len(it.value) <= 60), None)
    return f"{title} {name}" if name else title


def cover_items(rows: list[tuple[int, str]], pages) -> list[Item]:
    """Items of the cover page: known cover labels, each with the lines up to the next label."""
    drafts: list[Draft] = []
    for n, line in rows:
        if is_blank(line):
            continue
        key = compact(line)
        if key in COVER_LABELS or key.startswith(("個人情報保護委員会承認日", "特定個人情報保護委員会承認日")):
            drafts.append(Draft(squeeze(line.replace("\t", " / ")), [(n, line)]))
        elif STYLE.match(line):  # [平成26年4月 様式2]: the form's version, printed under the cover
            drafts.append(Draft("様式", [(n, line), (n, line)]))
        elif drafts and drafts[-1].label != "様式" and (drafts[-1].label != "公表日" or find_date(line)):
            drafts[-1].rows.append((n, line))
        else:
            drafts.append(Draft("", [(n, line)]))
    items = []
    for d in drafts:
        body = [squeeze(strip_html(s.replace("\t", " "))) for _, s in d.rows[1 if d.label else 0:]]
        entry = (resolve(d.label) or resolve(re.split(r"[\s/]+", d.label)[0])) if d.label else None
        items.append(Item(label=d.label, key=entry.key if entry else None, value="\n".join(b for b in body if b),
                          raw="\n".join(s for _, s in d.rows), lines=(d.rows[0][0], d.rows[-1][0]),
                          page=pages[d.rows[0][0] - 1] if pages else None))
    return items
