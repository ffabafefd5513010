"""Per-behaviour cohort reports for instructors, read from nbgrader's gradebook.

A plan exercise has one autograded test cell per checklist behaviour, with grade id
`<exercise>__<checklist id>` and worth that behaviour's points; a review exercise has
`<exercise>__review`. Everything here is about those cells: a trainee's *share* of a behaviour is the
points they earned on it divided by the points available, over every exercise that assessed it
(0 to 1). A trainee *meets* a behaviour at a share of at least `MEETING` (0.75).

Only attempted work counts: a trainee who did not submit, whose grading failed or is not done yet,
or who never saved (or saved unreadable) answers for an exercise is *not assessed* there, never a
score of 0; `submission_statuses` says who is where, from the gradebook's roster and the record
`course grade` keeps (`course.grading_record`).

`write_report` writes, into one folder: `trainee-status.csv` (status, notes and grader version per
trainee), `behaviour-scores.csv` (trainee x behaviour shares), `cohort-rates.csv` (per behaviour),
`heatmap.png`, and `report.html`, a single page that works offline and on its own (the heatmap is
embedded, there are no scripts and no links out).
"""

from __future__ import annotations

import base64
import io
import math
import os
import re
import string
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from course.checklist import ChecklistItem, load_checklist
from course.nbgrader_run import gradebook_url  # noqa: F401  (re-exported for callers of reports)
from course.plans import atomic_write_bytes, atomic_write_text
from course.templating import template_environment

if TYPE_CHECKING:
    import pandas

TEMPLATE = "cohort-report.html.j2"
COLUMNS = ["student", "assignment", "exercise", "behaviour", "score", "max_score"]
STATUS_COLUMNS = ["student", "assignment", "status", "grader_version", "score", "max", "not_attempted",
                  "unreadable", "notes"]
ASSESSED = ("graded", "graded_with_notes")
"""Statuses whose work counts in the behaviour shares."""
STATUS_WORDS = {
    "graded": "graded", "graded_with_notes": "graded with notes", "failed": "grading failed",
    "ungraded": "submitted, not graded yet", "not_submitted": "not submitted",
}
MEETING = 0.75
"""The share of a behaviour's points at which a trainee counts as meeting it."""
COLORMAP = "cividis"
FILES = {
    "status": "trainee-status.csv",
    "scores": "behaviour-scores.csv",
    "rates": "cohort-rates.csv",
    "heatmap": "heatmap.png",
    "disputes": "disputes.csv",
    "html": "report.html",
}
_FULL = 1 - 1e-9


class ReportError(ValueError):
    """The report cannot be made from this gradebook; the message says what to do."""


# -- reading the gradebook ------------------------------------------------------------------------
def behaviour_scores(db_url: str, assignment: str | None = None) -> pandas.DataFrame:
    """Every graded checklist-behaviour cell in the gradebook, one row per trainee and cell.

    Columns: student, assignment, exercise, behaviour (a checklist id), score (nbgrader's final score:
    the manual score where a grader set one, otherwise the autograder's), max_score. Only submissions
    in the gradebook appear, and a cell neither the autograder nor a grader has scored is left out."""
    import pandas as pd
    from nbgrader.api import Gradebook, GradeCell

    from course.assignments import load_course

    _check_gradebook_exists(db_url)
    behaviour_ids = {item.id for item in load_checklist().items}
    rows: list[dict[str, Any]] = []
    with Gradebook(db_url, course_id=load_course().course_id) as gb:
        names = [a.name for a in gb.assignments]
        if assignment is not None:
            names = [name for name in names if name == assignment]
        for name in names:
            for submission in gb.assignment_submissions(name):
                for notebook in submission.notebooks:
                    answer_cells = {cell.name for cell in notebook.notebook.solution_cells}
                    for grade in notebook.grades:
                        cell = grade.cell
                        if not isinstance(cell, GradeCell) or cell.cell_type != "code" or cell.name in answer_cells:
                            continue  # a manually graded answer or a task, not an autograded test
                        exercise, sep, behaviour = cell.name.rpartition("__")
                        if not sep or behaviour not in behaviour_ids:
                            continue
                        if grade.auto_score is None and grade.manual_score is None:
                            continue  # in the gradebook but not graded yet
                        max_score = float(grade.max_score or 0.0)
                        if max_score <= 0:
                            continue
                        rows.append({
                            "student": submission.student_id,
                            "assignment": name,
                            "exercise": exercise,
                            "behaviour": behaviour,
                            "score": float(grade.score),
                            "max_score": max_score,
                        })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["score"] = frame["score"].astype(float)
    frame["max_score"] = frame["max_score"].astype(float)
    order = _order()
    frame["_order"] = frame["behaviour"].map(order)
    frame = frame.sort_values(["student", "assignment", "exercise", "_order"], kind="stable")
    return frame.drop(columns="_order").reset_index(drop=True)


