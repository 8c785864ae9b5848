"""The CLI's side of `piaqa serve`: one HTTP request per question, standard library only, so a CLI
call that goes through a running server imports neither the model nor the index."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

from .errors import PiaqaError, QueryError

TIMEOUT_S = 120.0  # a generated (LLM) answer can take this long


class ServerUnavailable(PiaqaError):
    """No piaqa server answers at the configured address."""


def request(server: str, path: str, body: dict | None = None, text: bool = False) -> tuple[str, dict]:
    """POST `body` (GET when None) to `server` + `path`; returns (response body, response headers with lower-case names).
    `text` asks for the terminal rendering. Raises ServerUnavailable when nothing answers and
    QueryError with the server's message for a refused request (HTTP 4xx)."""
    url = server.rstrip("/") + path
    data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
    headers = {"Accept": "text/plain" if text else "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
            return resp.read().decode("utf-8"), {k.lower(): v for k, v in resp.headers.items()}
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")
        try:
            detail = json.loads(detail).get("error", detail)
        except (ValueError, AttributeError):
            pass
        if 400 <= exc.code < 500:
            raise QueryError(detail) from None
        raise PiaqaError(f"the piaqa server at {server} failed ({exc.code}): {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ServerUnavailable(f"no piaqa server at {server} ({reason}): start one with `piaqa serve`, "
                                "or unset PIAQA_SERVER / drop --server to answer in this process") from None
