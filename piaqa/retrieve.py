"""Hybrid retrieval: BM25 (fugashi tokens) and dense ranks fused by reciprocal rank, within the
documents a question names, with boosts for the form items it asks about (ranking.py).

The Index knows the documents (the manifest) and reads the question; the store (store/local.py, or
store/milvus.py on Milvus) finds the candidates — top-k of each ranking, inside the selection — and
reads the few passages shown. No step walks over every passage.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path


from .embed import Embedder
from .errors import QueryError
from .models import Chunk, Hit
from .orgs import Vocabulary
from .query import Query, analyse
from .ranking import ranked, section_refs
from .settings import Settings
from .store import DocEntry, read_manifest, superseded, undated_versions
from .store.selection import Selection
from .text import compact, date_key, day_key, has_content, without_format_chars
from .titles import chunk_titles, path_overlap, words_of_title
from .tokenize import tokens

log = logging.getLogger(__name__)
CANDIDATES = 200  # passages each ranking brings up for fusion and boosts (measured: 100 loses 2 dev answers, 200 loses none)


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


@dataclass(frozen=True)
class Filters:
    org: str | None = None
    affair: str | None = None
    form: str | None = None
    history: bool = True  # include change-log passages
    as_of: tuple[int, int, int] | None = None  # only documents published by this day; the latest of them current
    doc: str | None = None  # one document, by its file name (as search results and /documents give it)


def _documents(table: dict[str, set[str]], names) -> set[str]:
    """The documents of every organisation (or 事務) named, from a table of them by name."""
    return set().union(*(table.get(n, set()) for n in names))


class Index:
    """A loaded index: the manifest's documents, the question vocabulary, and a store (local or Milvus)
    that searches the passages. Load once, search from many threads."""

    def __init__(self, settings: Settings, store, embedder: Embedder, documents: tuple[DocEntry, ...] = (),
                 generation: str = ""):
        self.generation = generation  # the index version loaded (store/generation.py's folder)
        self.settings, self.store, self.embedder = settings, store, embedder
        self.documents = {d.source: d for d in documents}
        self.orgs = sorted({d.org for d in documents if d.org})
        self.affairs = sorted({d.affair for d in documents if d.affair})
        self.vocab = Vocabulary.of(self.orgs, self.affairs)
        # an earlier version of a re-published assessment counts as history, like its change log
        self.superseded_by = superseded(documents)
        self._past = frozenset(self.superseded_by)
        self._undated = undated_versions(documents)
        self._by_org: dict[str, set[str]] = {}
        self._by_affair: dict[str, set[str]] = {}
        for d in documents:
            self._by_org.setdefault(d.org or "", set()).add(d.source)
            self._by_affair.setdefault(d.affair or "", set()).add(d.source)
        self._org_affairs = {org: {self.documents[s].affair for s in docs if self.documents[s].affair}
                             for org, docs in self._by_org.items()}

    @classmethod
    def load(cls, index_dir: str | Path | None = None, settings: Settings | None = None,
             embedder: Embedder | None = None) -> "Index":
        """The index in `index_dir` (or settings.index_dir), its store opened as settings.store says.
        Raises IndexMissing when there is none, or it is damaged (the message names the fix)."""
        from .store.open import open_store

        settings = settings or Settings()
        if index_dir is not None:
            settings = settings.with_(index_dir=Path(index_dir))
        manifest = read_manifest(settings.index_dir)
        if manifest.model.get("name") != settings.model:
            settings = settings.with_(model=manifest.model["name"])  # query with the model that built it
        store = open_store(settings, manifest)
        return cls(settings, store, embedder or Embedder(settings), manifest.documents, manifest.generation)

    def __len__(self) -> int:
        """The number of passages indexed."""
        return len(self.store)

    def passages(self):
        """Every indexed passage, in document order (read one at a time)."""
        return iter(self.store)

    def published_by(self, day: tuple[int, int, int]) -> tuple[DocEntry, ...]:
        """The documents published on or before `day` (an undated one always counts)."""
        return tuple(d for d in self.documents.values() if (date_key(d.published) or (0,)) <= day)

    def past_documents(self, as_of: tuple[int, int, int] | None = None) -> frozenset[str]:
        """The documents superseded by a later version — as the index stood on `as_of`, when given."""
        return frozenset(superseded(self.published_by(as_of))) if as_of else self._past

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
        return path_overlap(asked, [set(words_of_title(t)) for t in chunk_titles(chunk)[-1:]])

    def chunk(self, chunk_id: str) -> Chunk | None:
        """The indexed passage with this id (as Chunk.id and LangChain Document ids give it), or None."""
        return self.store.chunk(chunk_id)

    def section_of(self, chunk: Chunk) -> list[Chunk]:
        """The chunks of the section a chunk belongs to (itself included), in source order."""
        return [c for c in self.chunks_of(chunk.doc) if c.section == chunk.section]

    def chunks_of(self, doc: str) -> list[Chunk]:
        """All chunks of one document, in source order."""
        return self.store.of_document(doc)

    def document_text(self, doc: str, history: bool = False) -> str:
        """The raw text the index holds for a document: its current body, or with its change log too."""
        return "\n".join(c.text for c in self.chunks_of(doc) if history or not c.history)

    def selection(self, query: Query, filters: Filters) -> Selection:
        """The documents a question may be answered from (doc-level: no walk over passages)."""
        docs: set[str] | None = None

        def narrow(allowed: set[str]) -> None:
            nonlocal docs
            docs = set(allowed) if docs is None else docs & allowed

        if filters.doc:
            narrow({self.document_named(filters.doc)})
        if filters.org:
            narrow(_documents(self._by_org, self.filtered("org", filters.org)))
        if filters.affair:
            narrow(_documents(self._by_affair, self.filtered("affair", filters.affair)))
        if not (filters.org or filters.affair or filters.doc):
            if query.orgs:
                # each organisation named keeps the first 事務 named that it has (住基 in "国年: 住基情報…" is
                # data), or both when the question names them side by side ("国年と住基で")
                wanted = {org: {a for a in query.affairs if a in self._org_affairs.get(org, set())}
                          for org in query.orgs}
                if not query.compared:
                    wanted = {o: {min(f, key=query.affairs.index)} if f else set() for o, f in wanted.items()}
                narrow({s for org, affairs in wanted.items() for s in self._by_org.get(org, set())
                        if not affairs or self.documents[s].affair in affairs})
            elif query.affairs:
                narrow(_documents(self._by_affair, query.affairs))
        if filters.form:
            form = compact(filters.form)
            narrow({s for s in (docs if docs is not None else self.documents)
                    if form in compact(self.documents[s].form or "")})
        if filters.as_of:
            narrow({d.source for d in self.published_by(filters.as_of)})
        past = self.past_documents(filters.as_of) if not filters.history else frozenset()
        return Selection(None if docs is None else frozenset(docs), not filters.history, past)

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
        query = analyse(value, self.vocab)
        return set(query.orgs if field == "org" else query.affairs)

    def known_terms(self, query: Query) -> list[str]:
        """The question's topic words that occur in the indexed passages (BM25's vocabulary)."""
        return [t for t in tokens(query.topic) if self.store.knows(t)]

    def unknown_subject(self, question: str) -> str | None:
        """The subject a question is about — the words before its first の (火星 in 火星の人口は？) — when no
        indexed passage has any of its words; None otherwise (a question word such as どこ is no subject)."""
        head = question.split("の", 1)[0].strip() if "の" in question else ""
        words = [t for t in tokens(head) if not t.isascii()]
        if not head or len(head) > MAX_SUBJECT or not words or any(t in QUESTION_WORDS for t in words):
            return None
        return head if not any(self.store.knows(t) for t in words) else None

    def knows_words(self, query: Query) -> bool:
        """Whether any content word (two characters or more) of the question occurs in the indexed passages."""
        return any(len(t) >= 2 for t in self.known_terms(query))

    def search(self, question: str, k: int = 5, org: str | None = None, affair: str | None = None,
               form: str | None = None, history: bool = True, as_of: str | None = None,
               doc: str | None = None, query: Query | None = None) -> list[Hit]:
        """The k best passages for a question, best first (k from 1 to MAX_K; a question of at most
        MAX_QUESTION_CHARS characters). `as_of` (2024-04-01 or 令和6年4月1日) searches the documents
        as they stood that day: later ones left out, the latest version then current; `doc` keeps one
        document (its file name); `query`, the question as `analyse` already read it (so it is read once).
        Raises QueryError for a k, a question, a date or a document out of range."""
        question = checked_question(question)
        check_k(k)
        day = day_key(as_of) if as_of else None
        if as_of and day is None:
            raise QueryError(f"as_of must be a date such as 2024-04-01 or 令和6年4月1日, got {as_of!r}")
        if not has_content(question):
            return []
        if query is None or query.text != question:
            query = analyse(question, self.vocab)
        selection = self.selection(query, Filters(org, affair, form, history, day, doc))
        if selection.docs is not None and not selection.docs:
            return []
        vector = self.embedder.encode_query(query.expanded)
        candidates = self.store.candidates(self.known_terms(query), vector, selection, max(CANDIDATES, k),
                                           self.settings.rrf_k)
        order = ranked(candidates, query, set(tokens(query.topic)), section_refs(question), self.past_documents(day),
                       self.settings.history_weight, by_org=len(query.orgs) > 1 and not org,
                       by_affair=not affair and query.compared)[:k]
        return [Hit(c, float(score)) for c, (_, score) in zip(self.store.chunks([f for f, _ in order]), order)]
