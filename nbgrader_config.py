"""nbgrader settings for the Between Sessions course (the repository root is the course root).

The list of answers files comes from course/data/assignments.yaml, so adding an exercise there is
enough for autograde to keep the trainee's saved answers.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from course.assignments import answers_files, load_course  # noqa: E402

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = load_course().course_id
c.CourseDirectory.root = str(HERE)
c.CourseDirectory.db_url = f"sqlite:///{HERE / 'gradebook.db'}"

# Generous time limits; nbgrader reads the limit under two trait names (jupyter/nbgrader#1463).
c.Execute.timeout = 180
c.ExecutePreprocessor.timeout = 180
c.Execute.startup_timeout = 120

# Keep each trainee's saved answers: without this, autograde overwrites them with the empty
# templates from source/ ("Overwriting files with master versions from the source directory").
c.Autograde.exclude_overwriting = answers_files()

# Feedback shows scores and test output, never the hidden tests' code.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# Form cells are locked and pre-written; a code answer that is left blank should read as a prompt.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Harmless warnings on stderr must not zero a test cell.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(FutureWarning|DeprecationWarning|UserWarning|SAWarning|Kernel is running over TCP)"

c.NbGrader.logfile = str(HERE / "nbgrader.log")

# `nbgrader export` adds each trainee's status, notes and grader version (course/export.py): a trainee
# who did not submit, or whose grading failed, is exported as such, not as a score of 0.
c.ExportApp.plugin_class = "course.export.CourseCsvExport"
