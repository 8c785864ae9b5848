"""Query understanding as general domain knowledge: which organisations, 事務 and form items a
question is about, and the form's Japanese words for what it asks (for English or mixed questions).

Nothing here names a particular question; the glossary is the vocabulary of PIA forms.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .schema import CATALOGUE, label_core
from .text import compact

# Abbreviations people type, and what the forms write.
ABBREVIATIONS: dict[str, str] = {
    "住基ネット": "住民基本台帳ネットワークシステム", "住基": "住民基本台帳", "国年": "国民年金",
    "共済": "共済組合", "国保": "国民健康保険", "介保": "介護保険", "後期高齢": "後期高齢者医療",
    "マイナンバーカード": "個人番号カード", "マイナンバー": "個人番号", "番号法": "番号利用法",
    "パブコメ": "意見の聴取", "j-lis": "地方公共団体情報システム機構",
}
# English (and romanised) words -> the forms' Japanese vocabulary.
ENGLISH: dict[str, str] = {
    "national pension": "国民年金", "pension": "年金", "resident registry": "住民基本台帳",
    "resident register": "住民基本台帳", "resident records": "住民基本台帳", "resident record": "住民基本台帳",
    "basic resident": "住民基本台帳", "residents": "住民", "mutual-aid": "共済", "mutual aid": "共済",
    "federation": "連合会", "municipal employees": "市町村職員", "personal number": "個人番号",
    "my number": "個人番号", "change log": "変更箇所", "revision": "変更", "changed": "変更", "change": "変更",
    "added": "追加", "deleted": "削除", "system": "システム", "file": "ファイル", "branch office": "支所",
    "liaison office": "連絡所", "city hall": "市役所", "tax": "税", "health insurance": "健康保険",
    "long-term care": "介護保険", "data centre": "データセンター", "data center": "データセンター",
    "cloud": "クラウド", "government cloud": "ガバメントクラウド", "training": "研修", "audit": "監査",
    "third-party review": "第三者点検", "third party": "第三者点検", "public comment": "意見",
    "certification": "認証", "entry": "入館", "building": "建物", "exemption": "免除", "notification": "通知",
    "municipalities": "市町村", "municipality": "市町村", "staff": "職員", "department": "部署",
}
HISTORY_WORDS = ("変更", "改正", "追加された", "削除された", "以前", "旧", "change", "revis", "amend",
                 "before", "previous", "moved", "added", "history")
GENERIC_ORG_TOKENS = frozenset({"全国", "市町村", "職員", "組合", "連合", "会", "市", "町", "村", "区", "県", "都",
                                "道", "府", "長", "広域", "協議"})
ORG_SUFFIX = re.compile(r"(市|町|村|区|都|道|府|県)$")
AFFAIR_TAIL = re.compile(r"(に関する事務|関係事務|の事務|事務)$")


@dataclass(frozen=True)
class Query:
    text: str
    expanded: str  # the question plus the forms' words for what it says
    orgs: tuple[str, ...]
    affairs: tuple[str, ...]
    keys: tuple[str, ...]  # schema keys asked about, most specific first
    history: bool


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def long_vowels(romaji: str) -> str:
    """Hepburn without long vowels, as people type place names: 'ooita' -> 'oita'.

    >>> long_vowels("ooita shi"), long_vowels("kyouto")
    ('oita shi', 'kyoto')
    """
    return re.sub(r"([aiueo])\1|ou", lambda m: m.group(0)[0], romaji)


@lru_cache(maxsize=1)
def _romaji():
    import cutlet

    return cutlet.Cutlet()


@lru_cache(maxsize=256)
def org_aliases(org: str, others: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Ways a question may name an organisation: its name, its stem (大分), the stem in romaji
    (oita), and for long names the words no other indexed organisation has (共済)."""
    from .tokenize import tokens

    aliases = {normalise(org)}
    stem = ORG_SUFFIX.sub("", org)
    if stem != org and len(stem) >= 2:
        aliases.add(normalise(stem))
        aliases.add(long_vowels(normalise(_romaji().romaji(stem))))
    if len(org) > 6:
        other_tokens = {t for o in others if o != org for t in tokens(o)}
        aliases.update(t for t in tokens(org) if len(t) >= 2 and t not in GENERIC_ORG_TOKENS and t not in other_tokens)
    return tuple(sorted(a for a in aliases if a))


def affair_core(affair: str) -> str:
    """'国民年金に関する事務' -> '国民年金'."""
    return AFFAIR_TAIL.sub("", affair)


def expand(question: str) -> str:
    """The question with the forms' words appended for abbreviations and English terms.

    >>> expand("大分市の国年")
    '大分市の国年 国民年金'
    """
    low = normalise(question)
    extra = [full for short, full in ABBREVIATIONS.items() if short in low and full not in low]
    extra += [ja for en, ja in ENGLISH.items() if re.search(rf"\b{re.escape(en)}", low) and ja not in low]
    return " ".join([question, *dict.fromkeys(extra)])


def _mentions(text: str, alias: str) -> bool:
    if alias.isascii():
        return re.search(rf"\b{re.escape(alias)}\b", text) is not None
    return alias in text


def detect_keys(text: str) -> tuple[str, ...]:
    """Schema keys a question asks about, longest (most specific) matching term first."""
    low = normalise(text)
    flat = compact(text)
    found: dict[str, int] = {}
    for entry in CATALOGUE:
        best = 0
        for label in entry.labels:
            core = label_core(label)
            if len(core) >= 2 and core in flat:
                best = max(best, len(core) + 2)
        for word in entry.ja:
            if compact(word) in flat:
                best = max(best, len(word))
        for term in entry.en:
            if re.search(rf"\b{re.escape(term)}", low):
                best = max(best, len(term) // 2)
        if best:
            found[entry.key] = max(found.get(entry.key, 0), best)
    return tuple(sorted(found, key=lambda k: -found[k]))


def analyse(question: str, orgs: Sequence[str], affairs: Sequence[str]) -> Query:
    """Read a question against the organisations and 事務 that are indexed."""
    expanded = expand(question)
    low = normalise(expanded)
    known_orgs = tuple(sorted(set(orgs)))
    hit_orgs = tuple(o for o in known_orgs if any(_mentions(low, a) for a in org_aliases(o, known_orgs)))
    hit_affairs = tuple(a for a in sorted(set(affairs)) if normalise(affair_core(a)) in low)
    keys = detect_keys(expanded)
    history = any(w in low for w in HISTORY_WORDS)
    from .schema import by_key

    words = [by_key(k).labels[0] for k in keys[:3]]
    expanded = " ".join([expanded, *(w for w in words if w not in expanded)])
    return Query(question, expanded, hit_orgs, hit_affairs, keys, history)
