"""`python -m course grade ASSIGNMENT`: autograde a cohort's collected submissions in parallel.

One worker process per core runs nbgrader's own Autograde (through its Python API) on one submission
at a time, so results land in the same gradebook the formgrader reads. Before anything runs, the
assignment must be in the gradebook. Every submission's untouched copy is kept (one per submission
timestamp), cells a trainee deleted are put back from the release (nbgrader restores edited locked
cells itself, but not deleted ones), and every trainee ends with a status and notes saying what the
grade rests on (`course.grading_record`). Ctrl-C stops queued work and lets the submissions in flight
finish (a second Ctrl-C abandons them and takes them out of the gradebook); a rerun resumes.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from course.grading_notes import (
    add_notes_cell,
    answers_notes,
    assignment_fix,
    edited_cells_note,
    edited_in_submission,
    edited_locked_cells,
    failure_reason,
    flagged_cells,
    manual_note,
    review_flags,
)
from course.grading_record import STATE_DIR, TraineeGrade, load_record, save_record
from course.plans import atomic_write_bytes, atomic_write_text


@dataclass
class GradeOutcome:
    """What happened to one trainee's submission in this run."""

    grade: TraineeGrade
    seconds: float = 0.0
    skipped: bool = False
    restored_cells: int = 0
    reason: str = ""

    @property
    def student(self) -> str:
        return self.grade.student

    @property
    def status(self) -> str:
        return self.grade.status

    @property
    def notes(self) -> list[str]:
        return self.grade.notes

    @property
    def ok(self) -> bool:
        """False only when grading failed."""
        return self.grade.status != "failed"


class GradingInterrupted(Exception):
    """Ctrl-C stopped the run: `outcomes` were finished (or abandoned), `left` were never started."""

    def __init__(self, outcomes: list[GradeOutcome], left: list[str], abandoned: list[str]):
        super().__init__("grading interrupted")
        self.outcomes, self.left, self.abandoned = outcomes, left, abandoned


# -- the submissions ------------------------------------------------------------------------------
def collected(root: Path, assignment: str) -> list[str]:
    """Students with a collected submission of this assignment, sorted."""
    base = root / "submitted"
    if not base.exists():
        return []
    return sorted(p.name for p in base.iterdir() if (p / assignment).is_dir())


def submission_stamp(root: Path, assignment: str, student: str) -> str:
    """The submission's timestamp.txt (nbgrader's), or the newest file time when there is none."""
    folder = root / "submitted" / student / assignment
    stamp = folder / "timestamp.txt"
    if stamp.exists():
        return stamp.read_text().strip()
    newest = max((p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()), default=0)
    return f"mtime:{newest}"


def load_state(root: Path, assignment: str) -> dict[str, str]:
    """Which submissions (student -> submission stamp) are already graded."""
    return {s: g.stamp for s, g in load_record(root, assignment).items() if g.graded}


def original_folder(root: Path, assignment: str, student: str, stamp: str) -> Path:
    """Where the untouched copy of one submission (one per submission timestamp) is kept."""
    slug = re.sub(r"[^0-9A-Za-z.]+", "-", stamp).strip("-") or "unstamped"
    return root / STATE_DIR / "originals" / student / assignment / slug


