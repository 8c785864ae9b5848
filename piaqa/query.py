"""Query understanding as general domain knowledge: which organisations, 事務 and form items a
question is about, and the form's Japanese words for what it asks (for English or mixed questions).

Nothing here names a particular question; the glossary is the vocabulary of PIA forms.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .item_match import item_scores
from .question_terms import TERMS
from .schema import CATALOGUE, by_key, label_core
from .text import ERAS, compact, squeeze
from .orgs import NO_VOCABULARY, Vocabulary, normalise
from .vocabulary import ABBREVIATIONS, ENGLISH

NAME_QUESTION = re.compile(r"\bwho\b|\bwhich (?:company|companies|firm|vendor|body|organi[sz]ation)|誰|だれ|どこの(?:会社|業者)|会社名|業者名|社名|名前|名称|\bname\b")
HISTORY_WORDS = ("変更", "改正", "変わった", "変わりました", "追加された", "削除された", "以前", "旧", "change", "revis", "amend",
                 "previous", "moved from", "were added", "was added", "history")
AFFAIR_TAIL = re.compile(r"(に関する事務|関係事務|の事務|事務)$")


@dataclass(frozen=True)
class Query:
    text: str
    expanded: str  # the question plus the forms' words for what it says
    topic: str  # `expanded` without the organisation and 事務 names (they filter; they do not rank)
    orgs: tuple[str, ...]
    affairs: tuple[str, ...]
    keys: tuple[str, ...]  # schema keys asked about, most specific first
    history: bool
    compared: bool = False  # two 事務 named side by side ('国年と住基で'): both are asked about


def affair_core(affair: str) -> str:
    """'国民年金に関する事務' -> '国民年金'."""
    return AFFAIR_TAIL.sub("", affair)


def affair_names(affair: str) -> tuple[str, ...]:
    """The names a question uses for a 事務, normalised: its core, the core's head noun before 「の」,
    the core without 制度.

    >>> affair_names("児童手当の支給に関する事務"), affair_names("後期高齢者医療制度に関する事務")
    (('児童手当の支給', '児童手当'), ('後期高齢者医療制度', '後期高齢者医療'))
    """
    core = normalise(affair_core(affair))
    names = [core, core.split("の")[0], re.sub(r"制度$", "", core)]
    return tuple(dict.fromkeys(n for n in names if len(n) >= 3))


MONTHS = {m: i + 1 for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july",
                                           "august", "september", "october", "november", "december"))}


def era_date(year: int, month: int, day: int) -> str:
    """A Western date in the Japanese era the forms use.

    >>> era_date(2024, 2, 1), era_date(2019, 4, 17), era_date(2019, 5, 1)
    ('令和6年2月1日', '平成31年4月17日', '令和元年5月1日')
    """
    for era, start, first in ERAS:
        if (year, month, day) >= (start, *first):
            n = year - start + 1
            return f"{era}{'元' if n == 1 else n}年{month}月{day}日"
    return f"{year}年{month}月{day}日"


def western_dates(text: str) -> list[str]:
    """Era forms of the Western dates in a question ("February 1, 2024", "2024-02-01", "2024年2月1日")."""
    low = normalise(text)
    found = []
    for m in re.finditer(r"\b(" + "|".join(MONTHS) + r")\s+(\d{1,2}),?\s+(\d{4})", low):
        found.append(era_date(int(m.group(3)), MONTHS[m.group(1)], int(m.group(2))))
    for m in re.finditer(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r"),?\s+(\d{4})", low):
        found.append(era_date(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1))))
    for m in re.finditer(r"(?<!\d)((?:19|20)\d{2})[-/年](\d{1,2})[-/月](\d{1,2})", low):
        found.append(era_date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    return found


def expand(question: str) -> str:
    """The question with the forms' words appended for abbreviations and English terms.

    >>> expand("大分市の国年")
    '大分市の国年 国民年金'
    """
    low = normalise(question)
    extra = [full for short, full in ABBREVIATIONS.items() if short in low and full not in low]
    extra += [ja for en, ja in ENGLISH.items() if re.search(rf"\b{re.escape(en)}", low) and ja not in low]
    extra += western_dates(question)
    return " ".join([question, *dict.fromkeys(extra)])


def late(text: str, word: str) -> float:
    """How near the end of a Japanese question a word is (0..1): Japanese puts what is asked last."""
    return text.rfind(word) / max(len(text), 1)


@lru_cache(maxsize=None)
def _term_pattern(term: str) -> re.Pattern:
    return re.compile(rf"\b{re.escape(term)}")


MAX_GAP = 4  # words an English phrase may have inserted ('give [its resident registry file] to the company')


@lru_cache(maxsize=None)
def _gapped_pattern(term: str) -> re.Pattern | None:
    words = term.split()
    gap = r"(?:\W+\w+){0,%d}?\W+" % MAX_GAP
    return re.compile(r"\b" + gap.join(re.escape(w) + r"\w*" for w in words)) if len(words) >= 2 else None


def find_term(term: str, low: str) -> tuple[re.Match | None, int]:
    """Where an English term occurs in a lower-cased question, and how many words were inserted into it
    (its words may be inflected there: 'hand over' in 'handed it over').

    >>> m, gap = find_term("people handle", "how many people at the contractor handle it")
    >>> m.group(0), gap
    ('people at the contractor handle', 3)
    """
    m = _term_pattern(term).search(low)
    if m or (gapped := _gapped_pattern(term)) is None:
        return m, 0
    m = gapped.search(low)
    return m, (len(m.group(0).split()) - len(term.split())) if m else 0


def _term_matches(low: str, flat: str) -> dict[str, float]:
    """Items named by the transitional terms (question_terms.py): Japanese words 100 and up, English terms
    by their length."""
    found: dict[str, float] = {}
    for key, (english, japanese) in TERMS.items():
        best = 0.0
        for word in japanese:
            if compact(word) in flat:
                best = max(best, 100 + len(word) + 10 * late(flat, compact(word)))
        for term in english:
            m, gap = find_term(term, low)
            if m:
                best = max(best, len(term) - 2 * gap + 10 * (1 - m.start() / max(len(low), 1)))
        if best:
            found[key] = best
    return found


ELLIPSIS_MIN = 12  # characters of a label long enough to be asked by its head and tail


@lru_cache(maxsize=1)
def _label_heads() -> dict[str, int]:
    """How many of the form's labels begin with each head (3–8 characters): a head that several
    labels share (特定個人情報の…) says nothing about which one is asked."""
    heads: dict[str, int] = {}
    for core in {label_core(label) for entry in CATALOGUE for label in entry.labels}:
        for n in range(3, 9):
            heads[core[:n]] = heads.get(core[:n], 0) + 1
    return heads


def elided(core: str, flat: str) -> tuple[int, int]:
    """(head, tail) lengths when the question holds the label's distinctive head and, after it, the
    label's tail (3+ characters each, 8+ together); (0, 0) otherwise.

    >>> elided("委託先への特定個人情報ファイルの提供方法", "さいたま市の委託先への提供方法は")
    (5, 4)
    """
    heads = _label_heads()
    for h in range(min(8, len(core) - 4), 2, -1):
        start = flat.find(core[:h])
        if start < 0 or heads.get(core[:h], 0) > 1:
            continue
        rest = flat[start + h:]
        for t in range(min(8, len(core) - h), 2, -1):
            if core[-t:] in rest and h + t >= 8:
                return h, t
        return 0, 0
    return 0, 0


DESCRIPTION_WEIGHT = 100  # a fact no form prints, meant by the question's words (item_match): above what the
# transitional terms found
ENTITY_WEIGHT = 190  # the thing a name label names (委託先 of 委託先名): just below the label itself
NAME_SUFFIX = re.compile(r"(?:の)?(?:名称|名)$")
ASKED_LAST = re.compile(r"(?:は|って|を|が)?(?:どこ|誰|だれ|何|なに|なん)?(?:です|でしょう)?か?(?:教えて(?:ください)?)?[？?。!！]*")


def entity_of(core: str) -> str | None:
    """What a label ending in 名/名称 names: asking who or which 委託先 is asking for its 委託先名.

    >>> entity_of("委託先名"), entity_of("再委託先名"), entity_of("システムの名称"), entity_of("委託の有無")
    ('委託先', '再委託先', 'システム', None)
    """
    entity = NAME_SUFFIX.sub("", core)
    return entity if entity != core and len(entity) >= 3 else None


def _label_matches(flat: str, asks_name: bool = False) -> list[tuple[str, int, int, float]]:
    """(key, start, end, score) of every printed label in a question, and of the entity a name label names
    where the question asks for a name (`asks_name`) or ends on the entity (「…の委託先は？」)."""
    found = []
    for entry in CATALOGUE:
        for label in entry.labels:
            core = label_core(label)
            if len(core) >= 2 and (at := flat.rfind(core)) >= 0:
                # one printed label in several places (法令上の根拠): the question's context decides
                near = any(compact(w).removesuffix("先") in flat for w in entry.within)
                found.append((entry.key, at, at + len(core), 200 + len(core) + 20 * near + 10 * late(flat, core)))
            elif (entity := entity_of(core)) and (at := flat.rfind(entity)) >= 0 and (
                    asks_name or ASKED_LAST.fullmatch(flat[at + len(entity):])):
                found.append((entry.key, at, at + len(entity), ENTITY_WEIGHT + len(entity) + 10 * late(flat, entity)))
            elif len(core) >= ELLIPSIS_MIN:
                head, tail = elided(core, flat)
                if head:  # a long label asked by its own head and tail (委託先への…提供方法)
                    at = flat.find(core[:head])
                    found.append((entry.key, at, at + head, 200 + head + tail + 10 * late(flat, core[-tail:])))
    # a label inside a longer one the question gives is not named (委託先 in 再委託先, 期間 in 保管期間)
    return [m for m in found if not any(o[1] <= m[1] and m[2] <= o[2] and o[2] - o[1] > m[2] - m[1] for o in found)]


def detect_keys(text: str) -> tuple[str, ...]:
    """Catalogue keys a question asks about: the printed labels it names (200 and up; the entity a name
    label names, 190), longer and later ones first; then the transitional terms (question_terms.py); where
    it names no printed label, a fact no form prints when its description's words are the question's best
    match (item_match). A who/which question puts the items that hold a name first."""
    low = normalise(text)
    flat = compact(text)
    asks_name = bool(NAME_QUESTION.search(low))
    found: dict[str, float] = {}
    for key, _, _, score in _label_matches(flat, asks_name):
        found[key] = max(found.get(key, 0.0), score)
    labelled = bool(found)
    for key, score in _term_matches(low, flat).items():
        found[key] = max(found.get(key, 0.0), score)
    described = [] if labelled else item_scores(expand(text))
    if described and by_key(described[0][0]).absent:
        # a fact no form prints, meant by the question's own words where it names no printed label
        # (item_match keeps an absent fact only when the question uses a word its related items lack)
        found[described[0][0]] = DESCRIPTION_WEIGHT + max(found.values(), default=0.0)
    if asks_name:
        for key in found:
            entry = by_key(key)
            if entry.type == "name" or entity_of(label_core(entry.labels[0])):
                found[key] += 50
    return tuple(sorted(found, key=lambda k: -found[k]))


def mentioned_affairs(question: str, affairs: Sequence[str]) -> tuple[str, ...]:
    """The 事務 a question names (by name, abbreviation or English), in the order it names them."""
    low = normalise(question)
    first = {affair: spot for affair in sorted(set(affairs)) if (spot := _affair_span(low, affair)[0]) >= 0}
    return tuple(sorted(first, key=first.get))


COORDINATED = re.compile(r"\s*(?:と|及び|および|や|、|・|,|&|and|vs\.?|versus|or)\s*")


def affairs_compared(question: str, affairs: Sequence[str]) -> bool:
    """Whether a question names two 事務 side by side ('国年と住基で', 'pension and resident registry'),
    asking about both, rather than one 事務 and the other's data ('国年で、住基から入手する…').

    >>> affairs = ("国民年金に関する事務", "住民基本台帳に関する事務")
    >>> affairs_compared("国年（重点項目）と住基（全項目）で公表日は？", affairs), affairs_compared("国年で、住基から入手する情報は？", affairs)
    (True, False)
    """
    named = mentioned_affairs(question, affairs)
    if len(named) < 2:
        return False
    low = normalise(question)
    (_, end), (start, _) = sorted(_affair_span(low, a) for a in named[:2])
    between = re.sub(r"[（(][^）)]*[）)]", "", low[end:start])  # 国年（重点項目）と住基
    return bool(COORDINATED.fullmatch(between))


def _affair_span(low: str, affair: str) -> tuple[int, int]:
    """Where a question first names a 事務 (by name, abbreviation or English): (start, end), or (-1, -1)."""
    core = normalise(affair_core(affair))
    names = [*affair_names(affair)] + [normalise(short) for short, full in ABBREVIATIONS.items()
                      if normalise(full) == core and "ネット" not in short]
    spans = [(i, i + len(n)) for n in names if (i := low.find(n)) >= 0]
    spans += [m.span() for en, ja in ENGLISH.items() if normalise(ja) == core
              for m in [_term_pattern(en).search(low)] if m]
    return min(spans, default=(-1, -1))


def analyse(question: str, vocab: Vocabulary = NO_VOCABULARY) -> Query:
    """Read a question against the organisations and 事務 that are indexed (`vocab`)."""
    expanded = expand(question)
    low = normalise(expanded)
    hit_orgs = vocab.named_orgs(low)
    hit_affairs = mentioned_affairs(question, vocab.affairs)
    keys = detect_keys(question)
    history = any(w in low for w in HISTORY_WORDS)
    words = [by_key(k).labels[0] for k in keys[:3]]  # the labels of the items named are searched for too
    expanded = " ".join([expanded, *(w for w in words if w not in expanded)])
    topic = normalise(expanded)
    names = [a for o in hit_orgs for a in vocab.aliases[o]] + [n for a in hit_affairs for n in affair_names(a)]
    names += [normalise(a) for a in hit_affairs]
    for name in sorted(names, key=len, reverse=True):
        topic = re.sub(rf"\b{re.escape(name)}\b" if name.isascii() else re.escape(name), " ", topic)
    for short, full in ABBREVIATIONS.items():  # an abbreviation of a 事務 that filtered goes too
        if any(normalise(full) in normalise(a) for a in hit_affairs):
            topic = topic.replace(normalise(short), " ")
    return Query(question, expanded, squeeze(topic), hit_orgs, hit_affairs, keys, history,
                 affairs_compared(question, hit_affairs))
