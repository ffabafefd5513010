"""`python -m course grade ASSIGNMENT`: autograde a cohort's collected submissions in parallel.

One worker process per core runs nbgrader's own Autograde (through its Python API) on one submission
at a time, so results land in the same gradebook the formgrader reads. The parent keeps a progress bar
and a record of what is graded, so an interrupted run resumes where it stopped. Before grading, cells a
trainee deleted from the notebook are put back from the release (nbgrader restores edited locked cells
itself, but not deleted ones); the untouched submission is kept aside for the instructor.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path

from course.plans import atomic_write_text

STATE_DIR = ".grading-state"


@dataclass
class GradeOutcome:
    """What happened to one trainee's submission."""

    student: str
    ok: bool
    seconds: float
    reason: str = ""
    restored_cells: int = 0
    skipped: bool = False
    note: str = ""


# -- the submissions ------------------------------------------------------------------------------
def collected(root: Path, assignment: str) -> list[str]:
    """Students with a collected submission of this assignment, sorted."""
    base = root / "submitted"
    if not base.exists():
        return []
    return sorted(p.name for p in base.iterdir() if (p / assignment).is_dir())


def _submission_stamp(root: Path, assignment: str, student: str) -> str:
    folder = root / "submitted" / student / assignment
    stamp = folder / "timestamp.txt"
    if stamp.exists():
        return stamp.read_text().strip()
    newest = max((p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()), default=0)
    return f"mtime:{newest}"


def _state_path(root: Path, assignment: str) -> Path:
    return root / STATE_DIR / f"{assignment}.json"


def load_state(root: Path, assignment: str) -> dict[str, str]:
    """Which submissions (student -> submission stamp) are already graded."""
    path = _state_path(root, assignment)
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _save_state(root: Path, assignment: str, state: dict[str, str]) -> None:
    atomic_write_text(_state_path(root, assignment), json.dumps(state, indent=2, sort_keys=True) + "\n")


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


def _repair(root: Path, assignment: str, student: str) -> int:
    folder = root / "submitted" / student / assignment
    restored = 0
    for released in sorted((root / "release" / assignment).glob("*.ipynb")):
        submitted = folder / released.name
        if not submitted.exists():
            continue
        keep = root / STATE_DIR / "originals" / student / assignment / released.name
        if not keep.exists():
            keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(submitted, keep)
        restored += restore_deleted_cells(submitted, released)
    return restored


# -- the workers ----------------------------------------------------------------------------------
_API = None


def _worker_start(root: str, timeout: float | None) -> None:
    """Per worker: load the course's nbgrader config once and keep one API object."""
    global _API
    from functools import lru_cache

    import nbgrader.api
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from course.nbgrader_run import course_config, gradebook_url

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
    config.CourseDirectory.db_url = url
    if timeout is not None:
        config.Execute.timeout = timeout
        config.ExecutePreprocessor.timeout = timeout
    _API = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def _grade_in_worker(assignment: str, student: str) -> tuple[bool, str, float, str]:
    start = time.perf_counter()
    result = _API.autograde(assignment, student, force=True, create=True)
    seconds = time.perf_counter() - start
    if result.get("success"):
        return True, "", seconds, timed_out_cells(Path.cwd() / "autograded" / student / assignment)
    return False, failure_reason(result.get("log", ""), result.get("error", "")), seconds, ""


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