def keep_original(root: Path, assignment: str, student: str, stamp: str) -> Path:
    """Copy the submission, untouched, aside once per submission timestamp; returns the copy's folder."""
    keep = original_folder(root, assignment, student, stamp)
    if not keep.exists():
        partial = keep.with_name(keep.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(root / "submitted" / student / assignment, partial)
        os.replace(partial, keep)
    return keep


# -- repairing deleted cells ----------------------------------------------------------------------
def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def restore_deleted_cells(submitted: Path, release: Path) -> int:
    """Put back, in place, every nbgrader cell of the release that the submission no longer has.

    Returns how many cells were restored (0 leaves the file untouched)."""
    import nbformat

    theirs = nbformat.read(submitted, as_version=4)
    master = nbformat.read(release, as_version=4)
    have = {_grade_id(c) for c in theirs.cells if _grade_id(c)}
    order = [c for c in master.cells if _grade_id(c)]
    missing = [c for c in order if _grade_id(c) not in have]
    if not missing:
        return 0
    rank = {_grade_id(c): i for i, c in enumerate(order)}
    cells, placed = [], set()
    for cell in theirs.cells:
        gid = _grade_id(cell)
        if gid in rank:
            for earlier in order[: rank[gid]]:
                if _grade_id(earlier) not in have and _grade_id(earlier) not in placed:
                    cells.append(earlier)
                    placed.add(_grade_id(earlier))
        cells.append(cell)
    cells += [c for c in missing if _grade_id(c) not in placed]
    theirs.cells = cells
    atomic_write_text(submitted, nbformat.writes(theirs))
    return len(missing)


def _repair(root: Path, assignment: str, student: str, kept: Path) -> int:
    """Start each notebook from the submission's untouched copy and put deleted cells back, so every
    regrade of the same submission rests on the same repair."""
    folder = root / "submitted" / student / assignment
    restored = 0
    for released in sorted((root / "release" / assignment).glob("*.ipynb")):
        submitted = folder / released.name
        if (kept / released.name).exists():
            atomic_write_bytes(submitted, (kept / released.name).read_bytes())
        if submitted.exists():
            restored += restore_deleted_cells(submitted, released)
    return restored


# -- the gradebook --------------------------------------------------------------------------------
def _gradebook(root: Path):
    from nbgrader.api import Gradebook

    from course.assignments import load_course
    from course.nbgrader_run import gradebook_url

    return Gradebook(gradebook_url(root), course_id=load_course().course_id)


def check_gradebook(root: Path, assignment: str) -> None:
    """Raise ValueError with the one fixing command unless the assignment is in the gradebook."""
    from nbgrader.api import MissingEntry

    from course.nbgrader_run import gradebook_url

    url = gradebook_url(root)
    missing_file = url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):].split("?")[0]).exists()
    if not missing_file:
        with _gradebook(root) as gb:
            try:
                if gb.find_assignment(assignment).notebooks:
                    return
            except MissingEntry:
                pass
    raise ValueError(f"assignment {assignment} is not in the gradebook, so nbgrader cannot grade it "
                     f"(nbgrader: {missing_assignment_line(assignment)}; released without generate_assignment?). "
                     f"Fix: {assignment_fix(assignment)}")


def missing_assignment_line(assignment: str) -> str:
    """nbgrader's own words (its Autograde.init_assignment) for an assignment missing from the gradebook."""
    return f"No assignment with ID '{assignment}' exists in the database"


def roster(root: Path) -> list[str]:
    """Every trainee in the gradebook (imported roster and everyone graded so far)."""
    with _gradebook(root) as gb:
        return sorted(s.id for s in gb.students)


def remove_half_graded(root: Path, assignment: str, students: list[str]) -> list[str]:
    """Take out of the gradebook (and autograded/) any of these submissions with an autograded cell
    that has no score, which only an interrupted grading leaves; returns who was taken out."""
    from nbgrader.api import MissingEntry

    removed = []
    with _gradebook(root) as gb:
        for student in students:
            try:
                submission = gb.find_submission(assignment, student)
            except MissingEntry:
                continue
            grades = [g for nb in submission.notebooks for g in nb.grades]
            if any(g.auto_score is None and g.manual_score is None and g.cell.cell_type == "code" for g in grades):
                gb.remove_submission(assignment, student)
                removed.append(student)
    for student in removed:
        shutil.rmtree(root / "autograded" / student / assignment, ignore_errors=True)
    return removed


# -- the workers ----------------------------------------------------------------------------------
_API = None
_URL = ""


