"""The instructor's path rehearsed on a real JupyterHub with real Unix users, set up as
docs/instructors.md prescribes for one server (section 2): an instructor and five trainees, the
LocalProcessSpawner, the course installed (not editable) in an environment every user can read,
nbgrader's filesystem exchange with mode 1777, and the per-role extensions.

Each trainee starts their own server with their own token, fetches 03 through nbgrader's Assignment
List API, writes answers through the server's kernels and contents API, and submits. The instructor
collects, grades with `course grade`, returns feedback and exports. Then, acting as each Unix user,
we check who can read and change what. The hub's memory per user and the time per step go to
test-artifacts/hub-rehearsal.txt and the test output.

`./run test` installs what this needs (JupyterHub from PyPI, configurable-http-proxy from npm) and
runs it as root; without root it is skipped with the reason, except under CI=true as root, where a
missing piece fails the test.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from course.answer_keys import reference_answers
from course.assignments import load_course

from .rehearsal import (
    COURSE_ID,
    PROXY,
    ROOT,
    Rehearsal,
    copy_owned,
    installed_course_problem,
    process_rss_mib,
    recreate_user,
    rss_mib,
)

pytestmark = [pytest.mark.slow, pytest.mark.hub]

A = "03-designing-homework"
INSTRUCTOR = "bs-instructor"
TRAINEES = [f"bs-trainee{n}" for n in range(1, 6)]
ARTIFACTS = ROOT / "test-artifacts"


def _missing_piece() -> str | None:
    if os.environ.get("BS_HUB_SKIP"):
        return os.environ["BS_HUB_SKIP"]
    env = os.environ.get("BS_HUB_ENV")
    if not env or not (Path(env) / "bin" / "jupyterhub").exists():
        return "JupyterHub is not installed for the hub users: run the tests with ./run test"
    if not PROXY.exists():
        return "configurable-http-proxy is not installed: run the tests with ./run test"
    return None


@pytest.fixture(scope="module")
def hub():
    missing = _missing_piece()
    if missing and os.environ.get("CI") == "true" and os.geteuid() == 0:
        pytest.fail(f"the JupyterHub rehearsal must run under CI as root, but: {missing}")
    if missing:
        pytest.skip(missing)
    broken = installed_course_problem(Path(os.environ["BS_HUB_ENV"]))
    if broken:
        pytest.fail(broken)
    rehearsal = Rehearsal(Path(os.environ["BS_HUB_ENV"]), INSTRUCTOR, TRAINEES)
    try:
        with rehearsal.step("create 6 Unix users"):
            for user in rehearsal.users:
                recreate_user(user)
        with rehearsal.step("exchange and global nbgrader config (admin)"):
            _admin_setup(rehearsal)
        _instructor_files(rehearsal)
        with ThreadPoolExecutor(1) as meanwhile:  # the instructor prepares while the servers start
            prepared = meanwhile.submit(_instructor_commands, rehearsal)
            with rehearsal.step("start JupyterHub and issue each user a token"):
                rehearsal.start_hub()
            with rehearsal.step("start 6 single-user servers (each with its own token)"):
                rehearsal.start_servers(rehearsal.users)
            prepared.result()
        rehearsal.memory = {"servers started": _memory(rehearsal)}
        yield rehearsal
    finally:
        _write_log(rehearsal)
        rehearsal.close()


def _admin_setup(r: Rehearsal) -> None:
    """What an admin does once (docs/instructors.md 2.3-2.4); the per-role extensions of 2.5 are set in
    the environment by ./run, and their effect is checked below."""
    r.exchange.mkdir()
    r.exchange.chmod(0o1777)
    etc = r.env / "etc" / "jupyter"
    etc.mkdir(parents=True, exist_ok=True)
    (etc / "nbgrader_config.py").write_text(
        f'c = get_config()\nc.CourseDirectory.course_id = "{COURSE_ID}"\nc.Exchange.root = "{r.exchange}"\n')


def _instructor_files(r: Rehearsal) -> None:
    """The course folder and the instructor's own Jupyter config (docs/instructors.md 2.4-2.5)."""
    home = r.homes[INSTRUCTOR]
    course = home / "between-sessions"
    copy_owned(ROOT / "source" / A, course / "source" / A, INSTRUCTOR)
    copy_owned(ROOT / "nbgrader_config.py", course / "nbgrader_config.py", INSTRUCTOR)
    (course / "roster.csv").write_text("id,first_name,last_name\n" + "".join(f"{t},{t},Trainee\n" for t in TRAINEES))
    dot = home / ".jupyter" / "jupyter_server_config.d"
    dot.mkdir(parents=True)
    shutil.copy(r.env / "etc" / "jupyter" / "jupyter_server_config.d" / "nbgrader.json", dot / "nbgrader.json")
    (home / ".jupyter" / "nbgrader_config.py").write_text(f'c = get_config()\nc.CourseDirectory.root = "{course}"\n')
    _chown(home, INSTRUCTOR)


