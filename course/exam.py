"""Private exam cases in the instructor's own nbgrader course folder (`python -m course exam ...`).

Anything installed on a trainee's machine can be read, including every shipped case and its answer
key, so an exam must use a case the trainees have never had. `new_exam` starts one from a blank
template (never from a shipped case) in a course folder outside this repository, with its own
`source/`, gradebook and exchange. The public part of the case is `source/<id>/case.yaml`; the key
lives only in the hidden tests of `source/<id>/<id>.ipynb`, which nbgrader strips from the release.
The notebook is graded like the capstone: one hidden check per checklist behaviour, a self-rating and
an instructor-graded reflection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

EXAM_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TEMPLATES = Path(__file__).resolve().parent / "templates"
KEY_PATTERN = re.compile(r"EXAM_KEY = r'''\n(.*?)'''", re.DOTALL)
PLACEHOLDER = "TODO"
GRADER_ONLY = {"constraints": ("addressed_by", "breaks", "unavailable"), "obstacles": ("cues",),
               "risks": ("cues", "adjustments")}
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
SHARED_SENTENCES = 2
"""A case sharing this many long sentences with a shipped case counts as copied from it."""


class ExamError(ValueError):
    """An exam folder or case the instructor can fix; the message says how."""


@dataclass(frozen=True)
class ExamFolder:
    """Where one exam lives inside an instructor's course folder."""

    root: Path
    exam_id: str

    @property
    def source(self) -> Path:
        return self.root / "source" / self.exam_id

    @property
    def case_file(self) -> Path:
        return self.source / "case.yaml"

    @property
    def notebook(self) -> Path:
        return self.source / f"{self.exam_id}.ipynb"

    @property
    def self_rating(self) -> str:
        return f"{self.exam_id}-self"


@dataclass
class ExamCheck:
    """What `check_exam` found: problems to fix (none means ready to release) and the score of the key's plan."""

    folder: ExamFolder
    problems: list[str] = field(default_factory=list)
    reference_score: tuple[float, float] | None = None

    @property
    def ready(self) -> bool:
        return not self.problems


# -- the course folder ------------------------------------------------------------------------------
def checkout_root() -> Path | None:
    """The repository this package runs from, when it runs from a source checkout (else None)."""
    root = Path(__file__).resolve().parents[1]
    return root if (root / "pyproject.toml").exists() and (root / "source").is_dir() else None


def refuse_inside_checkout(root: Path) -> None:
    """An exam folder inside the course repository would publish its key with the course."""
    checkout = checkout_root()
    if checkout and (root == checkout or checkout in root.parents):
        raise ExamError(f"{root} is inside the course repository ({checkout}), which is public: give your own "
                        "course folder outside it, e.g. --course-dir ~/exams")


def config_text() -> str:
    """The nbgrader_config.py of a private exam course folder."""
    return ('"""nbgrader settings for a private exam course folder (written by `python -m course exam new`).\n\n'
            "Its own source/, gradebook.db and exchange/; the settings themselves are course.exam.configure.\n"
            '"""\n\nfrom pathlib import Path\n\nfrom course.exam import configure\n\n'
            "configure(get_config(), Path(__file__).resolve().parent)  # noqa: F821 (provided by nbgrader)\n")


def configure(c: Any, root: Path) -> None:
    """Apply the course's grading settings to the nbgrader config `c` of the exam folder `root`."""
    from course.assignments import load_course

    c.CourseDirectory.course_id = load_course().course_id
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}"
    c.Exchange.root = str(root / "exchange")
    c.Execute.timeout = 180
    c.ExecutePreprocessor.timeout = 180
    c.Execute.startup_timeout = 120
    c.Autograde.exclude_overwriting = exam_answers_files(root)
    c.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "nbgrader.preprocessors.ClearHiddenTests",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
    c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
    c.IgnorePattern.enabled = True
    c.IgnorePattern.pattern = r"(FutureWarning|DeprecationWarning|UserWarning|SAWarning|Kernel is running over TCP)"
    c.NbGrader.logfile = str(root / "nbgrader.log")
    c.ExportApp.plugin_class = "course.export.CourseCsvExport"


