"""Token, context and cost estimates for `radar brief --dry-run`, without importing litellm.

Importing litellm takes seconds; a dry run needs only numbers. Tokens are estimated as
ceil(characters / 4) per text (+4 per chat message), the usual rule of thumb for English with
BPE tokenizers. On arXiv abstracts litellm counts ~5 characters a token, so the estimate errs
high by up to a third (tests/test_brief_estimate.py): a dry run may plan a batch more than the
real brief, never one too few. Context sizes and prices come from the model map litellm ships
(`model_prices_and_context_window_backup.json`), read from disk as litellm's own lookup would
find them. A real brief still plans with litellm's own counting (`radar.brief.llm`).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import math
import os
from pathlib import Path
from typing import Any

from radar.brief.llm import ModelLimits, limits_from
from radar.config.settings import LLMSettings

CHARS_PER_TOKEN = 4
TOKENS_PER_MESSAGE = 4  # role and separators, as OpenAI's chat format counts them
MODEL_MAP = "model_prices_and_context_window_backup.json"

# Where a provider keeps its API key (litellm's own names); other providers are not checked.
KEY_VARIABLES = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "gemini": "GEMINI_API_KEY",
    "mistral": "MISTRAL_API_KEY",
    "groq": "GROQ_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
    "cohere": "COHERE_API_KEY",
    "cohere_chat": "COHERE_API_KEY",
    "xai": "XAI_API_KEY",
    "together_ai": "TOGETHERAI_API_KEY",
    "fireworks_ai": "FIREWORKS_AI_API_KEY",
    "perplexity": "PERPLEXITYAI_API_KEY",
}


def count_tokens(
    model: str, *, text: str | None = None, messages: list[dict[str, str]] | None = None
) -> int:
    """An estimate of what litellm's `token_counter` returns (same signature, no tokenizer)."""
    del model  # one rule for every model: the estimate does not pretend to know tokenizers
    if messages is not None:
        return sum(TOKENS_PER_MESSAGE + _tokens(m.get("content", "")) for m in messages) + 3
    return _tokens(text or "")


def _tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def model_limits(settings: LLMSettings) -> ModelLimits:
    """Like `radar.brief.llm.model_limits`: [llm] overrides, else the model map, else defaults."""
    return limits_from(settings, model_info(settings.model) or {})


def cost_of(model: str, input_tokens: int, output_tokens: int) -> float | None:
    """Dollars at the model map's per-token prices; None when the model is not priced."""
    info = model_info(model)
    if not info or "input_cost_per_token" not in info:
        return None
    return (
        float(info["input_cost_per_token"]) * input_tokens
        + float(info.get("output_cost_per_token") or 0.0) * output_tokens
    )


def check_model(settings: LLMSettings) -> None:
    """Pass when the map knows the model or its provider prefix; else ask litellm (slow path)."""
    if model_info(settings.model) is not None or provider(settings.model) is not None:
        return
    from radar.brief.llm import check_model as litellm_check

    litellm_check(settings)


def missing_credentials(settings: LLMSettings) -> list[str]:
    """The provider's API key variable when it is not set (known providers only)."""
    name = provider(settings.model)
    if name is None:
        entry = model_info(settings.model)
        name = entry.get("litellm_provider") if entry else None
    variable = KEY_VARIABLES.get(name or "")
    return [variable] if variable and not os.environ.get(variable) else []


def provider(model: str) -> str | None:
    """The `provider/` prefix of a model string, if the model map names that provider."""
    if "/" not in model:
        return None
    prefix = model.split("/", 1)[0]
    return prefix if f'"litellm_provider": {json.dumps(prefix)}' in _map_text() else None


def model_info(model: str) -> dict[str, Any] | None:
    """The model map's entry for `model` ("gpt-4o" or "openai/gpt-4o"), as litellm looks it up."""
    entry = _entry(model)
    if entry is None and "/" in model:
        prefix, name = model.split("/", 1)
        entry = _entry(name)
        if entry is not None and entry.get("litellm_provider") != prefix:
            entry = None
    return entry


def _entry(key: str) -> dict[str, Any] | None:
    """One entry, decoded alone: parsing the whole 3.5 MB map would take ~90 ms."""
    text = _map_text()
    at = text.find(json.dumps(key) + ": {")
    if at < 0:
        return None
    value, _ = json.JSONDecoder().raw_decode(text, text.index("{", at))
    return value if isinstance(value, dict) else None


@functools.cache
def _map_text() -> str:
    path = model_map_path()
    return path.read_text(encoding="utf-8") if path is not None else "{}"


def model_map_path() -> Path | None:
    """litellm's bundled model map, found without importing litellm (None if not installed)."""
    spec = importlib.util.find_spec("litellm")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / MODEL_MAP
    return path if path.is_file() else None
