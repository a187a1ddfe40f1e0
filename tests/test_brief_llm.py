"""radar.brief.llm: limits, tokens, cost and the retrying client, over HTTP to the fake server."""

from __future__ import annotations

import socket
from dataclasses import replace

import pytest

from radar.brief import llm
from radar.config.settings import LLMSettings
from radar.errors import LLMError
from tests.fake_llm import FakeLLM


def settings_for(fake: FakeLLM, **values: object) -> LLMSettings:
    base = LLMSettings(model=fake.model, api_base=fake.api_base, max_retries=3)
    return replace(base, **values)  # type: ignore[arg-type]


def client(
    settings: LLMSettings, delays: list[float], events: list[str] | None = None
) -> llm.Client:
    return llm.Client(
        settings, sleep=delays.append, on_event=(events if events is not None else []).append
    )


MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2611.10001"}]


def test_reply_carries_text_tokens_and_no_cost_for_an_unpriced_model(fake_llm: FakeLLM) -> None:
    reply = client(settings_for(fake_llm), []).complete(MESSAGES, max_tokens=100)
    assert "2611.10001" in reply.text
    assert reply.input_tokens == fake_llm.calls[0].tokens
    assert reply.output_tokens > 0 and reply.cost is None
    body = fake_llm.calls[0].body
    assert body["max_tokens"] == 100 and body["temperature"] == 0.2


def test_429_then_success_backs_off_exponentially(fake_llm: FakeLLM) -> None:
    fake_llm.fail_first = 2
    delays: list[float] = []
    events: list[str] = []
    reply = client(settings_for(fake_llm), delays, events).complete(MESSAGES, max_tokens=50)
    assert reply.text
    assert [c.status for c in fake_llm.calls] == [429, 429, 200]
    assert delays == [1.0, 2.0]
    assert "retry 1 of 3" in events[0]


def test_500_until_retries_are_spent_is_an_llm_error(fake_llm: FakeLLM) -> None:
    fake_llm.fail_first = 10
    fake_llm.fail_status = 500
    delays: list[float] = []
    with pytest.raises(LLMError, match="500"):
        client(settings_for(fake_llm, max_retries=2), delays).complete(MESSAGES, max_tokens=50)
    assert len(fake_llm.calls) == 3 and delays == [1.0, 2.0]


def test_context_length_error_is_not_retried(fake_llm: FakeLLM) -> None:
    fake_llm.context_limit = 1
    with pytest.raises(llm.ContextTooLong):
        client(settings_for(fake_llm), []).complete(MESSAGES, max_tokens=50)
    assert len(fake_llm.calls) == 1


def test_rejected_key_is_not_retried_and_never_echoed(
    fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-do-not-print")
    fake_llm.fail_first = 1
    fake_llm.fail_status = 401
    with pytest.raises(LLMError) as caught:
        client(settings_for(fake_llm), []).complete(MESSAGES, max_tokens=50)
    assert len(fake_llm.calls) == 1
    assert "sk-secret" not in str(caught.value)
    assert "API key" in str(caught.value)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_server_is_a_clear_error_with_the_no_llm_hint(fake_llm: FakeLLM) -> None:
    base = f"http://127.0.0.1:{free_port()}/v1"
    delays: list[float] = []
    with pytest.raises(LLMError) as caught:
        client(settings_for(fake_llm, api_base=base, max_retries=1), delays).complete(
            MESSAGES, max_tokens=50
        )
    assert f"cannot reach the LLM at {base}" in caught.value.message
    assert "--no-llm" in (caught.value.hint or "")
    assert delays == [1.0]


def test_timeout_is_retried_then_reported(fake_llm: FakeLLM) -> None:
    fake_llm.hang = True
    delays: list[float] = []
    settings = settings_for(fake_llm, timeout_seconds=0.3, max_retries=1)
    with pytest.raises(LLMError, match=r"no answer within 0.3s"):
        client(settings, delays).complete(MESSAGES, max_tokens=50)
    assert delays == [1.0]


def test_limits_come_from_overrides_then_litellm_then_a_default() -> None:
    # Whatever litellm's map says this release (its numbers are litellm's business, not ours).
    entry = llm.load_litellm().model_cost["gpt-4o-mini"]
    known = llm.model_limits(LLMSettings(model="gpt-4o-mini"))
    assert (known.max_input_tokens, known.max_output_tokens, known.known) == (
        entry["max_input_tokens"],
        entry["max_output_tokens"],
        True,
    )
    overridden = llm.model_limits(LLMSettings(model="gpt-4o-mini", max_input_tokens=5000))
    assert overridden.max_input_tokens == 5000 and overridden.known
    assert "[llm]" in overridden.source
    unknown = llm.model_limits(LLMSettings(model="openai/my-local-model"))
    assert unknown.max_input_tokens == llm.FALLBACK_INPUT_TOKENS and not unknown.known
    assert "not in litellm's model map" in unknown.source


def test_tokens_and_cost_use_litellm() -> None:
    short = llm.count_tokens("gpt-4o-mini", text="a short text")
    longer = llm.count_tokens("gpt-4o-mini", text="a short text " * 50)
    assert 0 < short < longer
    entry = llm.load_litellm().model_cost["gpt-4o-mini"]
    cost = llm.cost_of("gpt-4o-mini", 1_000_000, 2_000)
    expected = 1_000_000 * entry["input_cost_per_token"] + 2_000 * entry["output_cost_per_token"]
    assert cost == pytest.approx(expected) and cost > 0
    assert llm.cost_of("openai/my-local-model", 1000, 1000) is None


def test_missing_credentials_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert llm.missing_credentials(LLMSettings(model="gpt-4o-mini")) == ["OPENAI_API_KEY"]
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert llm.missing_credentials(LLMSettings(model="gpt-4o-mini")) == []


def test_litellm_is_told_to_use_its_local_cost_map() -> None:
    import os

    llm.load_litellm()
    assert os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] == "True"


def test_endpoints_are_shown_without_credentials() -> None:
    assert llm.shown_url("https://user:pw@llm.example/v1?key=abc") == "https://llm.example/v1"
    assert llm.shown_url(None) is None


def test_a_model_without_a_known_provider_is_a_clear_error() -> None:
    with pytest.raises(LLMError, match="which provider serves the model 'no-such-model'"):
        llm.check_model(LLMSettings(model="no-such-model"))
    llm.check_model(LLMSettings(model="ollama/llama3.1"))
    llm.check_model(LLMSettings(model="gpt-4o-mini"))
