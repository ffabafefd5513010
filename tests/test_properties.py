"""Property-based tests: whatever JSON arrives, the loader and scorer end in a report or a clear error."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course.plans import Plan, PlanError, plan_from_data, plan_from_json
from course.scoring import score_plan

from conftest import CASES

FIELDS = list(Plan.model_fields)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=60),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
plan_like = st.dictionaries(st.sampled_from(FIELDS + ["extra", "colour"]), json_values, max_size=8)
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300
) | st.sampled_from(["", "N/A", "homework", "whatever happens we learn", "at 9:30 every day for 10 minutes"])
valid_plans = st.builds(
    Plan,
    goal=text, goal_link=text, takeaway=text, takeaway_link=text, task=text, rationale=text,
    when=text, where=text, frequency=text, duration=text, minimum_version=text, teach_back=text,
    confidence=st.none() | st.integers(0, 10), framing_word=text, framing=text, adaptations=text,
    record=text, review=text, risk=text, summary=text,
    obstacles=st.lists(st.builds(dict, obstacle=text, if_then=text), max_size=3),
)


def _outcome(data) -> None:
    try:
        plan = plan_from_data(data)
    except PlanError as error:
        assert error.problems and all(isinstance(p, str) and ":" in p for p in error.problems)
        return
    for case in CASES[:3]:
        report = score_plan(plan, case)
        assert 0 <= report.total <= report.max


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_any_json_value_ends_in_a_report_or_a_clear_error(data):
    _outcome(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_like)
def test_plan_shaped_json_ends_in_a_report_or_a_clear_error(data):
    _outcome(data)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_any_text_as_json_ends_in_a_plan_or_a_clear_error(raw):
    try:
        plan_from_json(raw)
    except PlanError as error:
        assert error.problems


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_plans, st.sampled_from(CASES))
def test_totals_always_lie_between_zero_and_the_maximum(plan, case):
    report = score_plan(plan, case)
    assert 0 <= report.total <= report.max
    for item in report.items:
        assert item.points in (0, item.max_points / 2, item.max_points)
        assert item.feedback and item.next_step
    json.dumps(report.to_dict())
