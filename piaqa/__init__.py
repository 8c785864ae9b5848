"""piaqa: question answering with cited passages over 特定個人情報保護評価書 (My Number PIAs).

Pipeline: ingest -> parse -> chunk -> tokenize/embed -> store -> retrieve -> answer -> render -> cli/app.
"""
from .errors import InputError, PiaqaError
from .models import Chunk, Document, Hit, Item, Section
from .parse import parse_file

__all__ = ["Chunk", "Document", "Hit", "InputError", "Item", "PiaqaError", "Section", "parse_file"]
