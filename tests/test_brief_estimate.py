"""--dry-run's estimates (no litellm import) agree with litellm's own numbers where they should."""

from __future__ import annotations

import pytest

from radar.brief import estimate, llm
from radar.config.settings import LLMSettings
from tests.reading_samples import sample_papers

MODELS = [
    "openai/gpt-4o-mini",
    "gpt-4o-mini",
    "anthropic/claude-haiku-4-5",
    "gemini/gemini-2.5-flash",
    "claude-3-5-haiku-20241022",
    "ollama/llama3.1",
    "openai/not-a-model-anyone-has",
]


def _settings(model: str, **overrides: object) -> LLMSettings:
    return LLMSettings(model=model, **overrides)  # type: ignore[arg-type]


@pytest.mark.parametrize("model", MODELS)
def test_limits_and_prices_come_from_litellms_own_map(model: str) -> None:
    ours = estimate.model_limits(_settings(model))
    theirs = llm.model_limits(_settings(model))
    assert ours == theirs
    theirs_cost = llm.cost_of(model, 10_000, 1_000)
    ours_cost = estimate.cost_of(model, 10_000, 1_000)
    assert ours_cost == (None if theirs_cost is None else pytest.approx(theirs_cost, rel=1e-9))


def test_config_overrides_win_over_the_map() -> None:
    limits = estimate.model_limits(
        _settings("openai/gpt-4o-mini", max_input_tokens=8000, max_output_tokens=800)
    )
    assert (limits.max_input_tokens, limits.max_output_tokens) == (8000, 800)
    assert limits.source.startswith("[llm]")


def test_token_estimate_errs_high_by_at_most_a_third() -> None:
    """4 characters a token: litellm counts ~5 on English abstracts; the estimate stays above."""
    texts = [f"{p.title}\n{', '.join(p.authors)}\n{p.abstract}" for p in sample_papers()]
    ours = sum(estimate.count_tokens("openai/gpt-4o-mini", text=t) for t in texts)
    theirs = sum(llm.count_tokens("openai/gpt-4o-mini", text=t) for t in texts)
    assert 1.0 <= ours / theirs <= 1.35, (ours, theirs)


def test_known_providers_pass_and_an_unknown_one_fails_like_litellm() -> None:
    estimate.check_model(_settings("ollama/llama3.1"))
    estimate.check_model(_settings("openai/my-local-model"))
    with pytest.raises(Exception, match="does not know which provider"):
        estimate.check_model(_settings("no-such-model-xyz"))


def test_missing_key_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    assert estimate.missing_credentials(_settings("anthropic/claude-haiku-4-5")) == [
        "ANTHROPIC_API_KEY"
    ]
    assert estimate.missing_credentials(_settings("claude-haiku-4-5")) == ["ANTHROPIC_API_KEY"]
    monkeypatch.setenv("ANTHROPIC_API_KEY", "x")
    assert estimate.missing_credentials(_settings("anthropic/claude-haiku-4-5")) == []
    assert estimate.missing_credentials(_settings("ollama/llama3.1")) == []
