"""Module 06's visible right/wrong: each code task's answer compared with the value the notebook's
own tables give, with a hint when it is not yet right. Pure functions over the simulated tables."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

TOLERANCE = 1e-6
EXERCISE = "06-code-tasks"
TASK_POINTS = {1: 2, 2: 1, 3: 1, 4: 1, 5: 2, 6: 2}
# Each task's check as module 06's check cell calls it, with {data} for the tables it compares with
# (tools/module_notebook.py writes the check cells from this table).
TASK_CHECKS = {
    1: "check_completion_rate(completion_rate_by_client, {data})",
    2: "check_quantity_quality(quantity_quality_corr, {data})",
    3: "check_improvement(improvement_by_client, {data})",
    4: "check_completion_outcome(completion_outcome_corr, {data}, completion_rate_by_client, improvement_by_client)",
    5: "check_box_score(box_score, {data})",
    6: "check_next_session(engagement_next_corr, quantity_next_corr, {data})",
}


@dataclass(frozen=True)
class TaskCheck:
    """One task's verdict: correct or not, and what to try next."""

    task: int
    correct: bool
    hint: str

    @property
    def message(self) -> str:
        if self.correct:
            return f"✔ Task {self.task}: correct."
        return f"✘ Task {self.task}: not yet. {self.hint}"


def _agreed(sessions: pd.DataFrame) -> pd.DataFrame:
    return sessions.loc[sessions["homework_assigned"]]


def _improvement(data: dict[str, pd.DataFrame]) -> pd.Series:
    sessions = data["sessions"]
    last = sessions.loc[sessions["session"] == sessions["session"].max()].set_index("client_id")["phq9"]
    return data["clients"].set_index("client_id")["baseline_phq9"] - last


def _same_series(yours: Any, expected: pd.Series) -> bool:
    if not isinstance(yours, pd.Series) or set(yours.index) != set(expected.index):
        return False
    diff = (yours.reindex(expected.index).astype(float) - expected.astype(float)).abs()
    return bool(diff.notna().all() and (diff < TOLERANCE).all())


def _series_problem(name: str, yours: Any, expected: pd.Series) -> str:
    """What is wrong with the shape of an answer that should be one value per client ('' if nothing)."""
    if not isinstance(yours, pd.Series):
        return f"{name} should be a pandas Series, one value per client, not a {type(yours).__name__}."
    if set(yours.index) != set(expected.index):
        return (f"Index {name} by client_id, one value for each of the {len(expected)} clients "
                f"(yours has {len(yours)} values).")
    if yours.isna().any():
        return f"{name} has missing values: did both sides share the client_id index?"
    return ""


def _number_problem(name: str, yours: Any) -> str:
    """What is wrong with an answer that should be one number ('' if nothing)."""
    if isinstance(yours, (pd.Series, pd.DataFrame)):
        return f"{name} should be a single number (wrap it in float(...)), not a table."
    try:
        value = float(yours)
    except (TypeError, ValueError):
        return f"{name} should be a single number (wrap it in float(...))."
    if value != value:
        return f"{name} is nan: the two columns you correlated had no rows in common."
    return ""


def _same_number(yours: Any, expected: float) -> bool:
    try:
        return abs(float(yours) - float(expected)) < TOLERANCE
    except (TypeError, ValueError):
        return False


def check_completion_rate(yours: Any, data: dict[str, pd.DataFrame]) -> TaskCheck:
    expected = _agreed(data["sessions"]).groupby("client_id", observed=True)["homework_quantity"].mean()
    return TaskCheck(1, _same_series(yours, expected),
                     _series_problem("completion_rate_by_client", yours, expected) or "Average homework_quantity over the sessions where a task was agreed only; sessions "
                     "with no task agreed are left out, not counted as 0.")


def check_quantity_quality(yours: Any, data: dict[str, pd.DataFrame]) -> TaskCheck:
    agreed = _agreed(data["sessions"])
    expected = agreed["homework_quantity"].corr(agreed["homework_quality"])
    return TaskCheck(2, _same_number(yours, expected),
                     _number_problem("quantity_quality_corr", yours) or "Correlate homework_quantity with homework_quality (Pearson) over agreed tasks.")