def _instructor_commands(r: Rehearsal) -> None:
    """Formgrader on for the instructor, then generate, import the roster, release (timed as one step)."""
    start = time.perf_counter()
    course = r.homes[INSTRUCTOR] / "between-sessions"
    jupyter = str(r.env / "bin" / "jupyter")
    for command in ([jupyter, "labextension", "enable", "--level=user", "@jupyter/nbgrader:formgrader",
                     "@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:course-list"],
                    ["nbgrader", "generate_assignment", A, "--force"],
                    ["nbgrader", "db", "student", "import", "roster.csv"],
                    ["nbgrader", "release_assignment", A]):
        result = r.as_user(INSTRUCTOR, *command, cwd=course)
        assert result.returncode == 0, (command, result.stdout[-2000:], result.stderr[-2000:])
    r.steps.append(("instructor: enable formgrader, generate, roster, release (while servers start)",
                    time.perf_counter() - start))


def _chown(path: Path, owner: str) -> None:
    subprocess.run(["chown", "-R", f"{owner}:{owner}", str(path)], check=True)


def _memory(r: Rehearsal) -> dict[str, float]:
    import pwd

    figures = {user: rss_mib(pwd.getpwnam(user).pw_uid) for user in r.users}
    proxy = [p for p in _children(r.hub.pid) if Path(f"/proc/{p}").stat().st_uid == 0]  # servers run as users
    figures["hub (jupyterhub + proxy)"] = process_rss_mib(r.hub.pid) + sum(process_rss_mib(p) for p in proxy)
    return figures


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _write_log(r: Rehearsal) -> None:
    lines = ["JupyterHub rehearsal: time per step (s)"]
    lines += [f"  {seconds:7.1f}  {name}" for name, seconds in r.steps]
    lines.append(f"  {sum(s for _, s in r.steps):7.1f}  total")
    for moment, figures in getattr(r, "memory", {}).items():
        lines.append(f"memory (resident MiB) after {moment}:")
        lines += [f"  {mib:7.1f}  {who}" for who, mib in figures.items()]
    text = "\n".join(lines)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "hub-rehearsal.txt").write_text(text + "\n")
    print("\n" + text)


# -- the trainees' and instructor's work ------------------------------------------------------------
KERNEL_SAVE = """
import course
from course.answer_keys import reference_answers
from course.answers import AnswersFile, answers_path
from course.assignments import load_course
exercises = load_course().assignment({A!r}).exercises
for exercise in exercises[:{count}]:
    AnswersFile(answers_path(exercise.id)).save(reference_answers(exercise))
print("course from", course.__file__)
"""

MAYA = load_course().assignment(A).exercises[0]
WEAK = {**reference_answers(MAYA), "rationale": "Homework helps.", "obstacles": [], "summary": "", "risk": "N/A"}


@pytest.fixture(scope="module")
def submitted(hub):
    """Trainees 1-3 save answers from a kernel (the forms' own save), trainee 2 also disputes a point,
    trainee 4 writes a file through the contents API, trainee 5 submits without answering."""
    r = hub
    printed = {}
    with r.step("5 trainees fetch 03 through the Assignment List API"):
        for trainee in TRAINEES:
            r.assignment_action(trainee, "fetch", A)
    with r.step("trainees write answers (kernels and contents API)"):
        for n, trainee in enumerate(TRAINEES[:3], start=1):
            snapshot = (lambda: r.memory.update({"a kernel ran the forms' save (trainee1's still running)": _memory(r)})
                        ) if n == 1 else None
            printed[trainee] = r.execute(trainee, f"{A}/{A}.ipynb", KERNEL_SAVE.format(A=A, count=n), snapshot)
        r.execute(TRAINEES[1], f"{A}/{A}.ipynb",
                  'from course.disputes import dispute\nprint(dispute("03-maya", "rationale", "I said why it helps."))')
        r.put_text(TRAINEES[3], f"{A}/answers/03-maya.json", json.dumps(WEAK))
    r.memory["the trainees' kernels were shut down"] = _memory(r)
    with r.step("5 trainees submit through the Assignment List API"):
        for trainee in TRAINEES:
            r.assignment_action(trainee, "submit", A)
    return printed


