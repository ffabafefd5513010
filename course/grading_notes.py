"""Why a grade needs a word: notes on one submission, for the instructor and the trainee.

Read from the submission's answers files, nbgrader's own log, the autograded notebook and the
gradebook. Nothing here grades: it says what the grade rests on and, when nbgrader failed, why and
what fixes it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from course.grading_record import NOT_ATTEMPTED, UNREADABLE

NOTES_MARK = "course_grading_notes"
"""Metadata key of the notes cell put at the top of an autograded notebook (it reaches the feedback)."""
_CHECKSUM = re.compile(r"Attribute 'checksum' for cell (\S+) has changed!")
_FLAG = re.compile(r"^Needs review \((\w+)\): (.+)$")


# -- the answers files ----------------------------------------------------------------------------
def answers_state(path: Path) -> tuple[str, str]:
    """(`saved` | `missing` | `unreadable`, why unreadable) for one answers file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return NOT_ATTEMPTED, ""
    except OSError as exc:
        return UNREADABLE, exc.strerror or type(exc).__name__
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return UNREADABLE, "not text"
    except ValueError as exc:
        return UNREADABLE, f"broken JSON: {str(exc).split(':')[0]}"
    if not isinstance(data, dict):
        return UNREADABLE, f"a JSON {type(data).__name__}, not the form's object"
    return "saved", ""


def answers_notes(folder: Path, answers_files: list[str], kept: Path | None) -> tuple[dict[str, str], list[str]]:
    """Each exercise's answers state (exercise id -> state) and a note for each missing or unreadable file.

    `answers_files` are paths relative to the submission folder (`answers/<exercise>.json`); `kept`
    is where the untouched submission was copied, named in the note of an unreadable file."""
    states, notes = {}, []
    for relative in answers_files:
        exercise = Path(relative).stem
        state, why = answers_state(folder / relative)
        states[exercise] = state
        if state == NOT_ATTEMPTED:
            notes.append(f"answers file for {exercise} missing ({relative}): scored 0, counted as not attempted")
        elif state == UNREADABLE:
            where = f"kept as {kept / relative}" if kept else "left in the submission"
            notes.append(f"answers file for {exercise} unreadable ({why}): scored 0, {where}")
    return states, notes


# -- what nbgrader and the grader said ------------------------------------------------------------
def edited_locked_cells(log: str) -> list[str]:
    """Grade ids of locked cells nbgrader found edited (its "checksum ... has changed!" warnings)."""
    return sorted(set(_CHECKSUM.findall(log)))


def edited_in_submission(cells: list[str], submitted: Path, release: Path) -> list[str]:
    """The cells of `cells` whose source in the submission differs from the release.

    nbgrader also warns "checksum ... has changed" for every untouched cell with hidden tests (the
    gradebook's checksum includes the hidden tests the release left out), so a warning alone is no
    evidence of an edit. A cell found in neither folder is kept."""
    import nbformat

    def sources(folder: Path) -> dict[str, str]:
        found = {}
        for path in sorted(folder.glob("*.ipynb")):
            for cell in nbformat.read(path, as_version=4).cells:
                grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                if grade_id:
                    found[grade_id] = cell.source
        return found

    theirs, released = sources(submitted), sources(release)
    return [c for c in cells if c not in theirs or c not in released or theirs[c] != released[c]]


def edited_cells_note(cells: list[str]) -> str:
    """One note for edited locked cells, or '' when none were edited."""
    if not cells:
        return ""
    return (f"{len(cells)} locked cell{'s' if len(cells) != 1 else ''} edited, graded with the originals "
            f"({', '.join(cells)}; nbgrader: checksum changed)")


def flagged_cells(notebooks: list[Path]) -> list[tuple[str, str]]:
    """(notebook name, grade_id) of the first cell of each exercise whose output flags the plan for review."""
    import nbformat

    first: dict[tuple[str, str], str] = {}
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or ""
            texts = (str(o.get("text", "")) for o in cell.get("outputs", []))
            if grade_id and any(_FLAG.match(line.strip()) for text in texts for line in text.splitlines()):
                first.setdefault((path.stem, grade_id.rpartition("__")[0]), grade_id)
    return [(notebook, grade_id) for (notebook, _), grade_id in first.items()]