def _check_gradebook_exists(db_url: str) -> None:
    """Refuse a sqlite URL whose file is missing (opening it would create an empty gradebook)."""
    prefix = "sqlite:///"
    if not db_url.startswith(prefix):
        return
    path = db_url[len(prefix):].split("?", 1)[0]
    if path and path != ":memory:" and not Path(path).exists():
        raise ReportError(
            f"There is no gradebook at {path}. Run `python -m course grade ASSIGNMENT` first "
            "(from the course folder); it creates the gradebook."
        )


def submission_statuses(db_url: str, assignment: str | None = None,
                        course_root: str | os.PathLike[str] | None = None) -> pandas.DataFrame:
    """One row per trainee on the gradebook's roster and assignment (columns `STATUS_COLUMNS`).

    With the course folder, the status and notes come from `course grade`'s record and a collected
    submission it has not graded (yet, or since it changed) is `ungraded`; without it, a submission
    in the gradebook is `graded`. A trainee with neither is `not_submitted`."""
    import pandas as pd
    from nbgrader.api import Gradebook

    from course.assignments import load_course
    from course.cohort_grading import collected, submission_stamp
    from course.grading_record import load_record

    _check_gradebook_exists(db_url)
    rows = []
    with Gradebook(db_url, course_id=load_course().course_id) as gb:
        students = sorted(s.id for s in gb.students)
        names = [a.name for a in gb.assignments if assignment is None or a.name == assignment]
        for name in names:
            in_gradebook = {sub.student_id: sub for sub in gb.assignment_submissions(name)}
            maximum = float(gb.find_assignment(name).max_score or 0.0)
            root = Path(course_root) if course_root is not None else None
            record = load_record(root, name) if root is not None else {}
            handed_in = set(collected(root, name)) if root is not None else set(in_gradebook)
            for student in sorted(set(students) | handed_in):
                rows.append(_status_row(student, name, maximum, record.get(student),
                                        in_gradebook.get(student), student in handed_in,
                                        submission_stamp(root, name, student) if root and student in handed_in else ""))
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)


def _status_row(student: str, assignment: str, maximum: float, entry, submission, handed_in: bool,
                stamp: str) -> dict[str, Any]:
    row = {"student": student, "assignment": assignment, "status": "not_submitted", "grader_version": "",
           "score": None, "max": maximum, "not_attempted": "", "unreadable": "", "notes": ""}
    if not handed_in and submission is None:
        return row
    if entry is not None and (not stamp or entry.stamp == stamp):
        row.update(status=entry.status, grader_version=entry.grader_version, score=entry.score,
                   notes="; ".join(entry.notes),
                   not_attempted=" ".join(e for e, state in entry.exercises.items() if state == "missing"),
                   unreadable=" ".join(e for e, state in entry.exercises.items() if state == "unreadable"))
    elif entry is None and submission is not None:
        row.update(status="graded", score=float(submission.score),
                   notes="" if not stamp else "graded outside `course grade` (no notes, deleted cells not put back)")
    else:
        row.update(status="ungraded", notes=f"collected but not graded: run python -m course grade {assignment}")
    return row


def assessed_only(df: pandas.DataFrame, statuses: pandas.DataFrame) -> pandas.DataFrame:
    """The behaviour rows of attempted, graded work only: rows of trainees not graded (failed,
    ungraded, not submitted) and of exercises never attempted or unreadable are left out."""
    if statuses.empty or df.empty:
        return df
    graded = statuses[statuses["status"].isin(ASSESSED)]
    keep_pairs = set(zip(graded["student"], graded["assignment"], strict=True))
    skipped = {(r.student, r.assignment, exercise) for r in graded.itertuples()
               for exercise in f"{r.not_attempted} {r.unreadable}".split()}
    keep = [(s, a) in keep_pairs and (s, a, e) not in skipped
            for s, a, e in zip(df["student"], df["assignment"], df["exercise"], strict=True)]
    return df[keep].reset_index(drop=True)


