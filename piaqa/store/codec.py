"""A Chunk as plain JSON data, and back (the passage store and the Milvus store keep chunks this way)."""
from __future__ import annotations

import dataclasses

from ..models import Change, Chunk


def chunk_to_dict(chunk: Chunk) -> dict:
    out = dataclasses.asdict(chunk)
    out["lines"] = list(chunk.lines)
    out["checked"] = list(chunk.checked)
    return out


def chunk_from_dict(data: dict) -> Chunk:
    change = data.get("change")
    return Chunk(**{**data, "lines": tuple(data["lines"]), "checked": tuple(data["checked"]),
                    "change": Change(**change) if change else None})