@pytest.fixture(scope="module")
def graded(hub, submitted):
    """The instructor collects, grades, generates and releases feedback, exports; trainees fetch feedback."""
    r = hub
    course = r.homes[INSTRUCTOR] / "between-sessions"
    with r.step("instructor: nbgrader collect"):
        collect = r.as_user(INSTRUCTOR, "nbgrader", "collect", A, cwd=course)
    with r.step("instructor: python -m course grade --json"):
        grade = r.as_user(INSTRUCTOR, "python", "-m", "course", "grade", A, "--json", cwd=course)
    assert grade.returncode == 0, grade.stderr[-3000:]
    with r.step("instructor: generate_feedback and release_feedback"):
        for command in (["generate_feedback", A, "--force"], ["release_feedback", A]):
            result = r.as_user(INSTRUCTOR, "nbgrader", *command, cwd=course)
            assert result.returncode == 0, result.stderr[-3000:]
    with r.step("instructor: nbgrader export"):
        export = r.as_user(INSTRUCTOR, "nbgrader", "export", "--to", str(course / "grades.csv"), cwd=course)
        assert export.returncode == 0, export.stderr[-3000:]
    with r.step("5 trainees fetch feedback through the Assignment List API"):
        for trainee in TRAINEES:
            r.assignment_action(trainee, "fetch_feedback", A)
    r.memory["grading and feedback"] = _memory(r)
    return {"course": course, "collect": collect, "grade": {g["student"]: g for g in json.loads(grade.stdout)},
            "export": (course / "grades.csv").read_text()}


# -- what must be true ---------------------------------------------------------------------------------
def test_trainees_kernels_import_the_course_installed_for_them(hub, submitted):
    for trainee in TRAINEES[:3]:
        assert f"course from {hub.env}" in submitted[trainee], submitted[trainee]


def test_collect_finds_every_submission_owned_by_its_trainee(graded):
    out = graded["collect"].stdout + graded["collect"].stderr
    assert graded["collect"].returncode == 0, out
    assert "cheating attempt" not in out, "with real users every submission is owned by its trainee"
    assert sorted(p.name for p in (graded["course"] / "submitted").iterdir()) == TRAINEES


def test_every_trainee_is_graded_with_a_status(graded):
    rows = graded["grade"]
    assert sorted(rows) == TRAINEES
    assert rows["bs-trainee3"] == {"student": "bs-trainee3", "status": "graded", "notes": [], "score": 60.0,
                                   "max": 60.0}
    assert rows["bs-trainee1"]["status"] == "graded_with_notes" and rows["bs-trainee1"]["score"] == 20.0
    assert any("answers file for 03-jordan missing" in n for n in rows["bs-trainee2"]["notes"])
    assert 0 < rows["bs-trainee4"]["score"] < 20
    assert rows["bs-trainee5"]["score"] == 0 and len(rows["bs-trainee5"]["notes"]) == 3
    exported = {r["student_id"]: r for r in csv.DictReader(io.StringIO(graded["export"]))}
    assert float(exported["bs-trainee3"]["raw_score"]) == 60.0
    assert exported["bs-trainee2"]["disputes"] == "03-maya/rationale: I said why it helps."


def test_each_trainee_gets_their_own_feedback_and_only_that(hub, graded):
    for trainee in TRAINEES:
        listing = hub.api(trainee, "GET", f"/user/{trainee}/api/contents/{A}/feedback").json()
        [stamp] = [c["path"] for c in listing["content"]]
        page = hub.api(trainee, "GET", f"/user/{trainee}/api/contents/{stamp}/{A}.html").json()["content"]
        instructors = (graded["course"] / "feedback" / trainee / A / f"{A}.html").read_text()
        assert page == instructors, f"{trainee} fetched a page that is not their own"
        assert page.count("Notes from grading") <= 1
    others = [hub.api(TRAINEES[0], "GET", f"/user/{TRAINEES[0]}/api/contents/{A}/feedback").json()]
    assert len(others[0]["content"]) == 1, "one feedback folder: nobody else's feedback arrived"


