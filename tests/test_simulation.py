"""The simulated homework study behind module 06: reproducible, well-formed, labelled, calibrated."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from course.simulation import (
    BEHAVIOUR_OUTCOME_BANDS,
    COMPLETION_OUTCOME_BAND,
    SIMULATION_PARAMETERS,
    simulate_homework_study,
)

TABLES = ("clients", "sessions", "studies")


@pytest.fixture(scope="module")
def study() -> dict[str, pd.DataFrame]:
    """The default study (seed 2024, 120 clients, 12 sessions)."""
    return simulate_homework_study()


def completion_outcome_r(data: dict[str, pd.DataFrame]) -> float:
    """r between each client's mean share completed (agreed tasks only) and intake minus last PHQ-9."""
    sessions, clients = data["sessions"], data["clients"]
    rate = sessions.loc[sessions["homework_assigned"]].groupby("client_id", observed=True)["homework_quantity"].mean()
    last = sessions.loc[sessions["session"] == sessions["session"].max()].set_index("client_id")["phq9"]
    improvement = clients.set_index("client_id")["baseline_phq9"] - last
    return float(rate.corr(improvement))


def test_same_seed_gives_identical_tables():
    first, second = simulate_homework_study(seed=11), simulate_homework_study(seed=11)
    for name in TABLES:
        pd.testing.assert_frame_equal(first[name], second[name])


def test_different_seeds_give_different_data():
    first, second = simulate_homework_study(seed=1), simulate_homework_study(seed=2)
    assert not first["clients"].equals(second["clients"])
    assert not first["sessions"].equals(second["sessions"])


def test_no_warnings_when_simulating():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        simulate_homework_study(n_clients=30, n_sessions=5, seed=3)


def test_table_shapes_and_columns(study):
    assert list(study["clients"].columns) == ["client_id", "age", "therapist_id", "baseline_phq9"]
    assert list(study["sessions"].columns) == ["client_id", "session", "homework_assigned", "therapist_behaviour",
                                               "homework_quantity", "homework_quality", "in_session_engagement",
                                               "phq9"]
    assert {"study_id", "outcome_level", "direction"} <= set(study["studies"].columns)
    assert len(study["clients"]) == 120
    assert len(study["sessions"]) == 120 * 12
    assert study["clients"]["client_id"].is_unique
    assert not study["sessions"].duplicated(["client_id", "session"]).any()
    assert set(study["sessions"]["client_id"]) == set(study["clients"]["client_id"])


@pytest.mark.parametrize("n_clients, n_sessions", [(2, 2), (37, 5), (200, 20)])
def test_sizes_follow_arguments(n_clients, n_sessions):
    data = simulate_homework_study(n_clients=n_clients, n_sessions=n_sessions, seed=5)
    assert len(data["clients"]) == n_clients
    assert len(data["sessions"]) == n_clients * n_sessions
    assert data["sessions"]["session"].between(1, n_sessions).all()


def test_value_ranges(study):
    clients, sessions = study["clients"], study["sessions"]
    assert clients["age"].between(18, 75).all()
    assert clients["baseline_phq9"].between(10, 27).all()
    assert sessions["phq9"].between(0, 27).all()
    assert sessions["in_session_engagement"].between(0, 4).all()
    agreed = sessions.loc[sessions["homework_assigned"]]
    assert agreed["homework_quantity"].between(0, 1).all()
    assert agreed["homework_quality"].between(0, 6).all()
    assert np.allclose(agreed["homework_quality"] % 1, 0), "quality is a whole-point rating"
    assert (agreed.loc[agreed["homework_quantity"] == 0, "homework_quality"] == 0).all()


def test_unassigned_homework_is_missing_not_zero(study):
    sessions = study["sessions"]
    not_agreed = sessions.loc[~sessions["homework_assigned"]]
    assert len(not_agreed) > 0
    assert not_agreed[["therapist_behaviour", "homework_quantity", "homework_quality"]].isna().all().all()
    assert sessions.loc[sessions["homework_assigned"], ["homework_quantity", "homework_quality"]].notna().all().all()
    assert not sessions.loc[sessions["session"] == 12, "homework_assigned"].any(), "no task at the closing session"


def test_every_table_is_labelled_simulated(study):
    for name in TABLES:
        attrs = study[name].attrs
        assert attrs["simulated"] is True
        assert attrs["description"].split()[0] in {"SIMULATED", "INVENTED"}
        assert attrs["seed"] == 2024
        assert attrs["parameters"]["quantity_effect"] == SIMULATION_PARAMETERS["quantity_effect"]["default"]


def test_parameters_are_documented():
    for name, spec in SIMULATION_PARAMETERS.items():
        assert set(spec) == {"default", "description"}, name
        assert isinstance(spec["default"], int | float) and spec["description"].strip(), name
    import course.simulation as module
    for name in SIMULATION_PARAMETERS:
        assert re.search(rf"\b{name}\b", module.__doc__), f"{name} is not explained in the module docstring"


