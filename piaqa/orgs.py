"""The organisations a question names: every alias of every indexed organisation (its name, stem, stem
in romaji, and for long names the words no other organisation has), computed once per index into a
dict; and the name of an organisation a question gives that the index does not hold."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

GENERIC_ORG_TOKENS = frozenset({"全国", "市町村", "職員", "組合", "連合", "会", "市", "町", "村", "区", "県", "都",
                                "道", "府", "長", "広域", "協議"})
ORG_SUFFIX = re.compile(r"(市|町|村|区|都|道|府|県)$")
ORG_JA = re.compile(r"([一-龥ぁ-んァ-ヶ]{1,6}?(?:市|町|村|区|県|府|都))(?=の|は|で|に|が|と|、|\s|'|’|$)")
ORG_EN = re.compile(r"\b([A-Z][a-z]+)(?:\s+(?:City|Town|Village|Ward|Prefecture))\b|\bCity of ([A-Z][a-z]+)")
GENERIC_PLACES = frozenset({"市町村", "市区町村", "都道府県", "指定都市", "構成市町村", "各市町村", "他市町村", "当市",
                            "本市", "同市", "市", "町", "村", "区", "県", "都", "府"})


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


def org_aliases(org: str, shared: dict[str, int] | None = None) -> tuple[str, ...]:
    """Ways a question may name an organisation: its name, its stem (大分), the stem in romaji
    (oita), and for long names the words no other indexed organisation has (共済); `shared` counts, for
    each word, the indexed organisations whose names have it."""
    from .tokenize import tokens

    aliases = {normalise(org)}
    stem = ORG_SUFFIX.sub("", org)
    if stem != org and len(stem) >= 2:
        aliases.add(normalise(stem))
        aliases.add(long_vowels(normalise(_romaji().romaji(stem))))
    if len(org) > 6:
        shared = shared or {}
        aliases.update(t for t in set(tokens(org)) if len(t) >= 2 and t not in GENERIC_ORG_TOKENS
                       and shared.get(t, 1) <= 1)
    return tuple(sorted(a for a in aliases if a))


@dataclass(frozen=True)
class Vocabulary:
    """The indexed organisations and 事務 with every alias a question may use, computed once when an
    index loads: finding the organisations a question names is then a dict look-up per substring of
    the question, whatever the number of organisations (Vocabulary.of builds it)."""

    orgs: tuple[str, ...]
    affairs: tuple[str, ...]
    aliases: dict[str, tuple[str, ...]]  # organisation -> its aliases
    by_alias: dict[str, tuple[str, ...]]  # alias -> the organisations it names
    lengths: tuple[int, ...]  # the lengths of the non-ASCII aliases
    fragments: frozenset[str]  # every substring of a non-ASCII alias

    @classmethod
    def of(cls, orgs: Sequence[str], affairs: Sequence[str]) -> "Vocabulary":
        from .tokenize import tokens

        orgs, affairs = tuple(sorted(set(orgs))), tuple(sorted(set(affairs)))
        shared: dict[str, int] = {}
        for o in orgs:
            if len(o) > 6:
                for t in set(tokens(o)):
                    shared[t] = shared.get(t, 0) + 1
        aliases = {o: org_aliases(o, shared) for o in orgs}
        by_alias: dict[str, list[str]] = {}
        for o, names in aliases.items():
            for a in names:
                by_alias.setdefault(a, []).append(o)
        wide = [a for a in by_alias if not a.isascii()]
        fragments = frozenset(a[i:j] for a in wide for i in range(len(a)) for j in range(i + 1, len(a) + 1))
        return cls(orgs, affairs, aliases, {a: tuple(o) for a, o in by_alias.items()},
                   tuple(sorted({len(a) for a in wide})), fragments)

    def named_orgs(self, low: str) -> tuple[str, ...]:
        """The organisations a normalised question names by any alias (ASCII ones as whole words). A name
        inside a longer one the question names is not named (北大市 in 西南北大市)."""
        spans: list[tuple[int, int, tuple[str, ...]]] = []
        for length in self.lengths:
            for i in range(len(low) - length + 1):
                if found := self.by_alias.get(low[i:i + length]):
                    spans.append((i, i + length, found))
        for m in re.finditer(r"[a-z0-9]+(?:[ -][a-z0-9]+)*", low):
            words = re.split(r"([ -])", m.group(0))
            starts = [m.start() + sum(map(len, words[:i])) for i in range(len(words) + 1)]
            for i in range(0, len(words), 2):
                for j in range(i, min(len(words), i + 8), 2):  # names of up to four words
                    if found := self.by_alias.get("".join(words[i:j + 1])):
                        spans.append((starts[i], starts[j + 1], found))
        named = {o for a, b, found in spans
                 if not any(c <= a and b <= d and (c, d) != (a, b) for c, d, _ in spans) for o in found}
        return tuple(o for o in self.orgs if o in named)


NO_VOCABULARY = Vocabulary((), (), {}, {}, (), frozenset())


def unknown_organisation(question: str, vocab: Vocabulary) -> str | None:
    """An organisation the question names that is not in the index (then nothing can answer it)."""
    known = vocab.by_alias
    for m in ORG_JA.finditer(question):
        name, stem = normalise(m.group(1)), normalise(m.group(1)[:-1])
        inside = any(name[i:j] in known for i in range(len(name)) for j in range(i + 2, len(name) + 1))
        if m.group(1) not in GENERIC_PLACES and name not in known and stem not in known \
                and stem not in vocab.fragments and not inside:
            return m.group(1)
    for m in ORG_EN.finditer(question):
        name = (m.group(1) or m.group(2)).lower()
        if name not in known and not any(name in k for k in known if k.isascii()):
            return m.group(0)
    return None
