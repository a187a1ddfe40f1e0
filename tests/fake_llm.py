"""A pytest plugin: a small OpenAI-compatible chat server on 127.0.0.1 for brief/LLM tests.

It records every request, and can refuse prompts above N tokens with a context-length error,
fail the first N calls with 429/500, hold each answer for a while to show concurrency, or
cite an arXiv id that was not in the prompt. Tests reach it through litellm's real HTTP path.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

ID_RE = re.compile(r"\b\d{4}\.\d{4,5}\b")
HALLUCINATED_ID = "2699.99999"


@dataclass
class Call:
    """One request the server received."""

    body: dict[str, Any]
    started: float
    authorization: str = ""
    ended: float = 0.0
    status: int = 200

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def prompt(self) -> str:
        return "\n".join(str(m.get("content", "")) for m in self.messages)

    @property
    def tokens(self) -> int:
        """The server's own rough token estimate: words, like a crude tokenizer."""
        return len(self.prompt.split())

    @property
    def ids(self) -> list[str]:
        return list(dict.fromkeys(ID_RE.findall(self.prompt)))


def default_answer(call: Call) -> str:
    """A plausible brief: a theme citing every id seen in the prompt."""
    ids = call.ids
    cites = ", ".join(f"[{i}](https://arxiv.org/abs/{i})" for i in ids)
    return (
        "## Overview\n\nA day of work across fields.\n\n"
        f"## Themes\n\n### Everything at once\nThese papers share a thread: {cites}.\n"
    )


@dataclass
class FakeLLM:
    """The running server's knobs and what it has seen; reset per test."""

    port: int = 0
    calls: list[Call] = field(default_factory=list)
    context_limit: int | None = None  # answer 400 context_length_exceeded above this many tokens
    fail_first: int = 0  # fail this many calls first ...
    fail_status: int = 429  # ... with this status
    latency: float = 0.0  # seconds each answer takes (to show calls overlapping)
    hallucinate: bool = False  # also cite HALLUCINATED_ID
    overlap: int = 0  # the first N calls each wait (up to 5 s) until all N are in flight
    finish_reason: str = "stop"  # "length": as if the answer hit max_tokens
    hang: bool = False  # hold every answer until the test ends (to trigger client timeouts)
    raw_body: bytes | None = None  # send these bytes as the answer body instead of JSON
    released: threading.Event = field(default_factory=threading.Event)
    answer: Callable[[Call], str] = default_answer
    lock: threading.Lock = field(default_factory=threading.Lock)
    failed: int = 0
    active: int = 0
    max_active: int = 0
    barrier: threading.Barrier | None = None

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def model(self) -> str:
        return "openai/fake-brief-model"

    def reset(self) -> None:
        self.calls.clear()
        self.context_limit = None
        self.fail_first = self.failed = self.active = self.max_active = 0
        self.fail_status = 429
        self.latency = 0.0
        self.hallucinate = False
        self.overlap = 0
        self.barrier = None
        self.released.set()  # let any held answer go before the next test
        self.released = threading.Event()
        self.hang = False
        self.raw_body = None
        self.finish_reason = "stop"
        self.answer = default_answer

    def respond(self, body: dict[str, Any], authorization: str = "") -> tuple[int, dict[str, Any]]:
        call = Call(body, time.monotonic(), authorization)
        with self.lock:
            self.calls.append(call)
            self.active += 1
            self.max_active = max(self.max_active, self.active)
            failing = self.failed < self.fail_first
            self.failed += failing
            if self.overlap and self.barrier is None:
                self.barrier = threading.Barrier(self.overlap)
            waits = self.overlap and len(self.calls) <= self.overlap
        try:
            if waits and not self._meet():
                status, payload = 500, _error("calls did not overlap", "server_error")
                return status, payload
            if self.hang:
                self.released.wait(timeout=10)
            if self.latency:
                time.sleep(self.latency)
            status, payload = self._answer(call, failing)
        finally:
            with self.lock:
                self.active -= 1
                call.ended = time.monotonic()
                call.status = status
        return status, payload

    def _meet(self) -> bool:
        """Wait for the other overlapping calls; False if they never all arrived."""
        assert self.barrier is not None
        try:
            self.barrier.wait(timeout=5)
        except threading.BrokenBarrierError:
            return False
        return True

    def _answer(self, call: Call, failing: bool) -> tuple[int, dict[str, Any]]:
        if failing:
            kinds = {429: "rate_limit_exceeded", 401: "invalid_api_key"}
            kind = kinds.get(self.fail_status, "server_error")
            # Like some providers, a rejected key is quoted back in the error message.
            said = f": {call.authorization}" if self.fail_status == 401 else ""
            return self.fail_status, _error(f"fake failure ({self.fail_status}){said}", kind)
        if self.context_limit is not None and call.tokens > self.context_limit:
            message = (
                f"This model's maximum context length is {self.context_limit} tokens. "
                f"However, your messages resulted in {call.tokens} tokens."
            )
            return 400, _error(message, "invalid_request_error", "context_length_exceeded")
        text = self.answer(call)
        if self.hallucinate:
            text += f"\nAlso see [{HALLUCINATED_ID}](https://arxiv.org/abs/{HALLUCINATED_ID}).\n"
        usage = {
            "prompt_tokens": call.tokens,
            "completion_tokens": len(text.split()),
            "total_tokens": call.tokens + len(text.split()),
        }
        return 200, {
            "id": f"chatcmpl-{len(self.calls)}",
            "object": "chat.completion",
            "created": 0,
            "model": str(call.body.get("model", "fake")),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": self.finish_reason,
                }
            ],
            "usage": usage,
        }


def _error(message: str, kind: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def _handler(fake: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            if not self.path.rstrip("/").endswith("/chat/completions"):
                status, payload = 404, _error(f"no route {self.path}", "not_found")
            else:
                status, payload = fake.respond(body, self.headers.get("Authorization", ""))
            data = json.dumps(payload).encode() if fake.raw_body is None else fake.raw_body
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if status == 429:
                    self.send_header("Retry-After", "0")
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to answer

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep pytest output clean

    return Handler


@pytest.fixture(scope="session")
def _fake_llm_server() -> Iterator[FakeLLM]:
    fake = FakeLLM()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake_llm(_fake_llm_server: FakeLLM, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLLM]:
    """The fake server, reset, with a dummy OPENAI_API_KEY in the environment."""
    _fake_llm_server.reset()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    yield _fake_llm_server
    _fake_llm_server.reset()
