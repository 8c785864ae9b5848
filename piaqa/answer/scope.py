"""Whether the filters given leave the question something to answer from: a filter that names nothing
indexed, or excludes the organisation, 事務 or document the question itself names, is said, not obeyed."""
from __future__ import annotations

from ..errors import QueryError
from ..query import Query
from .wording import say, word


def filter_conflict(index, query: Query, org: str | None, affair: str | None, doc: str | None = None) -> str | None:
    """What is wrong when a filter names nothing indexed, or excludes what the question itself names."""
    if doc:
        try:
            entry = index.documents[index.document_named(doc)]
        except QueryError as exc:
            return str(exc)
        for named, own, what in ((query.orgs, entry.org, "organisation"), (query.affairs, entry.affair, "事務")):
            if named and own not in named:
                return say(query.text, "doc_conflict", named="、".join(named), doc=repr(doc), own=str(own),
                           what=word(query.text, what))
    for field, value, named in (("org", org, query.orgs), ("affair", affair, query.affairs)):
        if not value:
            continue
        allowed = index.filtered(field, value)
        what = "organisation" if field == "org" else "事務"
        if not allowed:
            known = index.orgs if field == "org" else index.affairs
            return say(query.text, "filter_unknown", what=word(query.text, what), value=repr(value),
                       known=", ".join(known))
        if named and not set(named) & allowed:
            return say(query.text, "filter_conflict", named="、".join(named), what=word(query.text, what),
                       value=repr(value), allowed=", ".join(sorted(allowed)))
    return None
