"""The one place radar talks to language models, through litellm: limits, tokens, cost, calls.

litellm is imported lazily (it takes seconds) with its cost map read locally, never fetched.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from radar.config.settings import LLMSettings
from radar.errors import LLMError

# Used when neither litellm's model map nor [llm] knows the model's context.
FALLBACK_INPUT_TOKENS = 8192
FALLBACK_OUTPUT_TOKENS = 2048
BACKOFF_BASE = 1.0  # seconds; doubles per retry
BACKOFF_MAX = 30.0
# The longest answer radar keeps from one call (README, "Failure modes"): ~50k tokens.
MAX_ANSWER_CHARS = 200_000
_RETRY_STATUSES = {408, 409, 425, 429, 500, 502, 503, 504, 529}


class ContextTooLong(LLMError):
    """The provider said the prompt does not fit the model's context."""


@dataclass(frozen=True)
class ModelLimits:
    """How much a model reads and writes per call, and whether litellm prices it."""

    max_input_tokens: int
    max_output_tokens: int
    known: bool  # in litellm's model map (so cost can be computed)
    source: str = "litellm's model map"


@dataclass(frozen=True)
class Reply:
    text: str
    input_tokens: int
    output_tokens: int
    cost: float | None
    truncated: bool = False  # the model stopped at max_tokens


@dataclass
class Usage:
    """What a run spent: calls, tokens and (if the model is priced) dollars."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float | None = 0.0

    def add(self, reply: Reply) -> None:
        self.calls += 1
        self.input_tokens += reply.input_tokens
        self.output_tokens += reply.output_tokens
        self.cost = None if self.cost is None or reply.cost is None else self.cost + reply.cost


def load_litellm() -> ModuleType:
    """Import litellm quietly: local cost map, no telemetry, no retries of its own, no chatter."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("LITELLM_LOG", "ERROR")
    import litellm

    litellm.suppress_debug_info = True
    litellm.telemetry = False
    litellm.num_retries = 0
    # Any model: parameters a provider does not take (e.g. temperature on reasoning models)
    # are dropped rather than failing the brief.
    litellm.drop_params = True
    for name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy", "httpx"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return litellm


def model_limits(settings: LLMSettings) -> ModelLimits:
    """The model's context from [llm] overrides, else litellm's model map, else a safe default."""
    litellm = load_litellm()
    info: dict[str, Any] = {}
    try:
        info = dict(litellm.get_model_info(settings.model))
    except Exception:  # litellm raises several types for "not mapped"
        info = {}
    return limits_from(settings, info)


def limits_from(settings: LLMSettings, info: dict[str, Any]) -> ModelLimits:
    """A model's limits: [llm] overrides, else `info` (an entry of litellm's map), else defaults."""
    max_in = settings.max_input_tokens or info.get("max_input_tokens") or info.get("max_tokens")
    max_out = settings.max_output_tokens or info.get("max_output_tokens")
    if settings.max_input_tokens or settings.max_output_tokens:
        source = "[llm] max_input_tokens/max_output_tokens"
    elif info:
        source = "litellm's model map"
    else:
        source = f"assumed: {settings.model} is not in litellm's model map"
    return ModelLimits(
        max_input_tokens=int(max_in or FALLBACK_INPUT_TOKENS),
        max_output_tokens=int(max_out or FALLBACK_OUTPUT_TOKENS),
        known=bool(info),
        source=source,
    )


def count_tokens(
    model: str, *, text: str | None = None, messages: list[dict[str, str]] | None = None
) -> int:
    """Tokens as the model's tokenizer counts them (litellm falls back to tiktoken)."""
    litellm = load_litellm()
    if messages is not None:
        return int(litellm.token_counter(model=model, messages=messages))
    return int(litellm.token_counter(model=model, text=text or ""))


def cost_of(model: str, input_tokens: int, output_tokens: int) -> float | None:
    """Dollars for these tokens from litellm's cost map; None when the model is not priced."""
    litellm = load_litellm()
    try:
        prompt, completion = litellm.cost_per_token(
            model=model, prompt_tokens=input_tokens, completion_tokens=output_tokens
        )
    except Exception:
        return None
    return float(prompt) + float(completion)


def check_model(settings: LLMSettings) -> None:
    """Raise LLMError unless litellm can tell which provider serves the model."""
    litellm = load_litellm()
    try:
        litellm.get_llm_provider(model=settings.model, api_base=settings.api_base)
    except Exception:
        raise LLMError(
            f"litellm does not know which provider serves the model {settings.model!r}",
            hint="give it with the provider, e.g. openai/gpt-4o-mini, anthropic/claude-3-5-haiku"
            "-20241022, ollama/llama3.1 (https://docs.litellm.ai/docs/providers)",
        ) from None


def missing_credentials(settings: LLMSettings) -> list[str]:
    """Environment variables holding API keys the model needs but that are not set."""
    litellm = load_litellm()
    try:
        check = litellm.validate_environment(model=settings.model, api_base=settings.api_base)
    except Exception:
        return []
    missing = check.get("missing_keys") or []
    return [name for name in missing if "KEY" in name or "TOKEN" in name]


