#!/usr/bin/env bash
# Mutation testing of radar's core, one target at a time, in bounded time (issue 14).
#
#   scripts/mutation.sh                      # the default targets below, smallest first
#   scripts/mutation.sh src/radar/files.py   # one file (it needs a line in tests_for)
#   MUTATION_BUDGET=600 scripts/mutation.sh  # seconds per target (default 900)
#   MUTATION_RERUN=survivors scripts/mutation.sh src/radar/files.py  # re-test the survivors
#   MUTATION_TIMEOUT=30 scripts/mutation.sh src/radar/files.py  # re-test the timeouts at 30x
#
# Each target runs in a copy of the committed tree (git archive HEAD into
# ${MUTATION_WORK:-/tmp/radar-mutation-<branch>}/<target>: no uncommitted change is tested, nothing is
# written to the checkout; the copy keeps mutmut's cache, delete it to start afresh), with mutmut's `only_mutate` set to the
# target and pytest limited to the test files that exercise it; within those, mutmut runs for
# each mutant only the tests whose coverage reaches the mutated function. It runs `nice`d on at
# most 2 cores (`--max-children 2`) under `timeout`: a target that runs out of budget reports
# the mutants it got through. Results: mutation-results/<target>/ (stats.json, survivors.txt
# with each survivor's diff). Not part of .ci/run (minutes per target; see docs/testing.md).
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
command -v mutmut >/dev/null || { echo "mutmut not found: pip install -e '.[test,mutation]' in the active venv" >&2; exit 2; }
budget=${MUTATION_BUDGET:-900}
out=$PWD/mutation-results

