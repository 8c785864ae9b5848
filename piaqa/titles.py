"""The section titles a question may name for a passage (委託事項3's title, 別添1, …), as words: what
ranking compares with the question's words. Computed once per passage when the index is written."""
from __future__ import annotations

import re
from functools import lru_cache

from .models import Chunk
from .tokenize import tokens

PATH_NUMBER = re.compile(r"^(?:[ⅠⅡⅢⅣⅤⅥ]|\(別添\d*\)|\d+\.|(?:システム|委託事項|提供先|移転先)\d+|リスク\d*:)\s*")


def named_titles(section: str) -> list[str]:
    """The titles of a section path a question may name: sub-sections, groups, and 別添 annexes
    (Ⅰ–Ⅵ titles are too broad to tell passages apart)."""
    parts = section.split(" > ")
    return [t for t in parts[1:]] + [parts[0]] * parts[0].startswith("(別添")


def chunk_titles(chunk: Chunk) -> list[str]:
    """The titles a question may name for a chunk; a change-log row is titled by the path of the item it changes."""
    return named_titles(chunk.section) + ([chunk.item] if chunk.history else [])


@lru_cache(maxsize=65536)
def words_of_title(title: str) -> tuple[str, ...]:
    """A title's words, its numbering (委託事項3, 2.) stripped; each distinct title tokenized once."""
    return tuple(tokens(PATH_NUMBER.sub("", title)))


def title_words(chunks: list[Chunk]) -> list[list[tuple[str, ...]]]:
    """Each chunk's titles as words."""
    return [[words_of_title(t) for t in chunk_titles(c)] for c in chunks]


def path_overlap(query_tokens: set[str], titles) -> float:
    """How fully the question names one of a chunk's section titles (0..1, best title).

    >>> path_overlap({"データ", "センター", "管理"}, [{"データ", "センター", "管理", "業務"}])
    0.75
    """
    return max((len(t & query_tokens) / len(t) for t in titles if len(t) >= 2), default=0.0)