def check_improvement(yours: Any, data: dict[str, pd.DataFrame]) -> TaskCheck:
    expected = _improvement(data)
    return TaskCheck(3, _same_series(yours, expected),
                     _series_problem("improvement_by_client", yours, expected) or "Take each client's PHQ-9 at the last session away from baseline_phq9 (intake minus last).")


def check_completion_outcome(yours: Any, data: dict[str, pd.DataFrame], rate: Any = None,
                             improvement: Any = None) -> TaskCheck:
    sessions = data["sessions"]
    expected = _agreed(sessions).groupby("client_id", observed=True)["homework_quantity"].mean().corr(
        _improvement(data))
    from_yours = rate.corr(improvement) if isinstance(rate, pd.Series) and isinstance(improvement, pd.Series) else None
    ok = _same_number(yours, expected) or (from_yours is not None and _same_number(yours, from_yours))
    return TaskCheck(4, ok, _number_problem("completion_outcome_corr", yours) or "Correlate completion_rate_by_client with improvement_by_client, one pair per client.")


def check_box_score(yours: Any, data: dict[str, pd.DataFrame]) -> TaskCheck:
    expected = data["studies"].groupby(["outcome_level", "direction"], observed=True).size()
    ok = isinstance(yours, pd.DataFrame) and all(
        level in yours.index and direction in yours.columns and yours.loc[level, direction] == n
        for (level, direction), n in expected.items()
    ) and int(yours.to_numpy().sum()) == int(expected.sum())
    shape = "" if isinstance(yours, pd.DataFrame) else (
        f"box_score should be a DataFrame of counts (pd.crosstab returns one), not a {type(yours).__name__}.")
    return TaskCheck(5, bool(ok), shape or "Count the findings in studies with outcome_level as rows and direction as "
                                  "columns (pd.crosstab does this), each finding once.")


def check_next_session(engagement: Any, quantity: Any, data: dict[str, pd.DataFrame]) -> TaskCheck:
    sessions = data["sessions"]
    next_change = sessions["phq9"] - sessions.groupby("client_id", observed=True)["phq9"].shift(-1)
    agreed = sessions["homework_assigned"]
    ok = (_same_number(engagement, sessions.loc[agreed, "in_session_engagement"].corr(next_change[agreed]))
          and _same_number(quantity, sessions.loc[agreed, "homework_quantity"].corr(next_change[agreed])))
    shape = _number_problem("engagement_next_corr", engagement) or _number_problem("quantity_next_corr", quantity)
    return TaskCheck(6, ok, shape or "For agreed tasks, correlate in_session_engagement and homework_quantity with this "
                            "session's PHQ-9 minus the next session's.")


def record(result: TaskCheck, folder: str | os.PathLike[str] | None = None) -> Path:
    """Keep the latest verdict per task in `answers/06-code-tasks.json` (the progress page reads it)."""
    from course.answers import answers_path
    from course.plans import atomic_write_text

    path = answers_path(EXERCISE, folder)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        tasks = {str(k): bool(v) for k, v in data.get("tasks", {}).items()}
    except (OSError, ValueError, AttributeError):
        tasks = {}
    tasks[str(result.task)] = result.correct
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps({"schema_version": 1, "tasks": tasks}, indent=2, sort_keys=True))
    return path


def points_from(data: dict[str, Any]) -> tuple[float, int]:
    """(points for the tasks whose latest check was correct, points available) from the saved verdicts."""
    tasks = data.get("tasks", {}) if isinstance(data, dict) else {}
    earned = sum(TASK_POINTS.get(int(k), 0) for k, ok in tasks.items() if ok and str(k).isdigit())
    return float(earned), sum(TASK_POINTS.values())


def show(result: TaskCheck) -> None:
    """Print the verdict where the trainee sees it and keep it for the progress page (not under
    nbgrader); a wrong answer also fails the check cell."""
    from course.answers import headless

    print(result.message)
    if not headless():
        try:
            record(result)
        except OSError:
            print("(The result could not be saved for the progress page; the check itself is unaffected.)")
    if not result.correct:
        raise AssertionError(result.message)
