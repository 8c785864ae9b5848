"""Put each value of a group (委託事項N, システムN, 提供先N, 移転先N) where the form's own change log says it is.

For PDF text dumps, whose layout does not say it: they interleave the cells of groups printed side by
side on one page and print a group's heading after some of its content, so reading by position puts a
value under the wrong 委託事項. The change log (変更箇所) names the group and item of each change and its
変更後 value: the latest row for `委託事項３ ⑥委託先名` saying `株式会社○○` makes that the current value of
委託事項3's ⑥委託先名. When the body holds that value under another group of the same sub-section (or
under no group), the two items trade places. Nothing moves without such a row, and a value found in
more than one place is taken from outside any group first, then from the nearest group. (A table row's
cells are certain, and an old log row may predate a renumbering of the groups: table dumps are left alone.)
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from ..models import Item, Section
from ..text import day_key
from .markers import GROUP

NO_VALUE = re.compile(r"^[（(]?記載なし[）)]?$|^[-－―—]*$")


@dataclass(frozen=True)
class Attested:
    """The current value of one group's item, as the latest change-log row gives it."""

    group: str  # 委託事項3
    key: str  # schema key of the item
    value: str


def _plain(text: str | None) -> str:
    return re.sub(r"[\s\u3000\[\]［］]", "", unicodedata.normalize("NFKC", text or ""))


def _group_of(label: str) -> str | None:
    m = re.search(GROUP.pattern.lstrip("^"), re.sub(r"[\s\u3000]", "", label))  # ③ after the number is no digit
    return f"{m.group(1)}{unicodedata.normalize('NFKC', m.group(2))}" if m else None


def attested(log_items: list[Item]) -> list[Attested]:
    """The latest 変更後 of every (group, item) the change log names; rows without a date, a group, a
    key or a 変更後 value say nothing certain and are skipped."""
    latest: dict[tuple[str, str], tuple[tuple[int, int, int], str]] = {}
    for it in log_items:
        change, group = it.change, _group_of(it.label)
        day = day_key(change.date) if change else None
        if not (change and change.after and group and it.key and day) or NO_VALUE.match(change.after.strip()):
            continue
        if (group, it.key) not in latest or latest[group, it.key][0] <= day:
            latest[group, it.key] = (day, change.after)
    return [Attested(g, k, v) for (g, k), (_, v) in latest.items()]


def _value(it: Item) -> str:
    return _plain(it.selected or it.value)


def _swap(sub: Section, fact: Attested) -> Section:
    groups = [c for c in sub.children if c.title.split(" ")[0] == fact.group]
    if len(groups) != 1:
        return sub
    target = groups[0]
    own = next((it for it in target.items if it.key == fact.key), None)
    want = _plain(fact.value)
    if not want or (own is not None and _value(own) == want):
        return sub
    places = [(None, it) for it in sub.items if it.key == fact.key and _value(it) == want]
    centre = target.lines[0]
    places += sorted(((c, it) for c in sub.children if c is not target for it in c.items
                      if it.key == fact.key and _value(it) == want), key=lambda p: abs(p[1].lines[0] - centre))
    if not places:
        return sub
    source, found = places[0]

    def traded(items: tuple[Item, ...], out: Item | None, into: Item | None) -> tuple[Item, ...]:
        kept = [it for it in items if it is not out]
        return tuple(sorted([*kept, into] if into is not None else kept, key=lambda it: it.lines[0]))

    children = tuple(replace(c, items=traded(c.items, own, found)) if c is target
                     else replace(c, items=traded(c.items, found, own)) if c is source else c
                     for c in sub.children)
    items = traded(sub.items, found, own) if source is None else sub.items
    return replace(sub, items=items, children=children)


def reconcile(sections: tuple[Section, ...], facts: list[Attested]) -> tuple[Section, ...]:
    """The form tree with each attested value moved into its group (see the module's docstring)."""
    if not facts:
        return sections

    def visit(s: Section) -> Section:
        if s.history:
            return s
        if any(_group_of(c.title) for c in s.children):
            for fact in facts:
                s = _swap(s, fact)
            return s
        return replace(s, children=tuple(visit(c) for c in s.children))

    return tuple(visit(s) for s in sections)