# The test files that exercise each target (the smaller the list, the faster each mutant).
tests_for() {
  case "$1" in
    src/radar/brief/plan.py) echo tests/test_brief_plan.py tests/test_brief_writer.py tests/test_brief_estimate.py tests/test_mutation_guards.py ;;
    src/radar/brief/grounding.py) echo tests/test_brief_grounding.py tests/test_brief_writer.py ;;
    src/radar/store/migrations.py) echo tests/test_store.py tests/test_store_old_caches.py tests/test_layout.py ;;
    src/radar/sources/http.py) echo tests/test_sources_http.py tests/test_sources_http_hardening.py ;;
    src/radar/files.py) echo tests/test_mutation_guards.py tests/test_brief_output.py ;;
    src/radar/sync/lock.py) echo tests/test_sync_lock.py tests/test_sync_run.py tests/test_cli_sync.py::test_lock_held_exits_3 tests/test_cli_sync.py::test_concurrent_sync_exits_quickly_with_the_lock_code ;;
    src/radar/store/queries.py|src/radar/store/selection.py|src/radar/store/fulltext.py|src/radar/store/sampling.py) echo tests/test_store_queries.py tests/test_mutation_guards.py tests/test_filters.py \
        tests/test_cli_list_new.py tests/test_cli_shuffle.py tests/test_cli_search.py \
        tests/test_people_groups.py tests/test_people_identity.py tests/test_people_namesakes.py ;;
    src/radar/sources/arxiv_api.py) echo tests/test_sources_arxiv_api.py tests/test_sync_arxiv.py ;;
    src/radar/store/core.py|src/radar/store/upsert.py) echo tests/test_store.py tests/test_store_identity.py tests/test_store_failures.py \
        tests/test_store_old_caches.py tests/test_sync_run.py tests/test_cli_note_read.py tests/test_cli_status_pdf.py ;;
    src/radar/sources/feeds.py) echo tests/test_sources_feeds.py tests/test_sync_feeds.py ;;
    src/radar/sources/feed_fields.py) echo tests/test_sources_feed_fields.py tests/test_sources_feeds.py ;;
    src/radar/sources/feed_encoding.py) echo tests/test_sources_feed_encoding.py tests/test_sources_feeds.py ;;
    src/radar/sources/feed_raw.py) echo tests/test_sources_feed_raw.py tests/test_sources_feeds.py ;;
    src/radar/sync/walk.py|src/radar/sync/arxiv.py) echo tests/test_sync_run.py tests/test_sync_arxiv.py ;;
    src/radar/sync/feeds.py) echo tests/test_sync_feeds.py ;;
    src/radar/sync/steps.py) echo tests/test_sync_run.py tests/test_sync_feeds.py ;;
    src/radar/sync/people.py) echo tests/test_sync_people.py tests/test_people_identity.py ;;
    src/radar/sync/signatures.py) echo tests/test_sync_signatures.py tests/test_sync_arxiv.py::test_a_pinned_authors_sync_says_how_many_papers_it_set_aside ;;
    src/radar/sources/arxiv_author.py) echo tests/test_sources_arxiv_author.py tests/test_people_identity.py ;;
    src/radar/sources/http_wire.py) echo tests/test_sources_http_wire.py tests/test_sources_http.py tests/test_sources_http_hardening.py ;;
    src/radar/sources/tex.py) echo tests/test_sources_tex.py tests/test_sources_arxiv_rss.py::test_tex_accents_in_names_and_titles_become_unicode ;;
    src/radar/sources/budget.py) echo tests/test_sources_budget.py tests/test_sync_hardening.py::test_a_feed_that_takes_too_long_to_parse_fails_alone ;;
    src/radar/store/status.py) echo tests/test_cli_status_pdf.py tests/test_cli_sync.py::test_an_author_first_sync_with_no_papers_says_so_with_a_hint \
        tests/test_cli_list_new.py::test_new_lists_what_the_last_sync_added_even_within_the_same_second tests/test_store_status.py ;;
    src/radar/store/latest.py) echo tests/test_store_queries.py tests/test_fidelity.py::test_today_is_each_sources_own_latest_day \
        tests/test_cli_list.py::test_today_on_a_weekend_lists_friday_and_says_so tests/test_store_latest.py ;;
    src/radar/store/people.py) echo tests/test_people_namesakes.py tests/test_sync_arxiv.py::test_a_pinned_authors_sync_says_how_many_papers_it_set_aside tests/test_store_people.py ;;
    src/radar/store/runs.py) echo tests/test_cli_list_new.py tests/test_cli_status_pdf.py tests/test_store_runs.py ;;
    src/radar/store/hydrate.py) echo tests/test_store.py tests/test_store_identity.py tests/test_store_queries.py tests/test_cli_note_read.py tests/test_store_hydrate.py ;;
    src/radar/store/connect.py) echo tests/test_store.py tests/test_store_failures.py tests/test_store_old_caches.py tests/test_store_connect.py ;;
    src/radar/store/repair.py) echo tests/test_store_old_caches.py tests/test_fidelity.py::test_an_old_cache_upgrades_and_its_names_are_repaired tests/test_store_repair.py ;;
    src/radar/store/ranked.py) echo tests/test_rank.py tests/test_page.py::test_sorted_by_relevance_shows_scores_in_the_order_of_list tests/test_store_ranked.py ;;
    src/radar/store/scores.py) echo tests/test_store_scores.py tests/test_rank.py tests/test_rank_sync.py ;;
    src/radar/store/records.py) echo tests/test_store_records.py tests/test_store.py tests/test_store_identity.py tests/test_store_queries.py ;;
    src/radar/store/identity.py) echo tests/test_store_identity.py tests/test_store.py ;;
    src/radar/store/inserts.py) echo tests/test_store_inserts.py tests/test_store.py tests/test_store_identity.py ;;
    src/radar/store/failures.py) echo tests/test_store_failures.py tests/test_store.py tests/test_mutation_guards.py ;;
    src/radar/store/briefs.py) echo tests/test_store_briefs.py tests/test_brief_writer.py ;;
    src/radar/rank/words.py) echo tests/test_rank_words.py tests/test_rank.py::test_words_found_as_numbers_are_the_words_the_model_reads \
        tests/test_rank.py::test_the_lookup_table_finds_every_key_and_only_them tests/test_rank.py::test_scores_survive_unusual_text \
        tests/test_rank.py::test_a_paper_scores_the_same_in_any_page tests/test_rank.py::test_scoring_and_explaining_agree_with_scikit_learn \
        tests/test_rank.py::test_a_feature_no_page_word_can_be_never_counts ;;
    src/radar/rank/batch.py) echo tests/test_rank_batch.py tests/test_rank.py::test_scoring_and_explaining_agree_with_scikit_learn \
        tests/test_rank.py::test_a_paper_scores_the_same_in_any_page tests/test_rank.py::test_scores_survive_unusual_text \
        tests/test_rank.py::test_why_parts_add_up_to_the_text_score_strongest_first tests/test_rank.py::test_a_feature_no_page_word_can_be_never_counts ;;
    src/radar/rank/text.py) echo tests/test_rank_text.py tests/test_rank.py::test_scoring_and_explaining_agree_with_scikit_learn \
        tests/test_rank.py::test_why_parts_add_up_to_the_text_score_strongest_first tests/test_rank.py::test_keywords_match_whole_words_only \
        tests/test_rank.py::test_scores_survive_unusual_text tests/test_rank.py::test_why_names_real_terms_of_the_paper ;;
    src/radar/rank/interests.py) echo tests/test_rank_interests.py tests/test_rank.py::test_no_interests_is_one_clear_line_and_exit_1 \
        tests/test_rank.py::test_a_keyword_alone_ranks_without_stars tests/test_rank.py::test_a_new_star_makes_the_model_stale_and_rank_refreshes_it ;;
    src/radar/rank/train.py) echo tests/test_rank_train.py tests/test_rank.py::test_scoring_and_explaining_agree_with_scikit_learn \
        tests/test_rank.py::test_ranking_is_deterministic tests/test_rank.py::test_a_keyword_alone_ranks_without_stars ;;
    src/radar/rank/engine.py) echo tests/test_rank_engine.py tests/test_rank_sync.py tests/test_rank_brief.py \
        tests/test_rank.py::test_no_interests_is_one_clear_line_and_exit_1 tests/test_rank.py::test_ranking_is_deterministic \
        tests/test_rank.py::test_an_excluded_phrase_moves_papers_down tests/test_rank.py::test_a_keyword_alone_ranks_without_stars \
        tests/test_rank.py::test_a_new_star_makes_the_model_stale_and_rank_refreshes_it tests/test_rank.py::test_why_names_real_terms_of_the_paper \
        tests/test_rank.py::test_scores_are_in_json_csv_and_min_score_keeps_the_best tests/test_rank.py::test_search_and_shuffle_by_relevance \
        tests/test_rank.py::test_the_relevance_table_and_json_show_each_papers_strongest_terms \
        tests/test_rank.py::test_a_model_stored_before_rank_terms_existed_keeps_its_terms ;;
    src/radar/rank/model.py) echo tests/test_rank.py tests/test_rank_sync.py ;;
    src/radar/rank/*) echo tests/test_rank.py tests/test_rank_brief.py tests/test_rank_sync.py ;;
    src/radar/sources/*) echo tests/test_sources_arxiv_api.py tests/test_sources_arxiv_rss.py tests/test_sources_feeds.py tests/test_fidelity.py ;;
    src/radar/sync/run.py) echo tests/test_sync_run.py tests/test_sync_feeds.py tests/test_sync_hardening.py tests/test_rank_sync.py ;;
    src/radar/sync/follows.py) echo tests/test_sync_run.py tests/test_sync_feeds.py tests/test_cli_sync.py ;;
    src/radar/sync/*) echo tests/test_sync_run.py tests/test_sync_feeds.py tests/test_sync_hardening.py ;;
    src/radar/store/*) echo tests/test_store.py tests/test_store_identity.py tests/test_store_queries.py ;;
    *) echo "no test list for $1: add it to tests_for in $0" >&2; return 1 ;;
  esac
}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(src/radar/files.py src/radar/sync/lock.py src/radar/brief/grounding.py
           src/radar/brief/plan.py src/radar/store/migrations.py src/radar/sources/http.py)
fi

for target in "${targets[@]}"; do
  tests=$(tests_for "$target")
  name=$(echo "${target#src/radar/}" | tr '/' '.')
  # One work folder per target, kept between runs: mutmut caches each mutant's verdict there,
  # so a re-run after new tests only collects coverage for the new tests and tests the
  # mutants named in MUTATION_RERUN (e.g. the survivors) or not yet tested.
  # Per branch: two worktrees running the same target must not share (and clobber) a folder.
  work=${MUTATION_WORK:-${TMPDIR:-/tmp}/radar-mutation-$(git rev-parse --abbrev-ref HEAD)}/$name
  mkdir -p "$work"
  git archive HEAD | tar -x -C "$work"
  python - "$work/pyproject.toml" "$target" $tests <<'PY'
import os, re, sys
path, target, tests = sys.argv[1], sys.argv[2], sys.argv[3:]
text = re.sub(r"\n\[tool\.mutmut\]\n.*?(?=\n\[|\Z)", "", open(path).read(), flags=re.S)
quoted = ", ".join(f'"{t}"' for t in tests)
text += (
    '\n[tool.mutmut]\nsource_paths = ["src/radar"]\n'
    f'only_mutate = ["{target}"]\n'
    'pytest_add_cli_args = ["-p", "no:cacheprovider", "-W", "ignore::UserWarning", "-q", "-x"]\n'
    # A mutant that loops forever is stopped after 4x (not mutmut's 15x) its tests' CPU time.
    # Tests of a few milliseconds can exceed that on a loaded machine; a changed multiplier
    # (MUTATION_TIMEOUT) makes mutmut re-test only the mutants that timed out.
    f"timeout_multiplier = {float(os.environ.get('MUTATION_TIMEOUT', '4'))}\n"
    f"pytest_add_cli_args_test_selection = [{quoted}]\n"
)
open(path, "w").write(text)
PY
  echo "== $target (budget ${budget}s; tests: $tests)" >&2
  began=$(date +%s)
  rerun=()
  if [ "${MUTATION_RERUN:-}" = survivors ] && [ -d "$work/mutants" ]; then
    mapfile -t rerun < <(cd "$work" && mutmut results 2>/dev/null | awk -F: '/survived|no tests/ {gsub(/ /, "", $1); print $1}')
  fi
  (cd "$work" && nice -n 19 timeout "$budget" mutmut run --max-children 2 "${rerun[@]}" >"$work/run.log" 2>&1) \
    && status=complete || status="stopped at the budget (exit $?)"
  seconds=$(( $(date +%s) - began ))
  mkdir -p "$out/$name"
  (cd "$work" && mutmut export-cicd-stats >/dev/null 2>&1 && cp mutants/mutmut-cicd-stats.json "$out/$name/stats.json") || true
  (cd "$work" && mutmut results 2>/dev/null | grep -E "survived|no tests" | while read -r mutant _; do
      mutant=${mutant%:}
      echo "--- $mutant"; mutmut show "$mutant" </dev/null 2>/dev/null | sed -n '1,40p'
    done) >"$out/$name/survivors.txt" || true
  python - "$out/$name/stats.json" "$target" "$seconds" "$status" <<'PY'
import json, sys
path, target, seconds, status = sys.argv[1:]
try:
    s = json.load(open(path))
except OSError:
    s = {}
done = s.get("killed", 0) + s.get("survived", 0) + s.get("timeout", 0) + s.get("suspicious", 0)
print(f"| {target} | {s.get('total', '?')} | {done} | {s.get('killed', 0) + s.get('timeout', 0)} "
      f"| {s.get('survived', 0)} | {s.get('no_tests', 0)} | {seconds} s, {status} |")
PY
  cp "$work/run.log" "$out/$name/run.log" 2>/dev/null || true
done
