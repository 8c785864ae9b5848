"""Which form items a question may mean, by what the items hold.

Each item of the 様式 catalogue (piaqa/form/yoshiki.toml) is a small document: its printed labels (twice:
a label is the strongest word for an item) and its descriptions in Japanese and English, written from the
記載要領. A question is scored against them with BM25 (bm25s): Japanese words as fugashi lemmas, English
words stemmed (PyStemmer, Snowball English) without bm25s' English stop words. Nothing here is written from
a question. query.detect_keys uses it for the facts no form prints ("What is the contract amount?"); as the
only way to find printed items it measured too weak (the right item first for 29 % of the dev questions that
name no printed label), so those are still found by label and the transitional terms.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .schema import CATALOGUE
from .tokenize import tokens

LABEL_WEIGHT = 2  # a label's words count this many times in its item's document
RELATIVE = 0.5  # an item is meant when it scores at least this share of the best item's score
MAX_ITEMS = 4  # items a question may mean, at the most
MIN_SCORE = 1.5  # BM25 score below which no item is meant (a question of common words only)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def terms(text: str) -> list[str]:
    """The words of a text as the item index holds them: Japanese lemmas, English stems without stop words.

    >>> terms("The company the work is entrusted to")
    ['compani', 'work', 'entrust']
    """
    stop = _stopwords()
    out = []
    for word in tokens(text):
        if word.isascii():
            if word.isalpha() and word not in stop and len(word) > 1:
                out.append(_stemmer().stemWord(word))
        else:
            out.append(word)
    return out


def _document(entry) -> list[str]:
    return terms(" ".join(entry.labels)) * LABEL_WEIGHT + terms(entry.ja) + terms(entry.en)


@lru_cache(maxsize=1)
def _index():
    import bm25s

    documents = [_document(entry) for entry in CATALOGUE]
    retriever = bm25s.BM25()
    retriever.index(documents, show_progress=False)
    return retriever, frozenset(w for d in documents for w in d), _distinct(documents)


def _distinct(documents: list[list[str]]) -> dict[int, frozenset[str]]:
    """For each absent fact, the words of its description that the items it relates to do not have
    (従業員 for 委託先の従業員数 beside 委託先名 and 取扱者数): a question means a fact no form holds only
    when it uses one of them, never on the words it shares with the items that do hold something."""
    position = {entry.key: i for i, entry in enumerate(CATALOGUE)}
    return {i: frozenset(documents[i]) - {w for k in entry.related for w in documents[position[k]]}
            for i, entry in enumerate(CATALOGUE) if entry.absent}


@lru_cache(maxsize=1024)
def item_scores(question: str) -> tuple[tuple[str, float], ...]:
    """(catalogue key, BM25 score) of the items a question may mean, best first: at most MAX_ITEMS, each
    within RELATIVE of the best, none when the best scores under MIN_SCORE.

    >>> [k for k, _ in item_scores("How long are the records retained?")][:1]
    ['storage.period']
    """
    retriever, vocabulary, distinct = _index()
    words = [w for w in terms(question) if w in vocabulary]
    if not words:
        return ()
    scores = np.asarray(retriever.get_scores(words), dtype=float)
    for i, own in distinct.items():
        if own.isdisjoint(words):
            scores[i] = 0.0
    order = np.argsort(-scores)[:MAX_ITEMS]
    best = float(scores[order[0]])
    if best < MIN_SCORE:
        return ()
    return tuple((CATALOGUE[i].key, float(scores[i])) for i in order if scores[i] >= RELATIVE * best)
