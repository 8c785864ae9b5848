"""`piaqa bench`: concurrent users against the app's API, as a city's staff would use it at once; and
(`--cli`) a cold `piaqa ask` against a warm one through `piaqa serve`.

Each simulated user asks, in a loop for a bounded time, questions that each name one organisation of
the index; an answer whose first citation is another organisation's document is a crossed answer. The
app is the one at `--url`, or one started here on a free port with the same settings. Reports the
number of answers, errors, crossed answers and the latency p50/p95 (seconds, wall clock per request,
HTTP round trip included).
"""
from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

QUESTIONS = ("{org}の評価書番号は？", "{org}の委託先は？", "{org}の公表日はいつ？", "{org}の特定個人情報ファイル名は？")
START_TIMEOUT = 240  # seconds for the app to load the model and the index


@dataclass(frozen=True)
class BenchReport:
    users: int
    seconds: float
    answers: int
    errors: int
    crossed: int
    p50: float
    p95: float

    def text(self) -> str:
        return (f"{self.users} users for {self.seconds:.0f} s: {self.answers} answers, {self.errors} errors, "
                f"{self.crossed} crossed answers; latency p50 {self.p50 * 1000:.0f} ms, p95 {self.p95 * 1000:.0f} ms")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _started(argv: list[str], env: dict[str, str], url: str, what: str):
    """A process serving `url`, for as long as the block runs."""
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + START_TIMEOUT
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"{what} did not start on {url} (run it by hand to see why)") from None
                time.sleep(1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def started_app(env: dict[str, str]):
    """The app (app.py beside the package) on a free localhost port, for as long as the block runs."""
    port = _free_port()
    app = Path(__file__).resolve().parent.parent / "app.py"
    return _started([sys.executable, str(app)], {**env, "PIAQA_PORT": str(port), "PIAQA_HOST": "127.0.0.1"},
                    f"http://127.0.0.1:{port}/", "the app")


def started_server(env: dict[str, str]):
    """`piaqa serve` on a free localhost port, for as long as the block runs; yields its base URL + /health."""
    port = _free_port()
    return _started([sys.executable, "-m", "piaqa.cli", "serve", "--port", str(port)], env,
                    f"http://127.0.0.1:{port}/health", "piaqa serve")


def _ask(url: str, question: str) -> dict:
    """One question through the app's HTTP API (/gradio_api/call/ask, then its event stream), with no filter:
    the answer's JSON. Standard library only, so the simulated users cost the machine little."""
    import json

    call = url.rstrip("/") + "/gradio_api/call/ask"
    body = json.dumps({"data": [question, "(all)", "(all)", "(all)", True, "", "(all)", "ja"]}).encode("utf-8")
    request = urllib.request.Request(call, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=START_TIMEOUT) as resp:
        event = json.loads(resp.read())["event_id"]
    with urllib.request.urlopen(f"{call}/{event}", timeout=START_TIMEOUT) as resp:
        stream = resp.read().decode("utf-8")
    kind = next((line[7:].strip() for line in stream.splitlines() if line.startswith("event: ")), "")
    data = next((line[6:] for line in reversed(stream.splitlines()) if line.startswith("data: ")), "null")
    if kind != "complete":
        raise RuntimeError(f"the app answered {kind or 'nothing'}: {data[:200]}")
    return json.loads(data)[2]


def run_users(url: str, orgs: list[str], users: int, seconds: float) -> BenchReport:
    """`users` threads, each asking over HTTP until `seconds` have passed."""
    latencies: list[float] = []
    counts = {"errors": 0, "crossed": 0}
    lock = threading.Lock()
    warmed = threading.Barrier(users + 1)  # every user has asked once, untimed, before the clock starts
    stop = float("inf")

    def user(n: int) -> None:
        try:  # one untimed question: the connection and the app's first-use loading are not the service's pace
            _ask(url, QUESTIONS[0].format(org=orgs[n % len(orgs)]))
        except Exception as exc:  # noqa: BLE001 - a user that cannot even connect is an error
            log.warning("user %d: %s", n, exc)
            with lock:
                counts["errors"] += 1
            warmed.wait()
            return
        warmed.wait()
        i = n
        while time.time() < stop:
            org = orgs[i % len(orgs)]
            question = QUESTIONS[(i // len(orgs)) % len(QUESTIONS)].format(org=org)
            i += users
            started = time.perf_counter()
            try:
                data = _ask(url, question)
            except Exception as exc:  # noqa: BLE001 - any failure of the service counts as an error
                log.warning("user %d: %s", n, exc)
                with lock:
                    counts["errors"] += 1
                continue
            took = time.perf_counter() - started
            cited = (data or {}).get("citations") or []
            with lock:
                latencies.append(took)
                if cited and cited[0].get("org") != org:
                    counts["crossed"] += 1

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    for t in threads:
        t.start()
    warmed.wait()
    began = time.time()
    stop = began + seconds
    for t in threads:
        t.join()
    values = np.array(latencies or [0.0])
    return BenchReport(users, time.time() - began, len(latencies), counts["errors"], counts["crossed"],
                       float(np.percentile(values, 50)), float(np.percentile(values, 95)))


def bench(orgs: list[str], users: int = 20, seconds: float = 30.0, url: str | None = None) -> BenchReport:
    """Concurrent users against the app at `url`, or against one started here (same environment)."""
    if url:
        return run_users(url, orgs, users, seconds)
    with started_app(dict(os.environ)) as started:
        return run_users(started, orgs, users, seconds)


@dataclass(frozen=True)
class CliReport:
    """Seconds per `piaqa ask`: a cold process (imports, model and index load), one HTTP round trip to a
    warm `piaqa serve`, and a whole `piaqa ask` process sent through that server."""

    cold: tuple[float, ...]
    http: tuple[float, ...]
    warm_cli: tuple[float, ...]

    def text(self) -> str:
        def line(name: str, values: tuple[float, ...]) -> str:
            p50, p95 = np.percentile(values, 50) * 1000, np.percentile(values, 95) * 1000
            return f"{name:<36} n={len(values):<3} p50 {p50:7.0f} ms   p95 {p95:7.0f} ms"
        return "\n".join([line("cold `piaqa ask` (own process)", self.cold),
                          line("warm: HTTP round trip to piaqa serve", self.http),
                          line("warm: `piaqa ask` via PIAQA_SERVER", self.warm_cli)])


def _timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def cli_bench(orgs: list[str], cold: int = 3, warm: int = 40) -> CliReport:
    """Cold `piaqa ask` processes, then a `piaqa serve` started here asked over HTTP and through the CLI.
    Every answer is checked to come back (a failed call raises)."""
    from .client import request

    questions = [q.format(org=org) for org in orgs for q in QUESTIONS]
    env = {k: v for k, v in os.environ.items() if k != "PIAQA_SERVER"}

    def ask_process(question: str, extra: dict[str, str]) -> None:
        subprocess.run([sys.executable, "-m", "piaqa.cli", "ask", "--json", question], env={**env, **extra},
                       check=False, capture_output=True, timeout=START_TIMEOUT).stdout.decode().index('"status"')

    cold_s = tuple(_timed(lambda q=q: ask_process(q, {})) for q in questions[:cold])
    with started_server(env) as health:
        server = health.removesuffix("/health")
        request(server, "/ask", {"question": questions[0]})  # untimed: connection set-up
        http = tuple(_timed(lambda q=q: request(server, "/ask", {"question": q}))
                     for q in (questions * warm)[:warm])
        warm_cli = tuple(_timed(lambda q=q: ask_process(q, {"PIAQA_SERVER": server}))
                         for q in (questions * warm)[:max(warm // 4, 5)])
    return CliReport(cold_s, http, warm_cli)