def _worker_start(root: str, timeout: float | None) -> None:
    """Per worker: ignore Ctrl-C (the parent decides), load the course's nbgrader config once."""
    global _API, _URL
    from functools import lru_cache

    import nbgrader.api
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from course.nbgrader_run import course_config, gradebook_url

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.chdir(root)
    # Kernels inherit this process's stderr; their start-up warnings go to a log, not over the progress bar.
    log = Path(root) / STATE_DIR / "workers.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    os.dup2(os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644), 2)
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    # nbgrader asks the alembic command for the schema version on every gradebook open; it cannot
    # change while we grade, so ask once per worker.
    nbgrader.api.get_alembic_version = lru_cache(maxsize=1)(nbgrader.api.get_alembic_version)
    config = course_config(Path(root))
    config.CourseDirectory.root = root
    url = gradebook_url(root, config)
    if url.startswith("sqlite") and "timeout=" not in url:
        url += ("&" if "?" in url else "?") + "timeout=120"  # wait for the other worker's write
    config.CourseDirectory.db_url = _URL = url
    if timeout is not None:
        config.Execute.timeout = timeout
        config.ExecutePreprocessor.timeout = timeout
    _API = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def _grade_in_worker(assignment: str, student: str, expected: list[str]) -> dict:
    """Autograde one submission; returns ok, seconds, and either the failure reason or the notes,
    score and max read back from the gradebook."""
    start = time.perf_counter()
    result = _API.autograde(assignment, student, force=True, create=True)
    seconds = time.perf_counter() - start
    log = result.get("log", "")
    if not result.get("success"):
        return {"ok": False, "seconds": seconds, "reason": failure_reason(log, result.get("error", ""), assignment, expected, student)}
    folder = Path.cwd() / "autograded" / student / assignment
    notebooks = sorted(folder.glob("*.ipynb"))
    edited = edited_in_submission(edited_locked_cells(log), Path.cwd() / "submitted" / student / assignment,
                                  Path.cwd() / "release" / assignment)
    notes = [timed_out_cells(folder), edited_cells_note(edited), *review_flags(notebooks)]
    _mark_for_review(assignment, student, flagged_cells(notebooks))
    score, maximum, manual = _gradebook_result(assignment, student)
    notes.append(manual_note(manual))
    return {"ok": True, "seconds": seconds, "notes": [n for n in notes if n], "score": score, "max": maximum}


def _mark_for_review(assignment: str, student: str, cells: list[tuple[str, str]]) -> None:
    """Mark a flagged plan's first behaviour cell as needing manual grading, so the formgrader lists the
    submission for review (the safety cap or a gate); the automatic score stays until the instructor decides."""
    if not cells:
        return
    from nbgrader.api import Gradebook

    with Gradebook(_URL) as gb:
        for notebook, grade_id in cells:
            grade = gb.find_grade(grade_id, notebook, assignment, student)
            grade.needs_manual_grade = True
        gb.db.commit()


def _gradebook_result(assignment: str, student: str) -> tuple[float, float, list[str]]:
    from nbgrader.api import Gradebook

    with Gradebook(_URL) as gb:
        submission = gb.find_submission(assignment, student)
        manual = [g.name for nb in submission.notebooks for g in nb.grades if g.needs_manual_grade]
        return float(submission.score), float(submission.max_score), manual


def timed_out_cells(folder: Path) -> str:
    """A note naming the cells nbgrader stopped at the time limit (it grades the rest), or ''."""
    import nbformat

    stopped = []
    for path in sorted(folder.glob("*.ipynb")):
        for number, cell in enumerate(nbformat.read(path, as_version=4).cells, start=1):
            if any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", [])):
                stopped.append(f"{path.name} cell {number}")
    if not stopped:
        return ""
    return "stopped at the time limit and graded the rest: " + ", ".join(stopped)


def available_cores() -> int:
    """Cores this process may use: CPU affinity and a cgroup CPU quota (TLJH, Kubernetes) both count."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, int(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, cores)


# -- the run --------------------------------------------------------------------------------------
@dataclass
class _Run:
    """One grading run's bookkeeping (parent process only)."""

    root: Path
    assignment: str
    record: dict[str, TraineeGrade]
    stamps: dict[str, str]
    prepared: dict[str, tuple[list[str], dict[str, str], int]] = field(default_factory=dict)
    outcomes: list[GradeOutcome] = field(default_factory=list)

    def finish(self, student: str, done: dict) -> None:
        from course.scoring import GRADER_VERSION

        notes, exercises, restored = self.prepared[student]
        if done["ok"]:
            all_notes = notes + done["notes"]
            grade = TraineeGrade(student, "graded_with_notes" if all_notes else "graded", all_notes,
                                 done["score"], done["max"], self.stamps[student], GRADER_VERSION, exercises)
            for notebook in sorted((self.root / "autograded" / student / self.assignment).glob("*.ipynb")):
                add_notes_cell(notebook, all_notes, GRADER_VERSION)
        else:
            grade = TraineeGrade(student, "failed", [done["reason"], *notes], None, None, self.stamps[student],
                                 GRADER_VERSION, exercises)
        self.record[student] = grade
        save_record(self.root, self.assignment, self.record)
        self.outcomes.append(GradeOutcome(grade, done.get("seconds", 0.0), restored_cells=restored,
                                          reason=done.get("reason", "")))


