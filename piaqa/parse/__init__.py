"""parse: raw assessment text -> Document (metadata + section tree)."""
from .document import parse_file, parse_source, walk

__all__ = ["parse_file", "parse_source", "walk"]