# -- pure functions over the scores ---------------------------------------------------------------
@lru_cache(maxsize=1)
def _order() -> dict[str, int]:
    return {item.id: index for index, item in enumerate(load_checklist().items)}


def _item(behaviour: str) -> ChecklistItem:
    return load_checklist().item(behaviour)


def trainee_matrix(df: pandas.DataFrame) -> pandas.DataFrame:
    """Trainees (rows, sorted) by the behaviours assessed (columns, checklist order): share of points
    earned, 0 to 1, NaN where that trainee was never assessed on that behaviour."""
    import pandas as pd

    if df.empty:
        return pd.DataFrame(index=pd.Index([], name="student"), columns=pd.Index([], name="behaviour"), dtype=float)
    sums = df.groupby(["student", "behaviour"])[["score", "max_score"]].sum()
    share = (sums["score"] / sums["max_score"]).clip(lower=0.0, upper=1.0)
    matrix = share.unstack("behaviour")
    order = _order()
    columns = sorted(matrix.columns, key=lambda b: order[b])
    matrix = matrix.reindex(columns=columns).sort_index().astype(float)
    matrix.index.name = "student"
    matrix.columns.name = "behaviour"
    return matrix


def cohort_rates(df: pandas.DataFrame) -> pandas.DataFrame:
    """Per behaviour assessed (index, checklist order): its name, the trainees' mean share
    (`mean_share`), how many trainees were assessed on it (`trainees`), and the share of those
    trainees who meet it, at least 0.75 (`share_meeting`)."""
    import pandas as pd

    matrix = trainee_matrix(df)
    counts = matrix.count()
    rates = pd.DataFrame({
        "name": [_item(b).name for b in matrix.columns],
        "mean_share": matrix.mean(),
        "trainees": counts.astype(int),
        "share_meeting": (matrix >= MEETING).sum() / counts.where(counts > 0),
    }, index=matrix.columns)
    rates.index.name = "behaviour"
    return rates


def hardest(df: pandas.DataFrame, n: int = 3) -> pandas.DataFrame:
    """The n behaviours with the lowest mean share (ties: fewer trainees meeting, then checklist
    order), as rows of `cohort_rates`; behaviours every trainee fully met are never among them."""
    rates = cohort_rates(df)
    rates = rates[rates["mean_share"] < _FULL]
    order = _order()
    ranked = rates.assign(_order=[order[b] for b in rates.index]).sort_values(
        ["mean_share", "share_meeting", "_order"], kind="stable"
    )
    return ranked.drop(columns="_order").head(max(n, 0))


def next_steps(df: pandas.DataFrame, student: str, n: int = 3) -> list[str]:
    """What this trainee should work on next: one sentence per weakest behaviour (lowest share, then
    most points lost, then checklist order) with a next step worded from the checklist; a trainee
    with full points on everything assessed gets one sentence saying so."""
    mine = df[df["student"] == student]
    if mine.empty:
        raise KeyError(f"no graded checklist behaviours for trainee {student!r}")
    row = trainee_matrix(mine).loc[student].dropna()
    weak = row[row < _FULL]
    if weak.empty:
        count = len(row)
        return [
            f"Full points on all {count} behaviour{'s' if count != 1 else ''} assessed so far: "
            "keep planning this way, and hold the same standard on the next cases."
        ]
    sums = mine.groupby("behaviour")[["score", "max_score"]].sum()
    lost = sums["max_score"] - sums["score"]
    order = _order()
    ranked = sorted(weak.index, key=lambda b: (weak[b], -lost[b], order[b]))[: max(n, 0)]
    return [_step_sentence(mine, behaviour, weak[behaviour]) for behaviour in ranked]


def _step_sentence(mine: pandas.DataFrame, behaviour: str, share: float) -> str:
    item = _item(behaviour)
    rows = mine[mine["behaviour"] == behaviour]
    per_exercise = rows.groupby("exercise")[["score", "max_score"]].sum()
    where = ""
    if len(per_exercise) > 1:
        shares = per_exercise["score"] / per_exercise["max_score"]
        lowest = sorted(shares.index[shares <= shares.min() + 1e-9])
        if len(lowest) == len(shares):
            where = " in both exercises" if len(shares) == 2 else f" in all {len(shares)} exercises"
        else:
            where = f", lowest in {' and '.join(lowest)}"
    return f"{item.name}: {percent(share)} of the points{where}. {general_next_step(item)}"


