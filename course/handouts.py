"""The printable client handout: one page of HTML made from a plan, saved next to the notebook.

Every piece of text comes from the trainee's plan and is escaped by the template engine
(autoescape on); the page has no scripts. Print styles are laid out for one A4 or Letter page
at normal size (10.5 pt in print); the large-print version uses 18 pt text and may run longer.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from course.answers import answers_path, headless
from course.plans import Plan, atomic_write_text
from course.summaries import (
    client_text,
    draft_summary,
    first_name,
    framing_word,
    hard_day,
    if_then_plans,
    practice_title,
    why_this_helps,
    without_school_words,
)
from course.templating import template_environment
from course.vignettes import Vignette

TEMPLATE = "handout.html.j2"
HANDOUT_DIR = "handouts"
IF_THEN = "If ... then ..."
# large_print -> (font size on screen, font size in print, line height)
SIZES = {False: ("11pt", "10.5pt", "1.35"), True: ("18pt", "18pt", "1.6")}
_SPANISH = ("spanish", "español", "espanol", "castellano")


def page_language(vignette: Vignette) -> str:
    """The page's lang attribute: "es" for a Spanish-speaking client, otherwise "en"."""
    return "es" if vignette.language.strip().lower().startswith(_SPANISH) else "en"


def handout_rows(plan: Plan, vignette: Vignette) -> list[tuple[str, str | list[str]]]:
    """The grid of the handout, spoken to the client, leaving out what the plan leaves empty."""
    bring = [text for text in (client_text(plan.record, vignette), client_text(plan.review, vignette)) if text]
    rows: list[tuple[str, str | list[str]]] = [
        ("What", client_text(plan.task, vignette)),
        ("When", client_text(plan.when, vignette)),
        ("Where", client_text(plan.where, vignette)),
        ("How long", client_text(plan.duration, vignette)),
        ("How often", client_text(plan.frequency, vignette)),
        ("On a hard day", hard_day(plan, vignette)),
        (IF_THEN, if_then_plans(plan)),
        ("Bring next time", bring),
        ("Why this helps", why_this_helps(plan, vignette)),
    ]
    return [(label, value) for label, value in rows if value]


def summary_lines(plan: Plan, vignette: Vignette) -> list[str]:
    """The summary as the client will read it: the trainee's own, or a draft if there is none."""
    text = plan.summary.strip() or draft_summary(plan, vignette)
    return [line.strip() for line in text.splitlines() if line.strip()]


def _comparable(text: str) -> str:
    return " ".join(text.lower().replace("“", '"').replace("”", '"').split()).rstrip(".")


def not_in_summary(rows: list[tuple[str, str | list[str]]], summary: list[str]) -> list[tuple[str, str | list[str]]]:
    """The grid without what the summary box already says, so nothing is printed twice."""
    said = _comparable(" ".join(summary))
    kept: list[tuple[str, str | list[str]]] = []
    for label, value in rows:
        if isinstance(value, list):
            value = [item for item in value if _comparable(item) not in said]
        elif _comparable(value) in said:
            value = ""
        if value:
            kept.append((label, value))
    return kept


def render_handout(plan: Plan, vignette: Vignette, *, large_print: bool = False, preview: bool = False) -> str:
    """The handout as a complete HTML document (`preview`: as shown inside the notebook, where the
    note says how to open it in a tab of its own to print it)."""
    font_size, print_font_size, line_height = SIZES[bool(large_print)]
    word = framing_word(plan)
    summary = summary_lines(plan, vignette)
    rows = [
        (label, [without_school_words(v, word) for v in value] if isinstance(value, list)
         else without_school_words(value, word))
        for label, value in handout_rows(plan, vignette)
    ]
    return template_environment().get_template(TEMPLATE).render(
        lang=page_language(vignette),
        title=practice_title(plan),
        name=first_name(vignette),
        summary=summary,
        rows=not_in_summary(rows, summary),
        if_then_label=IF_THEN,
        large_print=bool(large_print),
        font_size=font_size,
        print_font_size=print_font_size,
        line_height=line_height,
        preview=preview,
    )


def handout_path(exercise: str, folder: str | os.PathLike[str] | None = None, *, large_print: bool = False) -> Path:
    """Where an exercise's handout is saved: `handouts/<exercise>.html` in the notebook's folder."""
    base = answers_path(exercise, folder).parent.parent  # checks the exercise id
    suffix = "-large-print" if large_print else ""
    return base / HANDOUT_DIR / f"{exercise}{suffix}.html"


def save_handout(
    plan: Plan,
    vignette: Vignette,
    exercise: str,
    folder: str | os.PathLike[str] | None = None,
    *,
    large_print: bool = False,
) -> Path:
    """Write the handout next to the notebook (atomically) and return its path.

    Raises RuntimeError under nbgrader, where nothing may be written."""
    if headless():
        raise RuntimeError(
            "Handouts are not saved while nbgrader is running the notebook; "
            "open the notebook in JupyterLab to preview and save the handout."
        )
    path = handout_path(exercise, folder, large_print=large_print)
    atomic_write_text(path, render_handout(plan, vignette, large_print=large_print))
    return path


def _running_servers() -> list[dict]:
    """The Jupyter servers that have written their details to this user's runtime folder."""
    from jupyter_core.paths import jupyter_runtime_dir

    servers = []
    for info in Path(jupyter_runtime_dir()).glob("jpserver-*.json"):
        try:
            servers.append(json.loads(info.read_text()))
        except (OSError, ValueError):
            continue
    return servers


def handout_url(path: Path) -> str | None:
    """The address (without host) where the running Jupyter server serves a saved handout as a page of
    its own (`<base_url>files/<path under the server's root>`), or None when no server is known to
    serve that file.

    The server that started this kernel (its parent process) is preferred; otherwise the server with the
    deepest root folder holding the file."""
    path = Path(path).resolve()
    found: list[tuple[bool, int, str]] = []
    for server in _running_servers():
        root = server.get("root_dir") or server.get("notebook_dir")
        if not root:
            continue
        try:
            under = path.relative_to(Path(root).expanduser().resolve())
        except ValueError:
            continue
        base = "/" + str(server.get("base_url") or "/").strip("/")
        url = base.rstrip("/") + "/files/" + quote(under.as_posix())
        found.append((server.get("pid") == os.getppid(), len(Path(root).parts), url))
    return max(found)[2] if found else None