def test_parameters_can_be_overridden_and_unknown_ones_are_refused():
    no_homework = simulate_homework_study(n_clients=20, seed=4, assign_prob=0.0)["sessions"]
    assert not no_homework["homework_assigned"].any()
    assert no_homework["homework_quantity"].isna().all()
    with pytest.raises(TypeError, match="unknown simulation parameter"):
        simulate_homework_study(homework_magic=1.0)
    with pytest.raises(ValueError):
        simulate_homework_study(n_clients=1)


def test_studies_table_has_the_box_score_shape(study):
    studies = study["studies"]
    assert set(studies["outcome_level"]) == {"immediate", "intermediate"}
    assert set(studies["direction"]) <= {"positive", "neutral", "negative", "mixed"}
    share_positive = studies.groupby("outcome_level", observed=True)["direction"].agg(lambda d: (d == "positive").mean())
    assert share_positive["immediate"] < 0.25, "immediate findings should be mostly neutral or mixed"
    assert share_positive["intermediate"] > 0.6, "intermediate findings should be mostly positive"
    pd.testing.assert_frame_equal(studies, simulate_homework_study(seed=99)["studies"])


def test_completion_outcome_correlation_lies_in_the_documented_band():
    low, high = COMPLETION_OUTCOME_BAND
    r = completion_outcome_r(simulate_homework_study(n_clients=20_000, seed=7))
    assert low <= r <= high, f"large-sample r = {r:.3f} is outside the documented band {COMPLETION_OUTCOME_BAND}"


def test_default_sample_correlation_is_positive_and_modest(study):
    r = completion_outcome_r(study)
    assert 0.1 < r < 0.5, f"default-seed r = {r:.3f}"


def test_importing_the_module_does_not_import_pandas():
    code = "import sys, course.simulation; print('pandas' in sys.modules, 'numpy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def behaviour_links(sessions: pd.DataFrame) -> tuple[float, float]:
    """r of therapist_behaviour with in-session engagement and with the share done, over agreed tasks."""
    agreed = sessions.loc[sessions["homework_assigned"]]
    return (agreed["therapist_behaviour"].corr(agreed["in_session_engagement"]),
            agreed["therapist_behaviour"].corr(agreed["homework_quantity"]))


def test_therapist_behaviour_is_a_rating_with_a_therapist_effect(study):
    sessions = study["sessions"].merge(study["clients"][["client_id", "therapist_id"]], on="client_id")
    agreed = sessions.loc[sessions["homework_assigned"]]
    assert agreed["therapist_behaviour"].between(0, 4).all()
    assert np.allclose(agreed["therapist_behaviour"] * 10 % 1, 0), "one decimal"
    by_therapist = agreed.groupby("therapist_id", observed=True)["therapist_behaviour"].mean()
    assert by_therapist.std() > 0.2, "therapists differ in how well they set tasks"
    flat = simulate_homework_study(seed=2024, behaviour_therapist_sd=0.0)["sessions"].merge(
        study["clients"][["client_id", "therapist_id"]], on="client_id")
    flat_means = flat.loc[flat["homework_assigned"]].groupby("therapist_id", observed=True)["therapist_behaviour"].mean()
    assert flat_means.std() < by_therapist.std()


def test_both_outcome_levels_follow_therapist_behaviour_as_in_the_review():
    """Immediate (in-session engagement) weak, intermediate (done by next session) clearly positive."""
    immediate, intermediate = behaviour_links(simulate_homework_study(n_clients=20_000, seed=7)["sessions"])
    low, high = BEHAVIOUR_OUTCOME_BANDS["immediate"]
    assert low <= immediate <= high, f"immediate r = {immediate:.3f}"
    low, high = BEHAVIOUR_OUTCOME_BANDS["intermediate"]
    assert low <= intermediate <= high, f"intermediate r = {intermediate:.3f}"
    assert intermediate > immediate + 0.1


def test_without_behaviour_weights_the_links_vanish():
    immediate, intermediate = behaviour_links(simulate_homework_study(
        n_clients=20_000, seed=7, quantity_behaviour_weight=0.0, engagement_behaviour_weight=0.0)["sessions"])
    assert abs(immediate) < 0.06 and abs(intermediate) < 0.06, (immediate, intermediate)


def test_engagement_is_not_a_cause_of_symptom_change():
    """Engagement is an outcome of behaviour, not a driver of next-session change: no path in the model."""
    sessions = simulate_homework_study(n_clients=20_000, seed=7)["sessions"]
    next_change = sessions["phq9"] - sessions.groupby("client_id", observed=True)["phq9"].shift(-1)
    agreed = sessions["homework_assigned"]
    assert abs(sessions.loc[agreed, "in_session_engagement"].corr(next_change[agreed])) < 0.05
