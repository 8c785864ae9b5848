"""The form schema: look-ups over the 様式 catalogue (piaqa/form/yoshiki.toml).

全項目 and 重点項目 number the same item differently (委託先名 is ⑥ in one and ③ in the other), so printed
labels are matched without their numbers; identical labels printed in several places (法令上の根拠) are told
apart by the sub-section they sit under. Query understanding, parsing and answers key on it.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .form.catalogue import FormItem, catalogue
from .text import compact

__all__ = ["CATALOGUE", "FormItem", "by_key", "form_labels", "known_labels", "label_core", "resolve"]

CATALOGUE: tuple[FormItem, ...] = catalogue().items
PRINTED: tuple[FormItem, ...] = tuple(it for it in CATALOGUE if not it.absent)

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_NUMBERING = re.compile(rf"^[\s{CIRCLED}]+|※|【[^】]*】|\s+")


def label_core(label: str) -> str:
    """A label without its number, ※ marks, 【…】 notes and spaces, NFKC'd, for matching.

    >>> label_core(" ⑥委託先名 ※"), label_core("⑦再委託の有無　※")
    ('委託先名', '再委託の有無')
    """
    return compact(_NUMBERING.sub("", label))


@lru_cache(maxsize=1)
def _by_label() -> dict[str, tuple[FormItem, ...]]:
    table: dict[str, list[FormItem]] = {}
    for entry in PRINTED:  # an absent fact has no printed label
        for label in entry.labels:
            table.setdefault(label_core(label), []).append(entry)
    return {k: tuple(v) for k, v in table.items()}


def known_labels() -> tuple[str, ...]:
    """Every label core in the catalogue, longest first (for prefix matching)."""
    return tuple(sorted(_by_label(), key=len, reverse=True))


@lru_cache(maxsize=1)
def form_labels() -> frozenset[str]:
    """Every label core the forms print (the catalogue's printed items)."""
    return frozenset(_by_label())


def resolve(label: str, path: tuple[str, ...] = ()) -> FormItem | None:
    """The catalogue entry for a printed label in its section path, or None.

    >>> resolve("⑥委託先名").key, resolve("③委託先名").key
    ('itaku.contractor_name', 'itaku.contractor_name')
    >>> resolve("①法令上の根拠", ("Ⅱ", "5. 特定個人情報の提供・移転", "移転先1")).key
    'provide.legal_basis'
    >>> resolve("②法令上の根拠", ("Ⅰ 基本情報", "7. 他の評価実施機関")).key  # a PDF dump's drifted row
    'linkage.legal_basis'
    """
    core = label_core(label)
    entries = _by_label().get(core, ()) or next(
        (v for k, v in _by_label().items() if len(k) >= 8 and core.endswith(k) and len(core) <= 80), ())
    context = compact(" ".join(path))
    scoped = [e for e in entries if e.within and any(compact(w) in context for w in e.within)]
    if scoped:
        return scoped[0]
    plain = [e for e in entries if not e.within]
    if plain:
        return plain[0]
    numbered = [e for e in entries if _printed_at(e, label, path)]
    return numbered[0] if len(numbered) == 1 else None


ROMAN = re.compile(r"^\s*([ⅠⅡⅢⅣⅤⅥ])")


def _printed_at(entry: FormItem, label: str, path: tuple[str, ...]) -> bool:
    """Whether some form type prints `entry` with the label's own circled number (or none) in the part
    (Ⅰ, Ⅱ …) the path is in: where a PDF dump puts a label under the wrong sub-section title, its number
    tells the rows of one label apart (②法令上の根拠 is 情報連携's, the unnumbered one 個人番号の利用's)."""
    circled = label.strip()[:1] if label.strip()[:1] in CIRCLED else ""
    part = next((m.group(1) for p in path[:1] if (m := ROMAN.match(p))), None)
    for _, number in entry.numbers:
        last = number.rsplit("-", 1)[-1]
        if (last == circled if circled else last[:1] not in CIRCLED) and (part is None or number.startswith(part)):
            return True
    return False


_BY_KEY: dict[str, FormItem] = {entry.key: entry for entry in CATALOGUE}


def by_key(key: str) -> FormItem:
    """The catalogue entry of a key; KeyError for a key the catalogue does not have."""
    return _BY_KEY[key]


def has_sub_rows(key: str) -> bool:
    """Whether the 様式 prints sub-rows under the item (その妥当性, 具体的な…: catalogue `parent`)."""
    return key in _PARENTS


_PARENTS = frozenset(entry.parent for entry in CATALOGUE if entry.parent)


def _choice_options() -> tuple[str, ...]:
    return tuple(dict.fromkeys(o for it in PRINTED if it.choice for o in it.options))


# Options the forms print for their one-of items: a bare selected value is recognised by these even
# where a document does not print the option list next to it.
STANDARD_OPTIONS: tuple[str, ...] = _choice_options()
