"""Hybrid retrieval: BM25 (fugashi tokens) and dense (FAISS) ranks fused by reciprocal rank,
within the documents a question names, with boosts for the form items it asks about."""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from itertools import zip_longest
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .embed import Embedder
from .models import Chunk, Hit
from .query import Query, analyse
from .settings import Settings
from .store import DocEntry, bm25s_module, read_generation, read_manifest, superseded, undated_versions
from .errors import QueryError
from .text import compact, date_key, day_key, has_content, is_placeholder, without_format_chars
from .tokenize import tokens

log = logging.getLogger(__name__)
KEY_BOOST = 0.6  # a chunk of an item the question asks about
BLANK_WEIGHT = 0.5  # an item left blank ranks below items that say something
SECTION_BOOST = 0.5  # a chunk under a section the question names ("（別添１）", "Section I")
PATH_BOOST = 0.6  # a chunk whose section path the question names (委託事項3's title, 別添1, …)
PATH_NUMBER = re.compile(r"^(?:[ⅠⅡⅢⅣⅤⅥ]|\(別添\d*\)|\d+\.|(?:システム|委託事項|提供先|移転先)\d+|リスク\d*:)\s*")


MAX_K = 100  # passages a search returns at most
MAX_SUBJECT = 12  # characters of a question's subject (before its first の) checked against the index
QUESTION_WORDS = frozenset({"何処", "何", "誰", "何時", "何れ", "如何", "幾つ", "幾ら", "何故"})  # UniDic lemmas
MAX_QUESTION_CHARS = 1000  # a question longer than this is refused, not searched for seconds


def check_k(k) -> int:
    """k as given, when it is a whole number from 1 to MAX_K; otherwise QueryError naming the range."""
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise QueryError(f"k must be a whole number from 1 to {MAX_K}, got {k!r}")
    return k


def checked_question(question) -> str:
    """The question without invisible format characters; QueryError when it is not text or too long."""
    if not isinstance(question, str):
        raise QueryError(f"a question must be text, got {type(question).__name__}")
    question = without_format_chars(question.encode("utf-8", "replace").decode("utf-8"))
    if len(question) > MAX_QUESTION_CHARS:
        raise QueryError(f"the question has {len(question):,} characters; ask in at most {MAX_QUESTION_CHARS:,}")
    return question


def path_overlap(query_tokens: set[str], titles: list[set[str]]) -> float:
    """How fully the question names one of a chunk's section titles (0..1, best title).

    >>> path_overlap({"データ", "センター", "管理"}, [{"データ", "センター", "管理", "業務"}])
    0.75
    """
    return max((len(t & query_tokens) / len(t) for t in titles if len(t) >= 2), default=0.0)


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


def named_titles(section: str) -> list[str]:
    """The titles of a section path a question may name: sub-sections, groups, and 別添 annexes
    (Ⅰ–Ⅵ titles are too broad to tell passages apart)."""
    parts = section.split(" > ")
    return [t for t in parts[1:]] + [parts[0]] * parts[0].startswith("(別添")


def chunk_titles(chunk: Chunk) -> list[str]:
    """The titles a question may name for a chunk; a change-log row is titled by the path of the item it changes."""
    return named_titles(chunk.section) + ([chunk.item] if chunk.history else [])


def interleave(rankings: list[list[int]]) -> list[int]:
    """Round-robin merge, so that a question about several organisations gets passages of each.

    >>> interleave([[1, 2, 3], [7, 8]])
    [1, 7, 2, 8, 3]
    """
    out: list[int] = []
    for tier in zip_longest(*rankings):
        out.extend(i for i in tier if i is not None and i not in out)
    return out


def rrf(ranked: list[np.ndarray], k: int, size: int) -> np.ndarray:
    """Reciprocal rank fusion: sum over lists of 1 / (k + rank), rank from 1.

    >>> rrf([np.array([2, 0]), np.array([0, 1])], 60, 3).round(4).tolist()
    [0.0325, 0.0161, 0.0164]
    """
    scores = np.zeros(size)
    for order in ranked:
        scores[order] += 1.0 / (k + np.arange(1, len(order) + 1))
    return scores


