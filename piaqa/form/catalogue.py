"""The 様式 catalogue read from `yoshiki.toml`: every item the published forms print, typed.

Source: the forms of 特定個人情報保護評価書 (基礎項目評価書 様式2, 重点項目評価書 様式3, 全項目評価書 様式4)
and their 記載要領, as the data file's header says. This module only reads and checks the file; what an
item means, its options and where each form type prints it live in the data, not here.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import PiaqaError

CATALOGUE_FILE = Path(__file__).with_name("yoshiki.toml")
FORM_TYPES = ("全項目評価書", "重点項目評価書", "基礎項目評価書")
GROUPS = ("システム", "委託事項", "提供先", "移転先", "リスク")
VALUE_TYPES = ("text", "one_of", "ticks", "count", "date", "period", "name", "annex")


class CatalogueError(PiaqaError):
    """The catalogue file is not as its header describes (a programming error in the data, not user input)."""


@dataclass(frozen=True)
class FormItem:
    """One item the forms print (or, with `absent`, a fact people look for that no form prints).

    `numbers` pairs each form type that prints the item with its number path there
    (("全項目評価書", "Ⅱ-4-委託事項n-⑥"), …); `within` holds words of the sub-section title that
    tell identical labels apart (法令上の根拠 under 情報連携 vs 提供先n).
    """

    key: str
    labels: tuple[str, ...]
    type: str = "text"
    options: tuple[str, ...] = ()
    unit: str = ""
    group: str | None = None
    within: tuple[str, ...] = ()
    numbers: tuple[tuple[str, str], ...] = ()
    older: tuple[tuple[str, str], ...] = ()
    ja: str = ""
    en: str = ""
    absent: bool = False
    related: tuple[str, ...] = ()
    reason_ja: str = ""
    reason_en: str = ""
    parent: str | None = None  # the key of the row this sub-row belongs to (その妥当性 of ②保管期間, 具体的な…)

    @property
    def choice(self) -> bool:
        """A [選択肢] item: its value is exactly one member of `options`."""
        return self.type == "one_of"

    @property
    def forms(self) -> tuple[str, ...]:
        """The form types that print the item."""
        return tuple(form for form, _ in self.numbers)

    def number(self, form: str | None) -> str | None:
        """The item's number path in a form type ("Ⅱ-4-委託事項n-⑥"), or None where it is not printed."""
        return dict(self.numbers).get(form or "")


@dataclass(frozen=True)
class Printing:
    """One published printing of a form (`平成30年5月 様式4`) and what differs in it."""

    form: str
    name: str
    note: str = ""


@dataclass(frozen=True)
class Catalogue:
    items: tuple[FormItem, ...]  # printed items, then absent facts
    printings: tuple[Printing, ...] = ()


def _strings(entry: dict, name: str) -> tuple[str, ...]:
    value = entry.get(name, [])
    if isinstance(value, str):
        value = [value]
    if not all(isinstance(v, str) for v in value):
        raise CatalogueError(f"catalogue item {entry.get('key')!r}: `{name}` must be a list of strings")
    return tuple(value)


def _pairs(entry: dict, name: str) -> tuple[tuple[str, str], ...]:
    table = entry.get(name, {})
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise CatalogueError(f"catalogue item {entry.get('key')!r}: `{name}` must map a form type to a number path")
    return tuple((str(k), v) for k, v in table.items())


def _item(entry: dict) -> FormItem:
    key = entry.get("key")
    kind = entry.get("type", "text")
    if not key or kind not in VALUE_TYPES:
        raise CatalogueError(f"catalogue item {key!r}: type {kind!r} is not one of {', '.join(VALUE_TYPES)}")
    labels, options = _strings(entry, "labels"), _strings(entry, "options")
    if not labels:
        raise CatalogueError(f"catalogue item {key!r}: needs `labels`, the label as the form prints it")
    if kind in ("one_of", "ticks") and len(options) < (2 if kind == "one_of" else 1):
        raise CatalogueError(f"catalogue item {key!r}: a {kind} item needs its `options` as the form prints them"
                             + (" (two or more)" if kind == "one_of" else ""))
    numbers = _pairs(entry, "numbers")
    if unknown := [form for form, _ in numbers if form not in FORM_TYPES]:
        raise CatalogueError(f"catalogue item {key!r}: unknown form type {unknown[0]!r} in `numbers`; "
                             f"use one of {', '.join(FORM_TYPES)}")
    group = entry.get("group") or None
    if group and group not in GROUPS:
        raise CatalogueError(f"catalogue item {key!r}: group {group!r} is not one of {', '.join(GROUPS)}")
    return FormItem(key=key, labels=labels, type=kind, options=options, unit=entry.get("unit", ""),
                    group=group, within=_strings(entry, "section"), numbers=numbers, older=_pairs(entry, "older"),
                    ja=entry.get("ja", ""), en=entry.get("en", ""), parent=entry.get("parent") or None)


def _absent(entry: dict) -> FormItem:
    key, name = entry.get("key"), entry.get("name")
    if not key or not name:
        raise CatalogueError(f"catalogue absent fact {key!r}: needs `key` and `name`")
    return FormItem(key=key, labels=(name, *_strings(entry, "words")), type="text", absent=True,
                    related=_strings(entry, "related"), ja=entry.get("ja", ""), en=entry.get("en", ""),
                    reason_ja=entry.get("reason_ja", ""), reason_en=entry.get("reason_en", ""))


def parse_catalogue(data: dict) -> Catalogue:
    """A Catalogue from the TOML's tables; raises CatalogueError naming the entry at fault.

    >>> c = parse_catalogue({"item": [{"key": "a", "labels": ["委託の有無"], "type": "one_of",
    ...                               "options": ["委託する", "委託しない"], "numbers": {"全項目評価書": "Ⅱ-4"}}]})
    >>> c.items[0].choice, c.items[0].number("全項目評価書"), c.items[0].number("基礎項目評価書")
    (True, 'Ⅱ-4', None)
    """
    items = [_item(e) for e in data.get("item", [])] + [_absent(e) for e in data.get("absent", [])]
    keys = [it.key for it in items]
    if dupes := sorted({k for k in keys if keys.count(k) > 1}):
        raise CatalogueError(f"catalogue keys must be unique: {', '.join(dupes)} appear more than once")
    known = set(keys)
    for it in items:
        if missing := [k for k in it.related if k not in known]:
            raise CatalogueError(f"catalogue absent fact {it.key!r}: related key {missing[0]!r} is not in the catalogue")
        if it.parent and it.parent not in known:
            raise CatalogueError(f"catalogue item {it.key!r}: parent {it.parent!r} is not in the catalogue")
    printings = tuple(Printing(p.get("form", ""), p.get("name", ""), p.get("note", "")) for p in data.get("printing", []))
    return Catalogue(tuple(items), printings)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The catalogue shipped with piaqa (read once per process)."""
    with CATALOGUE_FILE.open("rb") as f:
        try:
            return parse_catalogue(tomllib.load(f))
        except tomllib.TOMLDecodeError as e:
            raise CatalogueError(f"{CATALOGUE_FILE}: {e}") from e
