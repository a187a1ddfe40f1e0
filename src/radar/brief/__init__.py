"""The brief: select -> `plan` -> `prompts` -> `llm` (map/reduce) -> `grounding` -> markdown.

`writer` runs a plan and caches finished briefs; `digest` holds the facts that need no LLM.
"""

from radar.brief.plan import BriefRequest, plan_brief
from radar.brief.writer import brief_with_cache, cached_brief, compose_brief

__all__ = ["BriefRequest", "brief_with_cache", "cached_brief", "compose_brief", "plan_brief"]
