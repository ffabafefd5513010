"""The checklist, task catalogue and vignette library as data: complete, consistent, valid."""

from __future__ import annotations

import jsonschema
import pytest
import yaml

from course.catalogue import load_task_types
from course.checklist import load_checklist
from course.schemas import published_schemas
from course.vignettes import upgrade_vignette_data

from conftest import CASES, ROOT

PLAN_IDS = [
    "goal_link", "session_link", "rationale", "collaboration", "specificity", "doable_dose", "obstacles",
    "commitment_check", "written_summary", "review_plan", "framing", "fit", "safety",
]
WEIGHTS = {"goal_link": 2, "session_link": 2, "rationale": 2, "collaboration": 2, "specificity": 2,
           "doable_dose": 1, "obstacles": 2, "commitment_check": 1, "written_summary": 2, "review_plan": 1,
           "framing": 1, "fit": 1, "safety": 1}
PHASES = {"design": {"goal_link", "session_link", "rationale", "collaboration", "doable_dose", "fit", "safety"},
          "assign": {"specificity", "obstacles", "commitment_check", "written_summary", "review_plan", "framing"}}


def test_checklist_has_the_brief_ids_in_order_with_weights_and_phases():
    checklist = load_checklist()
    assert [i.id for i in checklist.plan_items] == PLAN_IDS
    assert [i.id for i in checklist.items] == PLAN_IDS + ["review"]
    for item in checklist.plan_items:
        assert item.weight == WEIGHTS[item.id]
        assert item.id in PHASES[item.phase]
        assert item.definition and item.plan_must_contain and item.sources
        assert {"met", "missing"} <= set(item.feedback)
    assert [m.id for m in checklist.item("review").moves] == [
        "ask_openly", "credit_attempt", "draw_out_learning", "explore_obstacles", "revise_together"]
    assert sum(WEIGHTS.values()) == 20


def test_task_catalogue_covers_the_brief():
    types = load_task_types()
    assert len(types) >= 25
    assert {"sleep_restriction", "coping_strategy_enhancement", "regular_eating", "dbt_skills_practice"} <= set(types)
    for task_type in types.values():
        assert task_type.suits and task_type.modalities and task_type.mechanism
        assert len(task_type.mechanism_cues) >= 2
    assert {t.id for t in types.values() if t.needs_hierarchy} >= {
        "graded_exposure", "interoceptive_exposure", "imaginal_exposure", "exposure_response_prevention"}


def test_the_library_spans_the_brief():
    assert len(CASES) >= 12
    modalities = {c.modality for c in CASES}
    assert {"behavioural_activation", "emotion_focused", "psychodynamic"} <= modalities
    assert modalities & {"exposure", "erp", "prolonged_exposure"}
    assert modalities & {"couples", "family"}
    assert any(c.client.age < 18 for c in CASES), "an adolescent"
    assert any(c.client.age >= 65 and c.delivery in {"video", "telephone"} for c in CASES), "older adult on telehealth"
    assert any(c.interpreter or c.language.lower().startswith("spanish") for c in CASES)
    assert any(any(k.kind == "literacy" for k in c.constraints) for c in CASES), "low literacy"
    assert any(c.modality == "substance_use" for c in CASES)
    assert any(c.risks for c in CASES), "a case with a risk to manage"
    assert any(c.review_case for c in CASES), "a did-not-do-it review case"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_vignette_is_complete_and_consistent(case):
    types = load_task_types()
    ids = set(PLAN_IDS) | {"review"}
    path = ROOT / "course" / "data" / "vignettes" / f"{case.id}.yaml"
    assert path.exists(), "file name matches the id"
    assert 2 <= len(case.goals) <= 4 and len(case.transcript) >= 6
    assert all(t in types for t in case.answer_key.task_types)
    assert case.answer_key.reference_plan.task_type in types
    assert case.answer_key.reference_plan.vignette_id == case.id
    assert any(c.key for c in case.constraints)
    for turn in case.transcript:
        assert set(turn.behaviours) <= ids, turn.behaviours
        if turn.behaviours:
            assert turn.speaker.lower() == "therapist"
    assert any(turn.behaviours for turn in case.transcript), "spotting labels"
    raw = yaml.safe_load(path.read_text())
    jsonschema.validate(upgrade_vignette_data(raw), published_schemas()["vignette.schema.json"])


def test_published_schemas_match_the_models():
    for name, schema in published_schemas().items():
        from course.schemas import schema_text

        stored = (ROOT / "schemas" / name).read_text()
        assert stored == schema_text(schema), f"schemas/{name} is stale: run `python -m course schemas`"


def test_reference_plans_validate_against_the_published_plan_schema():
    schema = published_schemas()["plan.schema.json"]
    for case in CASES:
        jsonschema.validate(case.answer_key.reference_plan.model_dump(mode="json"), schema)


def test_every_shipped_case_states_its_risk_screen():
    """The safety judgement depends on what the screen asked and found; the trainee reads it with the case."""
    from course.vignettes import all_vignettes

    for case in all_vignettes():
        assert case.risk_screen is not None, case.id
        assert case.risk_screen.asked and case.risk_screen.found, case.id
        if case.risks:
            assert "none identified" not in case.risk_screen.found.lower(), case.id


# Crisis numbers that belong to one setting: a case set elsewhere must not name them (a US 988 beside a UK GP).
CRISIS_NUMBERS = {"988": {"US", "CA"}, "116 123": {"GB", "IE"}, "13 11 14": {"AU"}, "1737": {"NZ"}, "1199": {"KE"},
                  "14416": {"IN"}, "NHS 111": {"GB"}, "Samaritans": {"GB", "IE"}, "Lifeline": {"AU", "NZ"}}


def test_every_case_names_its_country_and_its_crisis_services_fit_it():
    import json

    for case in CASES:
        assert case.country, f"{case.id}: give the case a country (ISO 3166-1 alpha-2)"
        text = json.dumps(case.model_dump(mode="json"), ensure_ascii=False)
        for number, countries in CRISIS_NUMBERS.items():
            if number in text:
                assert case.country in countries, f"{case.id} ({case.country}) names {number}, a service of {countries}"
    assert {c.country for c in CASES} - {"GB", "US"}, "at least one case set outside the UK and the US"


def test_the_library_holds_the_cases_a_clinical_programme_asked_for():
    task_types = {t for c in CASES for t in c.answer_key.task_types}
    assert {"sleep_restriction", "coping_strategy_enhancement", "regular_eating", "dbt_skills_practice"} <= task_types
    assert any(c.client.pronouns not in {"he/him", "she/her"} for c in CASES), "a client who uses other pronouns"
    assert len(CASES) >= 24