@dataclass(frozen=True)
class Filters:
    org: str | None = None
    affair: str | None = None
    form: str | None = None
    history: bool = True  # include change-log passages
    as_of: tuple[int, int, int] | None = None  # only documents published by this day; the latest of them current
    doc: str | None = None  # one document, by its file name (as search results and /documents give it)


class Index:
    """The loaded index: chunks, vectors, FAISS and BM25. Load once, search from many threads."""

    def __init__(self, settings: Settings, chunks: list[Chunk], vectors: np.ndarray, embedder: Embedder, bm25,
                 documents: tuple[DocEntry, ...] = (), generation: str = ""):
        import faiss

        self.generation = generation  # the index version loaded (store.py's generation folder)
        self.settings, self.chunks, self.embedder, self.bm25 = settings, chunks, embedder, bm25
        self.dense = faiss.IndexFlatIP(vectors.shape[1])
        self.dense.add(vectors)
        self._lock = threading.Lock()
        self.orgs = sorted({c.org for c in chunks if c.org})
        self.affairs = sorted({c.affair for c in chunks if c.affair})
        self._doc_of = np.array([c.doc for c in chunks])
        # an earlier version of a re-published assessment counts as history, like its change log
        self.superseded_by = superseded(documents)
        self.documents = {d.source: d for d in documents}
        self._undated = undated_versions(documents)
        self._history = np.array([c.history or c.doc in self.superseded_by for c in chunks])
        # a label with nothing beside it (kept so that "left blank" can be answered) says little to a search
        self._blank = np.array([not (c.selected or c.checked) and is_placeholder(c.value) for c in chunks])
        titles: dict[str, set[str]] = {}  # each distinct title tokenized once
        self._titles = [[titles.setdefault(t, set(tokens(PATH_NUMBER.sub("", t)))) for t in chunk_titles(c)]
                        for c in chunks]
        self._position = {c.id: i for i, c in enumerate(chunks)}
        self._org_affairs: dict[str, set[str]] = {}
        for c in chunks:
            if c.org and c.affair:
                self._org_affairs.setdefault(c.org, set()).add(c.affair)

    @classmethod
    def load(cls, index_dir: str | Path | None = None, settings: Settings | None = None,
             embedder: Embedder | None = None) -> "Index":
        bm25s = bm25s_module()
        settings = settings or Settings()
        if index_dir is not None:
            settings = settings.with_(index_dir=Path(index_dir))
        manifest = read_manifest(settings.index_dir)
        if manifest.model.get("name") != settings.model:
            settings = settings.with_(model=manifest.model["name"])  # query with the model that built it
        chunks, vectors = read_generation(settings.index_dir, manifest)
        bm25 = bm25s.BM25.load(str(settings.index_dir / manifest.generation / "bm25"))
        return cls(settings, chunks, vectors.astype(np.float32), embedder or Embedder(settings), bm25,
                   manifest.documents, manifest.generation)

    def published_by(self, day: tuple[int, int, int]) -> tuple[DocEntry, ...]:
        """The documents published on or before `day` (an undated one always counts)."""
        return tuple(d for d in self.documents.values() if (date_key(d.published) or (0,)) <= day)

    def history_mask(self, as_of: tuple[int, int, int] | None = None) -> np.ndarray:
        """Change-log passages and those of superseded versions — as the index stood on `as_of`, when given."""
        if as_of is None:
            return self._history
        old = superseded(self.published_by(as_of))
        return np.array([c.history or c.doc in old for c in self.chunks])

    def version_note(self, doc: str, as_of: str | None = None) -> str | None:
        """Which version of its assessment a document is, when the index holds more than one (or the day
        the documents were searched as of); else None."""
        entry = self.documents.get(doc)
        if as_of:
            return f"as the documents stood on {as_of}: {doc}" + (
                f" (公表日 {entry.published})" if entry and entry.published else "")
        if entry is None:
            return None
        dated = f"公表日 {entry.published}" if entry.published else "no 公表日"
        if doc in self.superseded_by:
            newer = self.documents.get(self.superseded_by[doc])
            return (f"from an earlier version ({dated}) of this assessment, superseded by {self.superseded_by[doc]}"
                    + (f" (公表日 {newer.published})" if newer and newer.published else ""))
        if doc in self._undated:
            return (f"{doc} ({dated}) and {', '.join(self._undated[doc])} claim the same assessment and their "
                    "dates do not say which is current: check the version")
        if doc in self.superseded_by.values():
            return f"from the current version ({dated}); earlier versions are kept as history"
        return None

    def names_group(self, asked: set[str], chunk: Chunk) -> float:
        """How fully the question's words (`asked`) name the chunk's innermost section (委託事項3's title, …), 0..1."""
        return path_overlap(asked, self._titles[self._position[chunk.id]][-1:])

    def chunk(self, chunk_id: str) -> Chunk | None:
        """The indexed passage with this id (as Chunk.id and LangChain Document ids give it), or None."""
        position = self._position.get(chunk_id)
        return None if position is None else self.chunks[position]

    def section_of(self, chunk: Chunk) -> list[Chunk]:
        """The chunks of the section a chunk belongs to (itself included), in source order."""
        return [c for c in self.chunks_of(chunk.doc) if c.section == chunk.section]

    def chunks_of(self, doc: str) -> list[Chunk]:
        """All chunks of one document, in source order."""
        return [self.chunks[i] for i in np.flatnonzero(self._doc_of == doc)]

    def document_text(self, doc: str, history: bool = False) -> str:
        """The raw text the index holds for a document: its current body, or with its change log too."""
        return "\n".join(c.text for c in self.chunks_of(doc) if history or not c.history)

    def candidates(self, query: Query, filters: Filters) -> np.ndarray:
        """Boolean mask of the chunks a question may be answered from."""
        mask = np.ones(len(self.chunks), dtype=bool)
        if filters.doc:
            mask &= self._doc_of == self.document_named(filters.doc)
        if filters.org:
            orgs = self.filtered("org", filters.org)
            mask &= np.array([c.org in orgs for c in self.chunks])
        if filters.affair:
            affairs = self.filtered("affair", filters.affair)
            mask &= np.array([c.affair in affairs for c in self.chunks])
        if filters.form:
            mask &= np.array([compact(filters.form) in compact(c.form or "") for c in self.chunks])
        if filters.as_of:
            published = {d.source for d in self.published_by(filters.as_of)}
            mask &= np.array([c.doc in published for c in self.chunks])
        if not filters.history:
            mask &= ~self.history_mask(filters.as_of)
        if filters.org or filters.affair or filters.doc:
            return mask
        if query.orgs:
            # each organisation named keeps the first 事務 named that it has (住基 in "国年: 住基情報…" is data),
            # or both when the question names them side by side ("国年と住基で")
            wanted = {org: {a for a in query.affairs if a in self._org_affairs.get(org, set())}
                      for org in query.orgs}
            if not query.compared:
                wanted = {org: {min(found, key=query.affairs.index)} if found else set() for org, found in wanted.items()}
            mask &= np.array([c.org in wanted and (not wanted[c.org] or c.affair in wanted[c.org])
                              for c in self.chunks])
        elif query.affairs:
            mask &= np.array([c.affair in query.affairs for c in self.chunks])
        return mask

    def document_named(self, name: str) -> str:
        """The indexed document a `doc` filter names: its file name, or that name without the extension.
        Raises QueryError naming the indexed documents when none matches."""
        wanted = name.strip()
        found = next((d for d in self.documents if wanted in (d, Path(d).stem)), None)
        if found is None:
            shown = ", ".join(sorted(self.documents)[:10]) + (" …" if len(self.documents) > 10 else "")
            raise QueryError(f"no indexed document is named {name!r}: the doc filter takes a file name as "
                             f"search results give it ({shown})")
        return found

    def filtered(self, field: str, value: str) -> set[str]:
        """The indexed organisations (field 'org') or 事務 ('affair') a filter value names: as part of the
        name (大分 → 大分市), or as a question would name them (国年 → 国民年金に関する事務, Chiba → 千葉市)."""
        known = self.orgs if field == "org" else self.affairs
        direct = {k for k in known if compact(value) and compact(value) in compact(k)}
        if direct:
            return direct
        query = analyse(value, self.orgs, self.affairs)
        return set(query.orgs if field == "org" else query.affairs)

    def known_terms(self, query: Query) -> list[str]:
        """The question's topic words that occur in the indexed passages (BM25's vocabulary)."""
        return [t for t in tokens(query.topic) if t in self.bm25.vocab_dict]

    def unknown_subject(self, question: str) -> str | None:
        """The subject a question is about — the words before its first の (火星 in 火星の人口は？) — when no
        indexed passage has any of its words; None otherwise (a question word such as どこ is no subject)."""
        head = question.split("の", 1)[0].strip() if "の" in question else ""
        words = [t for t in tokens(head) if not t.isascii()]
        if not head or len(head) > MAX_SUBJECT or not words or any(t in QUESTION_WORDS for t in words):
            return None
        return head if not any(t in self.bm25.vocab_dict for t in words) else None

    def knows_words(self, query: Query) -> bool:
        """Whether any content word (two characters or more) of the question occurs in the indexed passages."""
        return any(len(t) >= 2 for t in self.known_terms(query))

    def lexical_ranks(self, query: Query, mask: np.ndarray) -> np.ndarray:
        known = self.known_terms(query)
        if not known:  # e.g. an English question with no word the corpus has
            return np.array([], dtype=int)
        scores = np.asarray(self.bm25.get_scores(known))
        order = np.argsort(-scores, kind="stable")
        return order[mask[order] & (scores[order] > 0)]

    def dense_ranks(self, query: Query, mask: np.ndarray) -> np.ndarray:
        vector = self.embedder.encode_query(query.expanded)
        with self._lock:
            _, ids = self.dense.search(vector.reshape(1, -1), len(self.chunks))
        order = ids[0][ids[0] >= 0]
        return order[mask[order]]

    def search(self, question: str, k: int = 5, org: str | None = None, affair: str | None = None,
               form: str | None = None, history: bool = True, as_of: str | None = None,
               doc: str | None = None) -> list[Hit]:
        """The k best passages for a question, best first (k from 1 to MAX_K; a question of at most
        MAX_QUESTION_CHARS characters). `as_of` (2024-04-01 or 令和6年4月1日) searches the documents
        as they stood that day: later ones left out, the latest version then current; `doc` keeps one
        document (its file name). Raises QueryError for a k, a question, a date or a document out of range."""
        question = checked_question(question)
        check_k(k)
        day = day_key(as_of) if as_of else None
        if as_of and day is None:
            raise QueryError(f"as_of must be a date such as 2024-04-01 or 令和6年4月1日, got {as_of!r}")
        if not has_content(question):
            return []
        query = analyse(question, self.orgs, self.affairs)
        mask = self.candidates(query, Filters(org, affair, form, history, day, doc))
        if not mask.any():
            return []
        fused = rrf([self.lexical_ranks(query, mask), self.dense_ranks(query, mask)], self.settings.rrf_k,
                    len(self.chunks))
        boost = np.ones(len(self.chunks))
        if query.keys:
            weights = {key: KEY_BOOST / (1 + i) for i, key in enumerate(query.keys)}
            boost += np.array([weights.get(c.key, 0.0) for c in self.chunks])
        refs = section_refs(question)
        if refs:  # a section the question names explicitly
            boost += SECTION_BOOST * np.array([c.section.split(" ")[0] in refs for c in self.chunks])
        asked = set(tokens(query.topic))
        boost += PATH_BOOST * np.array([path_overlap(asked, t) if m else 0.0 for t, m in zip(self._titles, mask)])
        # the change log ranks below the current body, unless the question is about changes
        weight = self.settings.history_weight
        past = self.history_mask(day)
        boost *= np.where(past, 1.0, weight) if query.history else np.where(past, weight, 1.0)
        boost *= np.where(self._blank, BLANK_WEIGHT, 1.0)
        scores = np.where(mask, fused * boost, -1.0)
        order = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0]
        if len(query.orgs) > 1 and not org:
            order = interleave([[i for i in order if self.chunks[i].org == o] for o in query.orgs])
        elif not affair and query.compared:  # two 事務 side by side: passages of each
            order = interleave([[i for i in order if self.chunks[i].affair == a] for a in query.affairs])
        return [Hit(self.chunks[i], float(scores[i])) for i in order[:k]]
