"""The library's own errors. Each message names the problem and the fix; only the CLI and the
app turn them into one-line messages and exit codes."""
from __future__ import annotations


class PiaqaError(Exception):
    """Base class for every error piaqa raises on purpose."""


class InputError(PiaqaError):
    """A document cannot be read or is not an assessment. Nothing that exists is changed."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class QueryError(PiaqaError, ValueError):
    """A question or a search parameter is out of range; the message names what is accepted."""


class IndexMissing(PiaqaError):
    """There is no usable index where one was expected."""


class ModelError(PiaqaError):
    """The embedding model cannot be built or loaded."""