class Client:
    """Chat calls with a timeout, retries with exponential backoff, and usage bookkeeping.

    Thread-safe enough for a small pool: each call is independent; usage is summed by the caller.
    """

    def __init__(
        self,
        settings: LLMSettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        on_event: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        self.sleep = sleep
        self.on_event = on_event or (lambda message: None)
        self.litellm = load_litellm()

    def complete(self, messages: list[dict[str, str]], *, max_tokens: int) -> Reply:
        """One chat completion; raises ContextTooLong, or LLMError once retries are spent."""
        attempts = self.settings.max_retries + 1
        for attempt in range(1, attempts + 1):
            try:
                response = self._call(messages, max_tokens)
            except Exception as exc:
                error = self._classify(exc)
                if not _retryable(exc) or attempt == attempts:
                    raise error from None
                delay = _backoff(exc, attempt)
                self.on_event(f"{error.message}; retry {attempt} of {attempts - 1} in {delay:.0f}s")
                self.sleep(delay)
                continue
            return self._reply(response, messages)
        raise AssertionError("unreachable")

    def _call(self, messages: list[dict[str, str]], max_tokens: int) -> Any:
        kwargs: dict[str, Any] = {
            "model": self.settings.model,
            "messages": messages,
            "temperature": self.settings.temperature,
            "max_tokens": max_tokens,
            "timeout": self.settings.timeout_seconds,
            "num_retries": 0,  # radar retries itself, with backoff it controls
            "max_retries": 0,  # ... and so does not the OpenAI SDK underneath
        }
        if self.settings.api_base:
            kwargs["api_base"] = self.settings.api_base
        return self.litellm.completion(**kwargs)

    def _reply(self, response: Any, messages: list[dict[str, str]]) -> Reply:
        text = response.choices[0].message.content or ""
        oversized = len(text) > MAX_ANSWER_CHARS
        if oversized:  # a runaway or hostile server: a brief is a few thousand words
            self.on_event(
                f"warning: the answer of {self.settings.model} was {len(text):,} characters; "
                f"radar keeps the first {MAX_ANSWER_CHARS:,}"
            )
            text = text[:MAX_ANSWER_CHARS]
        usage = getattr(response, "usage", None)
        model = self.settings.model
        input_tokens = getattr(usage, "prompt_tokens", None) or count_tokens(
            model, messages=messages
        )
        output_tokens = getattr(usage, "completion_tokens", None) or count_tokens(model, text=text)
        cost = cost_of(model, input_tokens, output_tokens)
        truncated = oversized or response.choices[0].finish_reason == "length"
        return Reply(text, input_tokens, output_tokens, cost, truncated)

    def _classify(self, exc: Exception) -> LLMError:
        """A provider exception as a RadarError a user can act on (never echoing API keys)."""
        litellm = self.litellm
        model = self.settings.model
        where = shown_url(self.settings.api_base) or "the provider's default endpoint"
        text = _first_line(str(exc))
        if _not_utf8(exc):
            return LLMError(
                f"{model}: the answer from {where} is not valid UTF-8 text",
                hint="check that [llm] api_base is an OpenAI-compatible server, or use --no-llm",
            )
        if isinstance(exc, litellm.ContextWindowExceededError):
            return ContextTooLong(f"{model}: prompt too long for the model's context")
        if isinstance(exc, litellm.AuthenticationError) or "credential" in text.lower():
            # The provider's own words may quote the key: they are not repeated.
            return LLMError(
                f"{model}: the provider rejected the credentials",
                hint="set the API key environment variable litellm expects for this model "
                "(e.g. OPENAI_API_KEY), or use --no-llm",
            )
        if isinstance(exc, litellm.Timeout):
            return LLMError(
                f"{model}: no answer within {self.settings.timeout_seconds:g}s",
                hint="raise [llm] timeout_seconds, try a smaller model, or use --no-llm",
            )
        if _is_connection_error(exc):
            return LLMError(
                f"cannot reach the LLM at {where} for {model}",
                hint="check [llm] api_base and that the server is running, or use --no-llm",
            )
        status = getattr(exc, "status_code", None)
        shown = f"HTTP {status}: " if status else ""
        return LLMError(f"{model}: {shown}{text}")


def _not_utf8(exc: BaseException) -> bool:
    """Whether a provider error is, underneath, an answer that does not decode as UTF-8."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, UnicodeDecodeError) or "codec can't decode" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def shown_url(url: str | None) -> str | None:
    """An endpoint as safe to print or store: no user:password@ and no query string."""
    if not url:
        return url
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "unknown error"
    # litellm prefixes its class names; keep the provider's own words.
    for prefix in ("litellm.", "OpenAIException - "):
        if prefix in line:
            line = line.split(prefix)[-1]
    return line.split(" - ", 1)[-1][:300]


def _is_connection_error(exc: Exception) -> bool:
    import openai

    if isinstance(exc, openai.APIConnectionError) and not isinstance(exc, openai.APITimeoutError):
        return True
    return "connection error" in str(exc).lower() or "connect" in type(exc).__name__.lower()


def _retryable(exc: Exception) -> bool:
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return True
    if "credential" in str(exc).lower():
        return False
    if _is_connection_error(exc):
        return True
    return getattr(exc, "status_code", None) in _RETRY_STATUSES


def _backoff(exc: Exception, attempt: int) -> float:
    """Exponential backoff, stretched to the server's Retry-After when it asks for longer."""
    delay = min(BACKOFF_BASE * 2 ** (attempt - 1), BACKOFF_MAX)
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    try:
        retry_after = float(headers.get("retry-after", 0))
    except (TypeError, ValueError):
        retry_after = 0.0
    return min(max(delay, retry_after), BACKOFF_MAX * 2)