def review_flags(notebooks: list[Path]) -> list[str]:
    """One note per exercise and flag the grader printed as "Needs review (<flag>): <message>"."""
    import nbformat

    seen: dict[tuple[str, str], str] = {}
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            exercise = (cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or "").rpartition("__")[0]
            for output in cell.get("outputs", []):
                for line in str(output.get("text", "")).splitlines():
                    match = _FLAG.match(line.strip())
                    if match:
                        seen.setdefault((exercise, match.group(1)), match.group(2))
    return [f"needs review: {exercise + ' ' if exercise else ''}{flag} ({message})"
            for (exercise, flag), message in seen.items()]


def manual_note(cells: list[str]) -> str:
    """A note naming the cells a person still has to grade, or ''."""
    if not cells:
        return ""
    return f"{', '.join(cells)} need{'s' if len(cells) == 1 else ''} manual grading (formgrader)"


DISPUTE_HOW = ('**Think a point is wrong?** In your notebook run `from course.disputes import dispute` and then '
               '`dispute("EXERCISE", "BEHAVIOUR", "One sentence on why.")` (for example `dispute("03-maya", '
               '"goal_link", "The task is tied to her goal of seeing friends.")`), and submit again.')


def notes_cell_source(notes: list[str], grader_version: str) -> str:
    """The markdown put at the top of the autograded notebook, so the notes (and how to dispute a
    point) reach the feedback."""
    lines = [f"**Notes from grading** (grader version {grader_version}):", ""]
    lines += [f"- {note}" for note in notes] or ["- none"]
    return "\n".join([*lines, "", DISPUTE_HOW])


def add_notes_cell(notebook: Path, notes: list[str], grader_version: str) -> None:
    """Put (or replace) the notes cell at the top of an autograded notebook."""
    import nbformat

    from course.plans import atomic_write_text

    nb = nbformat.read(notebook, as_version=4)
    nb.cells = [c for c in nb.cells if not c.get("metadata", {}).get(NOTES_MARK)]
    cell = nbformat.v4.new_markdown_cell(notes_cell_source(notes, grader_version))
    cell.metadata[NOTES_MARK] = True
    nb.cells.insert(0, cell)
    atomic_write_text(notebook, nbformat.writes(nb))


# -- when nbgrader fails --------------------------------------------------------------------------
_GENERIC = ("Please see the error log", "There was an error processing assignment", "Removing failed assignment",
            "nbgrader autograde failed")


def failure_reason(log: str, error: str, assignment: str, expected: list[str], student: str = "<student>") -> str:
    """nbgrader's own line saying why it could not grade, then the fix (`expected`: the notebook names)."""
    text = f"{log}\n{error}"
    if "CellTimeoutError" in text or "timed out" in text.lower():
        match = re.search(r"(\d+(?:\.\d+)?) seconds", text)
        return (f"a cell ran too long (timeout{' ' + match.group(1) + ' s' if match else ''}); the notebook may "
                "wait forever. Fix: raise --timeout or remove the waiting cell from the submission, then rerun")
    if "DeadKernelError" in text:
        return "the kernel died while running the notebook. Fix: check the submission's code cells, then rerun"
    line = _nbgrader_line(log, error)
    unknown = re.findall(r"Skipping unknown notebook: (\S+)", log)
    if "No assignment with ID" in line:
        return f"{line}. Fix: {assignment_fix(assignment)}"
    if "No student with ID" in line:
        return f"{line}. Fix: nbgrader db student add STUDENT_ID (or import the roster), then rerun"
    if unknown or "No notebooks found" in line:
        names = ", ".join(Path(u).name for u in unknown) or "none"
        return (f"{line} (submitted: {names}; expected: {', '.join(expected)}). Fix: rename the notebook in "
                f"submitted/{student}/{assignment}/ to {expected[0] if expected else 'the released name'}, then rerun")
    return f"{line}. Fix: read nbgrader.log in the course folder for the whole traceback, then rerun"


def _nbgrader_line(log: str, error: str) -> str:
    errors = [line.split("]", 1)[-1].strip() for line in log.splitlines() if line.startswith("[ERROR]")]
    errors = [e for e in errors if e and not e.startswith(_GENERIC) and not e.startswith("Traceback")]
    if errors:
        return errors[0][:240]
    last = [line.strip() for line in error.splitlines() if line.strip() and not line.startswith(" ")]
    last = [line for line in last if not line.startswith("Traceback")]
    return (last[-1] if last else "nbgrader reported a failure")[:240]


def assignment_fix(assignment: str) -> str:
    """The one command that puts an assignment into the gradebook."""
    return f"nbgrader generate_assignment {assignment} --force (run in the course folder), then rerun"
