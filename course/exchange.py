"""nbgrader's exchange on one machine: release, fetch, submit, collect and feedback, run through
nbgrader's own exchange classes (in process, one configuration per person).

On a real server each trainee is a separate Unix user (see docs/instructors.md). Here everyone is the
same user, so submissions carry an explicit student id, collection does not check file owners, and each
trainee has their own exchange cache (otherwise one could fetch another's feedback).
"""

from __future__ import annotations

from pathlib import Path

from traitlets.config import Config


def _coursedir(config: Config, assignment: str):
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    return coursedir


def _run(exchange_class, config: Config, assignment: str, **traits) -> None:
    from nbgrader.auth import Authenticator

    coursedir = _coursedir(config, assignment)
    action = exchange_class(coursedir=coursedir, authenticator=Authenticator(config=config), config=config)
    for name, value in traits.items():
        setattr(action, name, value)
    action.start()


def instructor_config(course_root: Path, course_id: str, exchange: Path) -> Config:
    """The instructor's side: the course folder and the exchange."""
    config = Config()
    config.CourseDirectory.root = str(course_root)
    config.CourseDirectory.course_id = course_id
    config.CourseDirectory.db_url = f"sqlite:///{course_root / 'gradebook.db'}"
    config.Exchange.root = str(exchange)
    config.ExchangeCollect.check_owner = False
    return config


def student_config(workspace: Path, student: str, course_id: str, exchange: Path) -> Config:
    """A trainee's side: their own folder, their id, and their own cache."""
    config = Config()
    config.CourseDirectory.root = str(workspace)
    config.CourseDirectory.course_id = course_id
    config.CourseDirectory.student_id = student
    config.Exchange.root = str(exchange)
    config.Exchange.cache = str(workspace / ".nbgrader-cache")
    config.Exchange.assignment_dir = str(workspace)
    return config


def release(config: Config, assignment: str) -> None:
    """Copy release/<assignment> to the exchange's outbound folder."""
    from nbgrader.exchange.default import ExchangeReleaseAssignment

    Path(config.Exchange.root).mkdir(parents=True, exist_ok=True)
    _run(ExchangeReleaseAssignment, config, assignment, force=True)


def fetch(config: Config, assignment: str) -> Path:
    """A trainee fetches the assignment into their folder; returns its path."""
    from nbgrader.exchange.default import ExchangeFetchAssignment

    _run(ExchangeFetchAssignment, config, assignment)
    return Path(config.Exchange.assignment_dir) / assignment


def submit(config: Config, assignment: str) -> None:
    """A trainee submits their copy of the assignment."""
    from nbgrader.exchange.default import ExchangeSubmit

    _run(ExchangeSubmit, config, assignment)


def collect(config: Config, assignment: str) -> None:
    """The instructor collects every submission into submitted/<student>/<assignment>."""
    from nbgrader.exchange.default import ExchangeCollect

    _run(ExchangeCollect, config, assignment, update=True)


def release_feedback(config: Config, assignment: str) -> None:
    """The instructor releases generated feedback to the exchange."""
    from nbgrader.exchange.default import ExchangeReleaseFeedback

    _run(ExchangeReleaseFeedback, config, assignment)


def fetch_feedback(config: Config, assignment: str) -> list[Path]:
    """A trainee fetches their feedback; returns the HTML files now in their folder."""
    from nbgrader.exchange.default import ExchangeFetchFeedback

    _run(ExchangeFetchFeedback, config, assignment)
    return sorted((Path(config.Exchange.assignment_dir) / assignment / "feedback").rglob("*.html"))