def grade_assignment(root: str | os.PathLike[str], assignment: str, *, jobs: int | None = None,
                     force: bool = False, timeout: float | None = None, progress: bool = True) -> list[GradeOutcome]:
    """Autograde every collected submission of an assignment; resumes unless `force`.

    Returns one outcome per trainee in the gradebook's roster or with a submission. Raises ValueError
    (with the fix) when the course or assignment is not ready, GradingInterrupted on Ctrl-C."""
    root = Path(root).resolve()
    if not (root / "nbgrader_config.py").exists():
        raise ValueError(f"{root} is not a course folder (no nbgrader_config.py); run this from the course root")
    if not (root / "release" / assignment).exists():
        raise ValueError(f"release/{assignment} does not exist. Fix: {assignment_fix(assignment)}")
    students = collected(root, assignment)
    if not students:
        raise ValueError(f"no collected submissions in submitted/*/{assignment}: run nbgrader collect {assignment} first")
    check_gradebook(root, assignment)
    answers = answers_files(root, assignment)
    expected = sorted(p.name for p in (root / "release" / assignment).glob("*.ipynb"))
    record = load_record(root, assignment)
    run = _Run(root, assignment, record, {s: submission_stamp(root, assignment, s) for s in students})
    todo = [s for s in students if force or not (s in record and record[s].graded and record[s].stamp == run.stamps[s])]
    run.outcomes += [GradeOutcome(record[s], skipped=True) for s in students if s not in todo]
    remove_half_graded(root, assignment, todo)
    for student in todo:
        _prepare(run, student, answers)
    pending = [s for s in todo if s in run.prepared and not any(o.student == s for o in run.outcomes)]
    _grade_pending(run, pending, expected, jobs=jobs, timeout=timeout, progress=progress, total=len(students))
    return _with_roster(run, students)


def answers_files(root: Path, assignment: str) -> list[str]:
    """The answers files (relative to a submission) whose absence or damage the notes report: a course
    module's exercises, or a private exam's plan and self-rating (`course exam new`)."""
    from course.assignments import load_course
    from course.exam import exam_answers_files

    course = {a.id: a for a in load_course().assignments}
    if assignment in course:
        return [e.answers_file for e in course[assignment].exercises]
    return exam_answers_files(root).get(assignment, [])


def _prepare(run: _Run, student: str, answers: list[str]) -> None:
    """Keep the untouched copy, note missing and unreadable answers, put deleted cells back."""
    stamp = run.stamps[student]
    kept = keep_original(run.root, run.assignment, student, stamp)
    folder = run.root / "submitted" / student / run.assignment
    exercises, notes = answers_notes(folder, answers, kept.relative_to(run.root))
    try:
        restored = _repair(run.root, run.assignment, student, kept)
    except Exception as exc:  # an unreadable notebook fails this trainee only
        reason = " ".join(str(exc).split())[:160] or type(exc).__name__
        run.prepared[student] = (notes, exercises, 0)
        run.finish(student, {"ok": False, "reason": f"the submitted notebook cannot be read ({reason}). Fix: ask "
                             f"the trainee to submit again (the untouched copy is in {kept.relative_to(run.root)})"})
        return
    if restored:
        notes.append(f"{restored} deleted cell{'s' if restored != 1 else ''} put back from the release before grading")
    run.prepared[student] = (notes, exercises, restored)


def _grade_pending(run: _Run, pending: list[str], expected: list[str], *, jobs: int | None,
                   timeout: float | None, progress: bool, total: int) -> None:
    """Grade `pending` in a worker pool, at most `jobs` at a time, so Ctrl-C leaves nothing queued."""
    from tqdm import tqdm

    if not pending:
        return
    jobs = max(1, min(jobs or available_cores(), len(pending)))
    import nbgrader.apps  # noqa: F401  (imported once here; forked workers share it)

    bar = tqdm(total=total, initial=total - len(pending), desc=f"grading {run.assignment}", unit="trainee",
               disable=not progress)
    queue = list(pending)
    running: dict[Future, str] = {}
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork"),
                               initializer=_worker_start, initargs=(str(run.root), timeout))
    try:
        try:
            while queue or running:
                while queue and len(running) < jobs:
                    student = queue.pop(0)
                    running[pool.submit(_grade_in_worker, run.assignment, student, expected)] = student
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    _collect(run, running.pop(future), future)
                    bar.update(1)
        except KeyboardInterrupt:
            bar.close()
            print(f"\nCtrl-C: {len(queue)} submission(s) not started; finishing the {len(running)} in flight "
                  "(Ctrl-C again abandons them).", file=sys.stderr, flush=True)
            abandoned = []
            try:
                for future in list(running):
                    wait([future])
                    _collect(run, running.pop(future), future)
            except KeyboardInterrupt:
                abandoned = _abandon(run, pool, list(running.values()))
            raise GradingInterrupted(run.outcomes, queue, abandoned) from None
    finally:
        bar.close()
        pool.shutdown(wait=True, cancel_futures=True)


