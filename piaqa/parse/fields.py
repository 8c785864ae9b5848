"""Values of one item: option lists, the selected option of a choice, the ticked boxes.

Pure functions over raw item text; both families (PDF dumps and tab/HTML dumps) go through them.
"""
from __future__ import annotations

import re

from ..schema import STANDARD_OPTIONS
from ..text import compact, squeeze, strip_html

OPTION_HEAD = re.compile(r"[<＜]\s*選択肢\s*[>＞]|&lt;選択肢&gt;")
# "1) …" / "2） …", but not "(1) 件" nor the digits of "1,000人" / "10万人".
OPTION_MARK = re.compile(r"(?<![0-9０-９,，(（])([0-9０-９]{1,2})\s*[)）]\s*")
OPTION_END = re.compile(r"[\[\]［］\t]|<")
BRACKETED = re.compile(r"[\[［]([^\[\]［］]*)[\]］]")
INPUT_TAG = re.compile(r"<input\b[^>]*>", re.I)
BOX = re.compile(r"[\[［〔]\s*(<input\b[^>]*>)?\s*([○〇])?\s*[\]］〕]\s*([^\[［〔<\t\n]*(?:\t+[(（][^\t\n\[<]*[)）])?)")
LOOSE_INPUT = re.compile(r"<input\b([^>]*)>\s*([^<\[\]［］\t\n]+)")
COUNT = re.compile(r"[(（]\s*[0-9０-９]+\s*[)）]\s*件")
MAX_OPTION_LEN = 40
LONE_OPTION = re.compile(r"^\s*[0-9０-９]{1,2}\s*[)）]\s*([^\[\]<>]+?)\s*$")


def split_options(text: str) -> tuple[str, tuple[str, ...]]:
    """Split the printed option list off a value: (text without the options, the options).

    >>> split_options("[委託する] <選択肢> (1) 件 1) 委託する 2) 委託しない")
    ('[委託する] (1) 件', ('委託する', '委託しない'))
    >>> split_options("6） 1,000人以上5） 500人以上1,000人未満")[1]
    ('1,000人以上', '500人以上1,000人未満')
    """
    plain = strip_html(text)
    marks = list(OPTION_MARK.finditer(plain))
    has_head = bool(OPTION_HEAD.search(plain))
    if not marks or (len(marks) < 2 and not has_head):
        return squeeze(OPTION_HEAD.sub(" ", plain)), ()
    options, keep, pos = [], [], 0
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(plain)
        body = plain[m.end():end]
        stop = OPTION_END.search(body)
        option = squeeze(body[: stop.start()] if stop else body)
        if not option or len(option) > MAX_OPTION_LEN:
            continue  # a numbered sentence, not an option
        keep.append(plain[pos:m.start()])
        pos = m.end() + (stop.start() if stop else len(body))
        options.append(option)
    keep.append(plain[pos:])
    if not options:
        return squeeze(OPTION_HEAD.sub(" ", plain)), ()
    rest = squeeze(OPTION_HEAD.sub(" ", " ".join(keep)))
    return rest, tuple(dict.fromkeys(options))


def option_vocabulary(lines: list[str]) -> frozenset[str]:
    """Every option printed anywhere in a document (compacted), to recognise a bare selected value."""
    vocab: set[str] = {compact(o) for o in STANDARD_OPTIONS}
    for line in lines:
        if OPTION_MARK.search(line):
            vocab.update(compact(o) for o in split_options(line)[1])
            lone = LONE_OPTION.match(strip_html(line))
            if lone and len(lone.group(1)) <= MAX_OPTION_LEN:
                vocab.add(compact(lone.group(1)))  # PDF dumps print one option a line
    return frozenset(vocab)


def _candidates(line: str, bare: bool) -> list[str]:
    """Selected-value candidates on one line, most explicit first."""
    text = squeeze(INPUT_TAG.sub(" ", strip_html_keep_inputs(line)))
    text = COUNT.sub(" ", text)
    found = [squeeze(m.group(1)) for m in BRACKETED.finditer(text)]
    opens, closes = len(re.findall(r"[\[［]", text)), len(re.findall(r"[\]］]", text))
    for pattern in () if opens == closes else (r"[\[［]\s*([^\[\]［］]+?)\s*$", r"^\s*([^\[\]［］]+?)\s*[\]］\[［]\s*$", r"[\]］]\s*([^\[\]［］]+?)\s*$"):
        m = re.search(pattern, text)
        if m:
            found.append(squeeze(m.group(1)))
    if bare:
        found.append(squeeze(re.sub(r"[\[\]［］]", " ", text)))
    return [c for c in found if c and c not in ("○", "〇")]


def strip_html_keep_inputs(text: str) -> str:
    """strip_html, but an <input> becomes a space first so `[<input/> 委託する]` stays bracketed."""
    return strip_html(INPUT_TAG.sub(" ", text))


def _match(candidate: str, known: frozenset[str]) -> bool:
    core = compact(re.sub(r"^\s*[0-9０-９]{1,2}\s*[)）]\s*", "", candidate))
    return bool(core) and core in known


def find_selected(text: str, options: tuple[str, ...], vocabulary: frozenset[str], bare: bool = True) -> str | None:
    """The chosen option of a choice item, or None. Never defaults to the first listed option.

    The value may sit inside brackets (`[十分である]`, `[<input/> 委託する]`), open on one side
    (`[ 10万人以上30万人未満`, `十分である ]`, `]十分である`), or bare beside an empty `[]`.
    It must be one of the item's own options, or of the options printed in the document. A bare
    value (no bracket on its side) is only taken when `bare`: for items known to be choices, since
    `[] 委託しない` is otherwise an unticked box.

    >>> find_selected("[再委託する] <選択肢> 1) 再委託する 2) 再委託しない", ("再委託する", "再委託しない"), frozenset())
    '再委託する'
    >>> find_selected("[] <選択肢> 1) 委託する 2) 委託しない", ("委託する", "委託しない"), frozenset()) is None
    True
    """
    known = frozenset(compact(o) for o in options) or vocabulary
    for line in text.split("\n"):
        if LONE_OPTION.match(strip_html(line)):
            continue  # one printed option of a PDF dump, not a selection
        rest = split_options(line)[0] if OPTION_MARK.search(line) else line
        for candidate in _candidates(rest, bare):
            if _match(candidate, known):
                return re.sub(r"^\s*[0-9０-９]{1,2}\s*[)）]\s*", "", candidate)
    return None


def find_checked(text: str) -> tuple[str, ...]:
    """Labels of ticked boxes: `[ ○ ] label`, `［〇］label`, `〔〇〕label`, `<input checked …> label`.

    Only a box and its label on the same line count (PDF grids break apart across lines).

    >>> find_checked('[] 専用線 [○] その他 (当該システムの直接操作)')
    ('その他 (当該システムの直接操作)',)
    >>> find_checked('[<input checked="" type="radio"/>] 紙 [<input type="checkbox"/>] 電子メール')
    ('紙',)
    """
    checked: list[str] = []
    for line in text.split("\n"):
        for m in BOX.finditer(line):
            label = squeeze(strip_html(m.group(3))).removesuffix(" ()").removesuffix(" （）")
            ticked = bool(m.group(2)) or (m.group(1) is not None and "checked" in m.group(1))
            if ticked and label:
                checked.append(label)
        for m in LOOSE_INPUT.finditer(BOX.sub(" ", line)):
            label = squeeze(strip_html(m.group(2)))
            if "checked" in m.group(1) and label:
                checked.append(label)
    return tuple(dict.fromkeys(checked))
