"""Japanese word segmentation for BM25: fugashi + unidic-lite, lemmas, content words only."""
from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache

# UniDic part-of-speech heads that carry no content: particles, auxiliaries, symbols, blanks.
DROP_POS = frozenset({"助詞", "助動詞", "補助記号", "記号", "空白"})
_lock = threading.Lock()


@lru_cache(maxsize=1)
def tagger():
    import fugashi

    return fugashi.Tagger()  # unidic-lite is found by fugashi when installed


def tokens(text: str) -> list[str]:
    """Content-word lemmas (surface when UniDic has no lemma), NFKC'd and lower-cased.

    Assumes unidic-lite 1.0.8.

    >>> tokens("委託先名は日本電気株式会社です")
    ['委託', '先', '名', '日本', '電気', '株式', '会社']
    >>> tokens("Who is the contractor?")
    ['who', 'is', 'the', 'contractor']
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    out = []
    with _lock:  # a MeCab tagger is not thread-safe
        words = [(w.surface, w.feature.pos1, w.feature.lemma) for w in tagger()(text)]
    for surface, pos, lemma in words:
        if pos in DROP_POS or not surface.strip():
            continue
        word = lemma if lemma and lemma.isascii() == surface.isascii() else surface
        out.append(word.split("-")[0].casefold() if word else surface)
    return out
