"""How the retriever orders the candidates a store brings up: reciprocal-rank-fused score times boosts
for the form items, sections and section titles a question names; the change log below the current
body (unless the question is about changes); blank items below items that say something."""
from __future__ import annotations

import re
import unicodedata
from itertools import zip_longest

from .query import Query
from .store.passages import Fields
from .titles import path_overlap

KEY_BOOST = 0.6  # a chunk of an item the question asks about
BLANK_WEIGHT = 0.5  # an item left blank ranks below items that say something
SECTION_BOOST = 0.5  # a chunk under a section the question names ("（別添１）", "Section I")
PATH_BOOST = 0.6  # a chunk whose section path the question names (委託事項3's title, 別添1, …)

SECTION_REF = re.compile(r"[（(]?\s*別添\s*([0-9０-９])|\bsection\s+(vi|iv|v|iii|ii|i)\b|([ⅠⅡⅢⅣⅤⅥ])(?![a-zA-Z])", re.I)
ROMAN_OF = {"i": "Ⅰ", "ii": "Ⅱ", "iii": "Ⅲ", "iv": "Ⅳ", "v": "Ⅴ", "vi": "Ⅵ"}


def section_refs(question: str) -> set[str]:
    """Top-level sections a question names: "(別添1)", "Section I", "Ⅱ" -> {"(別添1)", "Ⅰ", "Ⅱ"}.

    >>> sorted(section_refs("（別添１）特定個人情報ファイル記録項目, Section II"))
    ['(別添1)', 'Ⅱ']
    """
    refs = set()
    for m in SECTION_REF.finditer(question):
        if m.group(1):
            refs.add(f"(別添{unicodedata.normalize('NFKC', m.group(1))})")
        elif m.group(2):
            refs.add(ROMAN_OF[m.group(2).lower()])
        else:
            refs.add(m.group(3))
    return refs


def interleave(rankings: list[list[int]]) -> list[int]:
    """Round-robin merge, so that a question about several organisations gets passages of each.

    >>> interleave([[1, 2, 3], [7, 8]])
    [1, 7, 2, 8, 3]
    """
    out: list[int] = []
    seen: set[int] = set()
    for tier in zip_longest(*rankings):
        for i in tier:
            if i is not None and i not in seen:
                seen.add(i)
                out.append(i)
    return out


def ranked(candidates: list[tuple[Fields, float]], query: Query, asked: set[str], refs: set[str],
           past_docs: frozenset[str], history_weight: float, by_org: bool, by_affair: bool) -> list[tuple[Fields, float]]:
    """The candidates best first, each with its score: fused score × boosts. `asked` is the question's
    topic words, `refs` the sections it names, `past_docs` the superseded documents; `by_org`/`by_affair`
    interleave the organisations / 事務 the question names."""
    weights = {key: KEY_BOOST / (1 + i) for i, key in enumerate(query.keys)}
    scored = []
    for f, fused in candidates:
        boost = 1.0 + weights.get(f.key, 0.0) + SECTION_BOOST * (f.section.split(" ")[0] in refs)
        boost += PATH_BOOST * path_overlap(asked, f.titles)
        past = f.history or f.doc in past_docs
        boost *= (1.0 if past else history_weight) if query.history else (history_weight if past else 1.0)
        boost *= BLANK_WEIGHT if f.blank else 1.0
        scored.append((f, fused * boost))
    scored.sort(key=lambda fs: (-fs[1], fs[0].pos))
    if by_org:
        order = interleave([[i for i, (f, _) in enumerate(scored) if f.org == o] for o in query.orgs])
    elif by_affair:
        order = interleave([[i for i, (f, _) in enumerate(scored) if f.affair == a] for a in query.affairs])
    else:
        return scored
    return [scored[i] for i in order]