def failure_reason(log: str, error: str) -> str:
    """One line saying why nbgrader could not grade a submission."""
    text = f"{log}\n{error}"
    if "CellTimeoutError" in text or "timed out" in text.lower():
        match = re.search(r"(\d+(?:\.\d+)?) seconds", text)
        return f"a cell ran too long (timeout{' ' + match.group(1) + ' s' if match else ''}); the notebook may wait forever"
    if "DeadKernelError" in text:
        return "the kernel died while running the notebook"
    missing = re.search(r"(?:No such file|does not exist|Could not find)[^\n]*", text)
    if missing:
        return missing.group(0).strip()[:160]
    errors = [line for line in text.splitlines() if "ERROR" in line or line.startswith(("Traceback", "Exception"))]
    return (errors[-1].split("]", 1)[-1].strip() if errors else "nbgrader reported a failure")[:200]


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
def grade_assignment(root: str | os.PathLike[str], assignment: str, *, jobs: int | None = None,
                     force: bool = False, timeout: float | None = None, progress: bool = True) -> list[GradeOutcome]:
    """Autograde every collected submission of an assignment; resumes unless `force`."""
    from tqdm import tqdm

    root = Path(root).resolve()
    if not (root / "nbgrader_config.py").exists():
        raise ValueError(f"{root} is not a course folder (no nbgrader_config.py); run this from the course root")
    if not (root / "release" / assignment).exists():
        raise ValueError(f"release/{assignment} does not exist: generate the assignment first "
                         f"(nbgrader generate_assignment {assignment})")
    students = collected(root, assignment)
    if not students:
        raise ValueError(f"no collected submissions in submitted/*/{assignment}: run nbgrader collect {assignment} first")
    state = {} if force else load_state(root, assignment)
    stamps = {s: _submission_stamp(root, assignment, s) for s in students}
    todo = [s for s in students if state.get(s) != stamps[s]]
    outcomes = [GradeOutcome(s, True, 0.0, skipped=True) for s in students if s not in todo]
    restored = {}
    for student in list(todo):
        try:
            restored[student] = _repair(root, assignment, student)
        except Exception as exc:  # an unreadable notebook fails this trainee only
            todo.remove(student)
            reason = " ".join(str(exc).split())[:160] or type(exc).__name__
            outcomes.append(GradeOutcome(student, False, 0.0, f"the submitted notebook cannot be read ({reason})"))
    jobs = max(1, min(jobs or available_cores(), len(todo) or 1))
    import nbgrader.apps  # noqa: F401  (imported once here; forked workers share it)

    bar = tqdm(total=len(students), initial=len(outcomes), desc=f"grading {assignment}", unit="trainee",
               disable=not progress)
    if todo:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork"),
                                 initializer=_worker_start, initargs=(str(root), timeout)) as pool:
            futures = {pool.submit(_grade_in_worker, assignment, s): s for s in todo}
            for future in as_completed(futures):
                student = futures[future]
                try:
                    ok, reason, seconds, note = future.result()
                except Exception as exc:  # a worker crash must not stop the batch
                    ok, reason, seconds, note = False, f"grading crashed: {type(exc).__name__}: {exc}"[:200], 0.0, ""
                outcomes.append(GradeOutcome(student, ok, seconds, reason, restored[student], note=note))
                if ok:
                    state[student] = stamps[student]
                    _save_state(root, assignment, state)
                bar.update(1)
    bar.close()
    return sorted(outcomes, key=lambda o: o.student)


def summary(outcomes: list[GradeOutcome], assignment: str) -> str:
    """What the run did, and who failed and why, in a few lines."""
    graded = [o for o in outcomes if o.ok and not o.skipped]
    skipped = [o for o in outcomes if o.skipped]
    failed = [o for o in outcomes if not o.ok]
    lines = [f"{assignment}: graded {len(graded)}, already graded {len(skipped)}, failed {len(failed)} "
             f"(of {len(outcomes)} submissions)."]
    repaired = [o for o in outcomes if o.restored_cells]
    for o in repaired:
        lines.append(f"  {o.student}: {o.restored_cells} deleted cell(s) put back from the release before grading")
    for o in outcomes:
        if o.note:
            lines.append(f"  {o.student}: {o.note}")
    for o in failed:
        lines.append(f"  FAILED {o.student}: {o.reason}")
    if failed:
        lines.append("Fix the cause and run the same command again: graded submissions are not graded twice.")
    return "\n".join(lines)


def outcomes_json(outcomes: list[GradeOutcome]) -> str:
    """The outcomes as JSON (for scripts)."""
    return json.dumps([asdict(o) for o in outcomes], indent=2)