def exam_answers_files(root: Path) -> dict[str, list[str]]:
    """For `Autograde.exclude_overwriting`: each exam's answers files, so autograde keeps them."""
    found = {}
    for notebook in sorted((root / "source").glob("*/*.ipynb")):
        exam = ExamFolder(root, notebook.parent.name)
        if notebook == exam.notebook and (exam.source / "case.yaml").exists():
            found[exam.exam_id] = [f"answers/{exam.exam_id}.json", f"answers/{exam.self_rating}.json"]
    return found


def ensure_course_folder(root: Path) -> bool:
    """Make `root` a private exam course folder if it is not one yet; True if it was created."""
    (root / "exchange").mkdir(parents=True, exist_ok=True)
    (root / "source").mkdir(exist_ok=True)
    config = root / "nbgrader_config.py"
    if config.exists():
        if "course.exam" not in config.read_text(encoding="utf-8"):
            raise ExamError(f"{config} is not an exam course folder's config: use an empty folder for exams, or add "
                            "`from course.exam import configure; configure(get_config(), Path(__file__).parent)`")
        return False
    config.write_text(config_text(), encoding="utf-8")
    return True


# -- a new exam -------------------------------------------------------------------------------------
def template(name: str, exam_id: str) -> str:
    """A blank template with the exam's id filled in."""
    return (TEMPLATES / name).read_text(encoding="utf-8").replace("EXAM_ID", exam_id)


def new_exam(root: str | Path, exam_id: str) -> ExamFolder:
    """Start a private exam: the blank public case and the notebook holding the blank key in hidden tests."""
    if not EXAM_ID.match(exam_id):
        raise ExamError(f"exam id {exam_id!r} must be lower-case words joined by hyphens, e.g. exam-2026-spring")
    from course.assignments import load_course
    from course.vignettes import vignette_ids

    if exam_id in vignette_ids() or exam_id in {a.id for a in load_course().assignments}:
        raise ExamError(f"{exam_id!r} is already a shipped case or assignment: choose a new id")
    root = Path(root).expanduser().resolve()
    refuse_inside_checkout(root)
    exam = ExamFolder(root, exam_id)
    if exam.source.exists():
        raise ExamError(f"{exam.source} already exists: edit it and run `python -m course exam check {exam_id}`, "
                        "or choose a new id")
    ensure_course_folder(root)
    exam.source.mkdir(parents=True)
    exam.case_file.write_text(template("exam-case.yaml", exam_id), encoding="utf-8")
    write_notebook(exam, template("exam-key.yaml", exam_id))
    return exam


def write_notebook(exam: ExamFolder, key: str) -> None:
    """Write the exam notebook with `key` (YAML) in its first hidden test."""
    if "'''" in key:
        raise ExamError("the key must not contain three single quotes in a row (''')")
    nbformat.write(exam_notebook(exam, key), exam.notebook)


def _cell(kind: str, grade_id: str, text: str, *, grade: bool = False, solution: bool = False,
          points: float | None = None) -> nbformat.NotebookNode:
    meta: dict[str, Any] = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
                            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    make = new_code_cell if kind == "code" else new_markdown_cell
    return make(text.strip("\n"), metadata={"nbgrader": meta})