def _collect(run: _Run, student: str, future: Future) -> None:
    try:
        done = future.result()
    except Exception as exc:  # a worker crash must not stop the batch
        done = {"ok": False, "reason": f"grading crashed: {type(exc).__name__}: {exc}"[:200]
                + ". Fix: rerun; if it happens again, run nbgrader autograde for this trainee to see the traceback"}
    run.finish(student, done)


def _abandon(run: _Run, pool: ProcessPoolExecutor, students: list[str]) -> list[str]:
    """Stop the workers now and take the half-graded submissions out of the gradebook."""
    for process in list(getattr(pool, "_processes", {}).values()):
        process.terminate()
    for process in list(getattr(pool, "_processes", {}).values()):
        process.join(10)
    remove_half_graded(run.root, run.assignment, students)
    return students


def _with_roster(run: _Run, students: list[str]) -> list[GradeOutcome]:
    """This run's outcomes plus a `not_submitted` outcome for everyone on the roster without a submission."""
    from nbgrader.api import MissingEntry

    outcomes = {o.student: o for o in run.outcomes}
    with _gradebook(run.root) as gb:
        try:
            maximum = float(gb.find_assignment(run.assignment).max_score)
        except MissingEntry:
            maximum = None
        for student in sorted(s.id for s in gb.students):
            if student not in students:
                outcomes[student] = GradeOutcome(TraineeGrade(student, "not_submitted",
                                                              ["no submission collected"], None, maximum), skipped=True)
    return sorted(outcomes.values(), key=lambda o: o.student)


def summary(outcomes: list[GradeOutcome], assignment: str) -> str:
    """Every trainee's status and notes, then who failed and the fix, in a few lines."""
    graded = [o for o in outcomes if o.ok and not o.skipped and o.status != "not_submitted"]
    skipped = [o for o in outcomes if o.skipped and o.status != "not_submitted"]
    failed = [o for o in outcomes if not o.ok]
    absent = [o for o in outcomes if o.status == "not_submitted"]
    lines = [f"{assignment}: graded {len(graded)}, already graded {len(skipped)}, failed {len(failed)}, "
             f"not submitted {len(absent)} (of {len(outcomes)} trainees)."]
    for o in outcomes:
        score = f" {o.grade.score:g}/{o.grade.max:g}" if o.grade.score is not None and o.grade.max else ""
        if o.status == "failed":  # nbgrader's reason and the fix on the FAILED line itself
            reason, *rest = o.notes or ["no reason recorded"]
            lines.append(f"  FAILED {o.student}: {reason}")
            lines += [f"      - {note}" for note in rest]
            continue
        again = " (already graded)" if o.skipped and o.status != "not_submitted" else ""
        lines.append(f"  {o.student}: {o.status}{score}{again}")
        lines += [f"      - {note}" for note in o.notes if o.status != "not_submitted"]
    if failed:
        lines.append("Fix the causes above and run the same command again: graded submissions are not graded twice.")
    return "\n".join(lines)


def interrupted_summary(stop: GradingInterrupted, assignment: str) -> str:
    """What an interrupted run finished, abandoned and left, and how to resume."""
    done = [o.student for o in stop.outcomes if not o.skipped]
    lines = [f"Interrupted: {assignment}: done {len(done)} this run ({', '.join(done) or 'none'}); "
             f"left {len(stop.left) + len(stop.abandoned)} "
             f"({', '.join(stop.abandoned + stop.left) or 'none'})."]
    if stop.abandoned:
        lines.append(f"Abandoned in flight and taken out of the gradebook: {', '.join(stop.abandoned)}.")
    lines.append(f"Run `python -m course grade {assignment}` again to resume.")
    return "\n".join(lines)


def outcomes_json(outcomes: list[GradeOutcome]) -> str:
    """One object per trainee: student, status, notes, score, max."""
    import json

    return json.dumps([o.grade.public() for o in outcomes], indent=2, ensure_ascii=False)
