"""BM25 as sparse vectors, for an engine whose own analyzers do not know UniDic lemmas (Milvus).

A passage's vector holds, per token, Lucene's term-frequency part tf / (tf + k1·(1 − b + b·dl/avgdl));
a query's vector holds each of its tokens' idf = ln(1 + (N − df + 0.5)/(df + 0.5)). Their inner product
is the BM25 score bm25s computes (method "lucene", k1 1.5, b 0.75), and a new document changes only
the term statistics (terms.json), not the vectors of passages already stored (their avgdl is the one of
the build that wrote them; `piaqa index --rebuild` re-weights all).
"""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

K1, B = 1.5, 0.75


@dataclass
class TermStats:
    """Token columns (stable across builds), document frequencies, passage count and mean length."""

    columns: dict[str, int]
    df: dict[str, int]
    n: int
    avgdl: float

    @classmethod
    def of(cls, token_lists: list[list[str]], columns: dict[str, int] | None = None) -> "TermStats":
        columns = dict(columns or {})
        df: Counter[str] = Counter()
        for tokens in token_lists:
            df.update(set(tokens))
        for token in sorted(df):
            columns.setdefault(token, len(columns))
        n = len(token_lists)
        return cls(columns, dict(df), n, sum(map(len, token_lists)) / n if n else 1.0)

    def passage_vector(self, tokens: list[str]) -> dict[int, float]:
        norm = K1 * (1 - B + B * len(tokens) / max(self.avgdl, 1e-9))
        return {self.columns[t]: tf / (tf + norm) for t, tf in Counter(tokens).items() if t in self.columns}

    def query_vector(self, tokens: list[str]) -> dict[int, float]:
        out: dict[int, float] = {}
        for t in tokens:
            if self.df.get(t):
                idf = math.log(1 + (self.n - self.df[t] + 0.5) / (self.df[t] + 0.5))
                out[self.columns[t]] = out.get(self.columns[t], 0.0) + idf
        return out

    def save(self, path: Path) -> None:
        data = {"n": self.n, "avgdl": self.avgdl, "terms": {t: [c, self.df.get(t, 0)] for t, c in self.columns.items()}}
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "TermStats":
        data = json.loads(path.read_text(encoding="utf-8"))
        terms = data["terms"]
        return cls({t: c for t, (c, _) in terms.items()}, {t: d for t, (_, d) in terms.items() if d},
                   data["n"], data["avgdl"])