_FIELD = re.compile(r"\{(\w+)\}")
_EXAMPLE = re.compile(r"\s*\((?:e\.g\.|for example)[^()]*\{\w+\}[^()]*\)")
_EXAMPLE_CLAUSE = re.compile(r",\s*e\.g\.[^,]*\{\w+\}[^,]*,")
_SUFFIX = re.compile(r"(?<=\w)\{\w+\}")


def general_next_step(item: ChecklistItem) -> str:
    """The checklist's next step for a behaviour that is missing, without the details of one case
    (examples from a case are dropped and the client is "the client"); where that wording is all
    case detail, what a plan must contain for the behaviour."""
    text = item.text_for("missing").next_step
    text = _EXAMPLE.sub("", text)
    text = _EXAMPLE_CLAUSE.sub(",", text)
    text = text.replace("{name}'s", "the client's").replace("{name}", "the client")
    text = _SUFFIX.sub("", text)
    fields = [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
    if fields or len(_FIELD.sub("", text).strip(" .")) < 12:
        need = item.plan_must_contain.strip()
        if need[:1].isupper() and not need[1:2].isupper():
            need = need[:1].lower() + need[1:]
        return f"Make sure the plan shows {need}"
    return text.strip()


def percent(share: float) -> str:
    """A share as a whole percentage ("75%"); "not assessed" for NaN."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "not assessed"
    return f"{math.floor(float(share) * 100 + 0.5):d}%"


def status_word(share: float) -> str:
    """A share in words, so no table needs colour to be read."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "not assessed"
    if share >= _FULL:
        return "met in full"
    if share >= MEETING:
        return "mostly met"
    if share >= 0.25:
        return "partly met"
    return "not yet met"


# -- the heatmap ----------------------------------------------------------------------------------
def heatmap_png(matrix: pandas.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Draw trainees x behaviours as a heatmap PNG (values printed in every cell, a labelled colour
    bar, a colour-blind-safe sequential colormap) and write it atomically; returns the path."""
    import textwrap

    import numpy as np
    from matplotlib import colormaps
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    path = Path(path)
    rows, cols = matrix.shape
    if rows == 0 or cols == 0:
        raise ReportError("There are no scores to draw: the heatmap needs at least one trainee and one behaviour.")
    values = matrix.to_numpy(dtype=float)
    labels = [textwrap.fill(_item(b).name, 22) if b in _order() else str(b) for b in matrix.columns]
    width = max(7.0, 0.82 * cols + 3.6)
    height = max(3.6, 0.36 * rows + 3.0)
    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    cmap = colormaps[COLORMAP].with_extremes(bad="#ffffff")
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=0.0, vmax=1.0, aspect="auto",
                      interpolation="nearest")
    ax.set_xticks(range(cols), labels, rotation=40, ha="right", rotation_mode="anchor", fontsize=8)
    ax.set_yticks(range(rows), [str(s) for s in matrix.index], fontsize=8)
    ax.set_xticks([x - 0.5 for x in range(1, cols)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, rows)], minor=True)
    ax.grid(which="minor", color="#ffffff", linewidth=1.2)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("Checklist behaviour")
    ax.set_ylabel("Trainee")
    ax.set_title("Share of each behaviour's points earned (a dash: not assessed)", fontsize=10)
    for y in range(rows):
        for x in range(cols):
            value = values[y, x]
            if math.isnan(value):
                ax.text(x, y, "–", ha="center", va="center", fontsize=8, color="#444444")
                continue
            red, green, blue, _ = cmap(value)
            dark = 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.5
            ax.text(x, y, percent(value), ha="center", va="center", fontsize=8,
                    color="#ffffff" if dark else "#000000")
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label("Share of the points earned (0% to 100%)")
    bar.set_ticks([0, 0.25, 0.5, 0.75, 1.0], labels=["0%", "25%", "50%", "75%", "100%"])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    atomic_write_bytes(path, buffer.getvalue())
    return path


# -- the report -----------------------------------------------------------------------------------
def _anchor(index: int, student: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", student.lower()).strip("-")
    return f"trainee-{index + 1}" + (f"-{slug}" if slug else "")


def render_report(df: pandas.DataFrame, heatmap: bytes, *, title: str, course_title: str,
                  generated: str, statuses: pandas.DataFrame | None = None,
                  disputes: list[dict[str, str]] | None = None) -> str:
    """The cohort report as one HTML document (the heatmap PNG embedded). `df` holds attempted,
    graded work only; `statuses` (from `submission_statuses`) says who and what is not in it."""
    import pandas as pd

    statuses = statuses if statuses is not None else pd.DataFrame(columns=STATUS_COLUMNS)
    matrix = trainee_matrix(df)
    rates = cohort_rates(df)
    hard = hardest(df)
    behaviours = [{"id": b, "name": _item(b).name, "points": _item(b).weight} for b in matrix.columns]
    rate_rows = [
        {
            "name": r["name"], "mean": percent(r.mean_share),
            "status": status_word(r.mean_share), "trainees": int(r.trainees),
            "meeting": f"{round(r.share_meeting * r.trainees):d} of {int(r.trainees)} ({percent(r.share_meeting)})",
        }
        for b, r in rates.iterrows()
    ]
    hard_rows = [
        {"rank": rank, "name": r["name"], "mean": percent(r.mean_share),
         "meeting": f"{round(r.share_meeting * r.trainees):d} of {int(r.trainees)}",
         "step": general_next_step(_item(b))}
        for rank, (b, r) in enumerate(hard.iterrows(), start=1)
    ]
    totals = df.groupby("student")[["score", "max_score"]].sum()
    everyone = sorted(set(matrix.index) | set(statuses["student"]))
    trainees = []
    for index, student in enumerate(everyone):
        mine = statuses[statuses["student"] == student]
        entry = {"id": str(student), "anchor": _anchor(index, str(student)), "assessed": student in matrix.index,
                 "statuses": [_status_text(r) for r in mine.itertuples()]}
        if entry["assessed"]:
            row = matrix.loc[student]
            entry.update(
                overall=percent(totals.loc[student, "score"] / totals.loc[student, "max_score"]),
                exercises=", ".join(sorted(df.loc[df["student"] == student, "exercise"].unique())),
                rows=[{"name": b["name"], "share": percent(row[b["id"]]), "status": status_word(row[b["id"]])}
                      for b in behaviours],
                steps=next_steps(df, student),
            )
        trainees.append(entry)
    matrix_rows = [
        {"id": str(student), "cells": [percent(matrix.loc[student, b["id"]]) for b in behaviours]}
        for student in matrix.index
    ]
    alt = (
        f"Heatmap of {len(matrix.index)} trainees (rows) by {len(behaviours)} checklist behaviours (columns); "
        "each cell shows the share of that behaviour's points the trainee earned, darker for lower shares. "
        "The same numbers are in the table under the heatmap and in each trainee's section."
    )
    versions = sorted({v for v in statuses["grader_version"] if v})
    return template_environment().get_template(TEMPLATE).render(
        title=title,
        course_title=course_title,
        generated=generated,
        assignments=sorted(df["assignment"].unique()),
        trainee_count=len(matrix.index),
        roster_count=len(everyone),
        behaviours=behaviours,
        meeting=percent(MEETING),
        rates=rate_rows,
        hardest=hard_rows,
        heatmap_src="data:image/png;base64," + base64.b64encode(heatmap).decode("ascii"),
        heatmap_alt=alt,
        matrix_rows=matrix_rows,
        trainees=trainees,
        not_assessed=not_assessed(statuses),
        grader_versions=versions,
        disputes=disputes or [],
    )


def _status_text(row) -> str:
    text = f"{row.assignment}: {STATUS_WORDS.get(row.status, row.status)}"
    if row.grader_version:
        text += f" (grader {row.grader_version})"
    return text + (f". {row.notes}" if row.notes else "")


def not_assessed(statuses: pandas.DataFrame) -> list[dict[str, str]]:
    """Who is not in the numbers and why, failed first, then not graded yet, not submitted, and
    exercises not attempted or unreadable."""
    rank = {"failed": 0, "ungraded": 1, "not_submitted": 2}
    out = []
    for r in sorted(statuses.itertuples(), key=lambda r: (rank.get(r.status, 3), r.student, r.assignment)):
        if r.status in rank:
            reason = r.notes.split("; ")[0] if r.status == "failed" else r.notes if r.status == "ungraded" else ""
            out.append({"student": r.student, "assignment": r.assignment, "what": STATUS_WORDS[r.status],
                        "why": reason})
        for field, word in (("unreadable", "answers unreadable"), ("not_attempted", "not attempted")):
            if getattr(r, field) and r.status in ASSESSED:
                out.append({"student": r.student, "assignment": r.assignment,
                            "what": f"{word}: {', '.join(getattr(r, field).split())}", "why": ""})
    return out


BEHAVIOUR_KINDS = ("plan", "review")


def check_has_behaviour_cells(assignment: str | None) -> None:
    """Raise ReportError for a course module with no plan or review exercise (nothing per behaviour)."""
    from course.assignments import load_course

    modules = {a.id: a for a in load_course().assignments}
    if assignment not in modules:
        return
    kinds = sorted({e.kind for e in modules[assignment].exercises})
    if not set(kinds) & set(BEHAVIOUR_KINDS):
        with_cells = ", ".join(a.id for a in modules.values()
                               if {e.kind for e in a.exercises} & set(BEHAVIOUR_KINDS))
        raise ReportError(
            f"Module {assignment} has no behaviour cells (its exercises are {', '.join(kinds) or 'none'}), so "
            f"there is no per-behaviour report for it. Its scores are in the formgrader and in `nbgrader export`; "
            f"behaviour reports exist for {with_cells}."
        )


def _disputes(course_root, assignment: str | None) -> pandas.DataFrame:
    import pandas as pd

    from course.disputes import COLUMNS, cohort_disputes

    rows = cohort_disputes(course_root, assignment) if course_root is not None else []
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame.insert(4, "behaviour_name", [_item(b).name if b in _order() else b for b in frame["behaviour"]])
    return frame


def write_report(
    db_url: str,
    out_dir: str | os.PathLike[str],
    assignment: str | None = None,
    course_title: str = "Between Sessions",
    course_root: str | os.PathLike[str] | None = None,
) -> dict[str, Path]:
    """Write the cohort report for one assignment (or all) into out_dir and return the files by
    kind: "status", "scores", "rates", "heatmap", "disputes", "html". With the course folder, statuses and notes
    come from `course grade`'s record. Raises ReportError when a module has no behaviour cells or the
    gradebook holds no graded, attempted checklist behaviours for it."""
    check_has_behaviour_cells(assignment)
    statuses = submission_statuses(db_url, assignment, course_root)
    df = assessed_only(behaviour_scores(db_url, assignment), statuses)
    if df.empty:
        which = f"assignment {assignment!r}" if assignment else "any assignment"
        command = f"python -m course grade {assignment}" if assignment else "python -m course grade ASSIGNMENT"
        counts = statuses["status"].value_counts()
        told = ", ".join(f"{counts[k]} {STATUS_WORDS[k]}" for k in STATUS_WORDS if k in counts)
        raise ReportError(
            f"The gradebook has no autograded checklist behaviours for {which}: run `{command}` first "
            f"(only plan and review exercises are scored per behaviour){'; trainees: ' + told if told else ''}."
        )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {kind: out / name for kind, name in FILES.items()}
    atomic_write_text(paths["status"], statuses.to_csv(index=False, lineterminator="\n"))
    matrix = trainee_matrix(df)
    atomic_write_text(paths["scores"], matrix.to_csv(float_format="%.2f", na_rep="", lineterminator="\n"))
    rates = cohort_rates(df)
    rates["not_assessed"] = statuses["student"].nunique() - rates["trainees"] if not statuses.empty else 0
    atomic_write_text(paths["rates"], rates.to_csv(float_format="%.2f", na_rep="", lineterminator="\n"))
    heatmap_png(matrix, paths["heatmap"])
    disputes = _disputes(course_root, assignment)
    atomic_write_text(paths["disputes"], disputes.to_csv(index=False, lineterminator="\n"))
    title = f"Cohort report: {assignment}" if assignment else "Cohort report: all assignments"
    html = render_report(
        df, paths["heatmap"].read_bytes(), title=title, course_title=course_title,
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"), statuses=statuses,
        disputes=disputes.to_dict("records"),
    )
    atomic_write_text(paths["html"], html)
    return paths