def test_a_trainee_cannot_reach_the_formgrader_and_the_instructor_can(hub, graded):
    own = hub.follow(TRAINEES[0], f"/user/{TRAINEES[0]}/formgrader")
    assert own.status_code == 404, "the formgrader is disabled on a trainee's server"
    other = hub.follow(TRAINEES[0], f"/user/{INSTRUCTOR}/formgrader")
    assert other.status_code == 403, f"a trainee's token reached the instructor's server: {other.status_code} {other.url}"
    mine = hub.follow(INSTRUCTOR, f"/user/{INSTRUCTOR}/formgrader")
    assert mine.status_code == 200 and "/formgrader/" in mine.url and "formgrade" in mine.text.lower()
    assert "manage_assignments" in mine.url or A in mine.text


def test_no_trainee_can_read_or_change_another_trainees_work(hub, graded):
    inbound = hub.exchange / COURSE_ID / "inbound"
    submissions = {t: next(p for p in inbound.iterdir() if p.name.startswith(f"{t}+")) for t in TRAINEES}
    feedback = hub.exchange / COURSE_ID / "feedback"
    for trainee in TRAINEES:
        assert hub.can(trainee, "read", hub.homes[trainee] / A / f"{A}.ipynb"), "their own work"
        assert not hub.can(trainee, "list", inbound), "the inbound folder cannot be listed"
        assert not hub.can(trainee, "list", feedback), "the feedback folder cannot be listed"
        for other in TRAINEES:
            if other == trainee:
                continue
            home = hub.homes[other]
            for path in (home / A / f"{A}.ipynb", home / A / "answers", home / A / "feedback"):
                assert not hub.can(trainee, "read" if path.suffix else "list", path), (trainee, path)
                assert not hub.can(trainee, "write", path), (trainee, path)
            assert not hub.can(trainee, "write", submissions[other] / f"{A}.ipynb"), (trainee, submissions[other])


def test_no_trainee_can_read_the_course_folder(hub, graded):
    course = graded["course"]
    for trainee in TRAINEES:
        for path in (course / "gradebook.db", course / "source" / A / f"{A}.ipynb",
                     course / "submitted" / TRAINEES[0] / A / f"{A}.ipynb",
                     course / "autograded" / TRAINEES[0] / A / f"{A}.ipynb",
                     course / "feedback" / TRAINEES[0] / A / f"{A}.html", course / "grades.csv"):
            assert not hub.can(trainee, "read", path), (trainee, path)


def test_what_the_exchange_only_protects_by_unguessable_names(hub, graded):
    """nbgrader makes each submitted folder 0777 (so the instructor can delete it) and its files
    world-readable, and hides them only behind a name nobody can list (a random part). A trainee who
    learnt the name could read the submission and add or replace files in it. docs/instructors.md 2.3
    says so and offers the safer set-up; if nbgrader changes this, update the docs."""
    inbound = hub.exchange / COURSE_ID / "inbound"
    theirs = next(p for p in inbound.iterdir() if p.name.startswith(f"{TRAINEES[1]}+"))
    assert hub.can(TRAINEES[0], "read", theirs / f"{A}.ipynb")
    assert hub.can(TRAINEES[0], "write", theirs)


def test_a_home_left_as_plain_useradd_makes_it_is_open_to_every_trainee(hub, graded):
    """Debian's and Ubuntu's useradd make homes 0755 unless HOME_MODE is set; TLJH removes the
    world bits. Without that, a trainee reads another's answers (docs/instructors.md 2.3)."""
    home = hub.homes[TRAINEES[2]]
    answers = home / A / "answers" / "03-maya.json"
    assert not hub.can(TRAINEES[0], "read", answers)
    mode = home.stat().st_mode
    home.chmod(0o755)
    try:
        assert hub.can(TRAINEES[0], "read", answers)
    finally:
        home.chmod(mode)