def exam_notebook(exam: ExamFolder, key: str) -> nbformat.NotebookNode:
    """The exam notebook: graded like the capstone (plan checks, self-rating, reflection)."""
    from course.checklist import load_checklist
    from course.rubrics import rubric_markdown

    eid, items = exam.exam_id, load_checklist().plan_items
    cells = [
        _cell("markdown", "header", f"# Exam: {eid}\n\n**What is graded:** the plan (20 points, one hidden check per "
              "behaviour, run by your instructor), completing your self-rating (1 point) and a written reflection "
              "graded by your instructor (4 points).\n\nThis is an exam case: there is no automatic feedback and no "
              "expert plan. Read the case, draft, revise, then rate your own plan."),
        _cell("code", f"{eid}__form", f'from course.forms import draft_plan\n\nplan = draft_plan("case.yaml", '
              f'exercise="{eid}")'),
    ]
    for index, item in enumerate(items):
        points = f'{item.weight} point{"s" if item.weight > 1 else ""}'
        define = ("from course.grading import exam_case, plan_points\n"
                  f"EXAM_KEY = r'''\n{key}'''\nEXAM_CASE = exam_case(\"case.yaml\", EXAM_KEY)\n") if index == 0 else (
                  "from course.grading import plan_points\n")
        cells.append(_cell("code", f"{eid}__{item.id}",
                           f'"""{item.id} ({points}): {item.name.lower()}."""\n'
                           "print(\"This behaviour is scored by your instructor's checks when the exam is graded.\")\n"
                           f"### BEGIN HIDDEN TESTS\n{define}plan_points(\"{eid}\", EXAM_CASE, \"{item.id}\")\n"
                           "### END HIDDEN TESTS", grade=True, points=item.weight))
    cells += [
        _cell("code", f"{exam.self_rating}__form", "from course.forms import rate_my_plan\n\n"
              f'rating = rate_my_plan("{eid}", exercise="{exam.self_rating}")'),
        _cell("code", f"{exam.self_rating}__complete",
              '"""Self-rating (1 point): every behaviour rated."""\n'
              'print("Scored when your instructor grades the exam: rating every behaviour earns the point.")\n'
              "### BEGIN HIDDEN TESTS\nfrom course.grading import self_rating_points\n"
              f'self_rating_points("{exam.self_rating}", "{eid}", EXAM_CASE)\n### END HIDDEN TESTS',
              grade=True, points=1),
        _cell("markdown", f"{eid}-reflection-prompt", rubric_markdown("capstone-reflection")),
        _cell("markdown", f"{eid}-reflection", "YOUR ANSWER HERE", grade=True, solution=True, points=4),
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    for i, cell in enumerate(nb.cells):
        cell.id = f"c{i:03d}"
    return nb


# -- the key --------------------------------------------------------------------------------------
def read_key(exam: ExamFolder) -> str:
    """The key (YAML) from the notebook's hidden tests."""
    if not exam.notebook.exists():
        raise ExamError(f"{exam.notebook} does not exist: start the exam with `python -m course exam new "
                        f"{exam.exam_id}`")
    for cell in nbformat.read(exam.notebook, as_version=4).cells:
        match = KEY_PATTERN.search(cell.source)
        if match:
            return match.group(1)
    raise ExamError(f"no EXAM_KEY = r'''...''' in {exam.notebook}: the first hidden test must hold the key")


def set_key(root: str | Path, exam_id: str, key_file: str | Path) -> ExamFolder:
    """Put the key from a YAML file into the notebook's hidden tests (then delete the file yourself)."""
    import yaml

    exam = ExamFolder(Path(root).expanduser().resolve(), exam_id)
    read_key(exam)  # the notebook exists and has a key cell
    text = Path(key_file).read_text(encoding="utf-8")
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ExamError(f"{key_file} is not valid YAML: {' '.join(str(exc).split())}") from None
    nb = nbformat.read(exam.notebook, as_version=4)
    for cell in nb.cells:
        if KEY_PATTERN.search(cell.source):
            if "'''" in text:
                raise ExamError("the key must not contain three single quotes in a row (''')")
            cell.source = KEY_PATTERN.sub(lambda _: f"EXAM_KEY = r'''\n{text.rstrip()}\n'''", cell.source, count=1)
            break
    nbformat.write(nb, exam.notebook)
    return exam


# -- checking ---------------------------------------------------------------------------------------
def _placeholders(data: Any, path: str = "") -> list[str]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _placeholders(v, f"{path}.{k}" if path else str(k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _placeholders(v, f"{path}[{i}]")]
    return [path] if isinstance(data, str) and PLACEHOLDER in data else []


def _sentences(text: str) -> set[str]:
    return {" ".join(s.lower().split()) for s in re.split(r"(?<=[.!?])\s+", text) if len(s) >= 40}


def _narrative(data: dict[str, Any]) -> set[str]:
    parts = [str(data.get("presenting_problem", "")), str((data.get("takeaway") or {}).get("text", "")),
             str((data.get("client") or {}).get("context", ""))]
    parts += [str(turn.get("text", "")) for turn in data.get("transcript") or [] if isinstance(turn, dict)]
    return set().union(*(_sentences(p) for p in parts))


def copied_from_shipped(data: dict[str, Any]) -> str | None:
    """The id of a shipped case this case is copied from (same id or shared sentences), or None."""
    from course.vignettes import all_vignettes

    mine = _narrative(data)
    for case in all_vignettes():
        if data.get("id") == case.id:
            return case.id
        if len(mine & _narrative(case.model_dump())) >= SHARED_SENTENCES:
            return case.id
    return None


def _public_problems(public: dict[str, Any]) -> list[str]:
    problems = []
    if "answer_key" in public:
        problems.append("case.yaml holds answer_key, which trainees would read: move it into the key")
    for section, fields in GRADER_ONLY.items():
        for entry in public.get(section) or []:
            leaked = [f for f in fields if isinstance(entry, dict) and entry.get(f)]
            if leaked:
                problems.append(f"case.yaml {section} {entry.get('id', '?')!r} lists {', '.join(leaked)}, which trainees "
                                "would read: keep them only in the key")
    if public.get("use") != "exam":
        problems.append("case.yaml must say `use: exam`")
    return problems


def check_exam(root: str | Path, exam_id: str) -> ExamCheck:
    """Check an exam before release: no TODO left, nothing secret in case.yaml, not a shipped case, the
    merged case valid, and the key's reference plan earning full marks."""
    import yaml

    from course.datafiles import read_yaml
    from course.grading import exam_case
    from course.scoring import score_plan
    from course.vignettes import VignetteError

    exam = ExamFolder(Path(root).expanduser().resolve(), exam_id)
    check = ExamCheck(exam)
    if not exam.case_file.exists():
        raise ExamError(f"{exam.case_file} does not exist: start the exam with `python -m course exam new {exam_id}`")
    public = read_yaml(exam.case_file)
    key = read_key(exam)
    try:
        hidden = yaml.safe_load(key) or {}
    except yaml.YAMLError as exc:
        raise ExamError(f"the key in {exam.notebook} is not valid YAML: {' '.join(str(exc).split())}") from None
    todo = [f"case.yaml {p}" for p in _placeholders(public)] + [f"key {p}" for p in _placeholders(hidden)]
    if todo:
        check.problems.append(f"{len(todo)} TODO left to fill in: " + ", ".join(todo[:8])
                              + (" ..." if len(todo) > 8 else ""))
    check.problems += _public_problems(public)
    copied = copied_from_shipped({**public, **hidden})
    if copied:
        check.problems.append(f"this case repeats the shipped case {copied!r}, whose key every trainee can read: "
                              "write a new client")
    try:
        case = exam_case(exam.case_file, key)
    except VignetteError as exc:
        check.problems.append(f"the case with its key is not valid: {exc}")
        return check
    report = score_plan(case.key.reference_plan, case)
    check.reference_score = (report.total, report.max)
    if report.total < report.max:
        short = [f"{i.id} ({i.status})" for i in report.items if i.status != "met"]
        check.problems.append(f"the key's reference plan scores {report.total:g}/{report.max:g}, not full marks: "
                              + ", ".join(short))
    return check
