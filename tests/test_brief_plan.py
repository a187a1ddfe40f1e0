"""How a brief is cut to fit the model (radar.brief.plan), checked as the rules a user relies
on: every call fits the context, outputs stay within the model's limits, the price shown by
--dry-run is the plan's tokens at the model's prices."""

from __future__ import annotations

import pytest

from radar.brief.estimate import cost_of
from radar.brief.plan import MAX_NOTES_TOKENS, SAFETY, BriefRequest, plan_brief
from radar.brief.prompts import load_template
from radar.config.settings import Follows, LLMSettings
from radar.errors import LLMError, UsageError
from tests.brief_data import make_papers

PRICED = "openai/gpt-4o-mini"  # priced in the model map litellm ships


def request(model: str = PRICED, **limits: int) -> BriefRequest:
    return BriefRequest(
        llm=LLMSettings(model=model, **limits),  # type: ignore[arg-type]
        follows=Follows(authors=("Yantao Li",)),
        template=load_template(None),
    )


@pytest.mark.parametrize(
    ("count", "max_input", "max_output"),
    [
        (5, 128_000, 16_384),  # one call; the body capped at 4,096 tokens
        (10, 4_000, 8_192),  # a small context: the body gets a quarter of it, not 4,096
        (40, 2_500, 300),  # many batches; the model's own output limit is below the rest
        (60, 9_000, 8_192),  # a few batches; notes capped
        (60, 9_000, 400),  # notes never above what the model may write
        (30, 16_000, 8_192),  # one call with a large body allowance
        (200, 30_000, 4_096),  # two batches, the body at the model's limit
    ],
)
def test_every_call_fits_the_context_and_the_output_limits(
    count: int, max_input: int, max_output: int
) -> None:
    papers = make_papers(count, words=80)
    plan = plan_brief(
        papers, request(max_input_tokens=max_input, max_output_tokens=max_output), estimate=True
    )
    room = max_input * SAFETY
    assert plan.final_tokens <= min(max_output, 4096)
    assert plan.final_tokens >= min(max_output, 512)
    many = len(plan.batches) > 1
    for tokens in plan.batch_tokens:  # each map call (or the single call): input + its output
        assert (
            plan.system_tokens + tokens + (plan.notes_tokens if many else plan.final_tokens) <= room
        )
    if many:  # the synthesis reads every batch's notes and writes the body
        assert (
            plan.system_tokens + plan.notes_tokens * len(plan.batches) + plan.final_tokens <= room
        )
        assert plan.notes_tokens <= min(MAX_NOTES_TOKENS, plan.final_tokens)
        assert plan.calls == len(plan.batches) + 1
    else:
        assert plan.calls == 1 and plan.output_tokens == plan.final_tokens
    assert sum(len(b) for b in plan.batches) == count
    assert plan.estimated_cost == pytest.approx(
        cost_of(PRICED, plan.input_tokens, plan.output_tokens)
    )
    assert plan.estimated_cost > 0


def test_an_unpriced_model_has_no_cost_estimate() -> None:
    plan = plan_brief(
        make_papers(5),
        request("openai/radar-test-model", max_input_tokens=8000, max_output_tokens=1000),
        estimate=True,
    )
    assert plan.estimated_cost is None


def test_a_paper_larger_than_the_context_is_one_clear_error() -> None:
    papers = make_papers(3, words=3000)
    with pytest.raises(LLMError) as error:
        plan_brief(papers, request(max_input_tokens=2000, max_output_tokens=500), estimate=True)
    assert error.value.message == (
        f"{PRICED}: a single paper does not fit its context of 2000 tokens"
    )
    assert error.value.hint == (
        "set [llm] max_input_tokens / max_output_tokens for this model, or use --no-llm"
    )


def test_nothing_to_brief_says_how_to_find_papers() -> None:
    with pytest.raises(UsageError) as error:
        plan_brief([], request(), estimate=True)
    assert error.value.message == "no papers match: nothing to brief"
    assert error.value.hint == "widen the filters (e.g. --since), or run `radar sync` first"
