"""`show_progress`: the self-study progress page (per module and per checklist behaviour)."""

from __future__ import annotations

import os

import ipywidgets as w

from course.answers import headless
from course.forms.common import esc, form_head, full_width, points, show, status_cell
from course.progress import Progress, collect_progress


def _level(share: float | None) -> str:
    if share is None:
        return '<span class="bs-status">not yet</span>'
    return status_cell("met" if share >= 0.75 else "partial" if share >= 0.4 else "missing")


def render_progress(progress: Progress) -> str:
    """The progress page as HTML."""
    modules = "".join(
        f"<tr><th scope='row'>{esc(title)}</th><td>{saved} of {total}</td>"
        f"<td>{f'{points(earned)} of {points(maximum)}' if maximum else ('—' if not total else 'see the notebook')}</td></tr>"
        for _, title, saved, total, earned, maximum in progress.module_summary()
    )
    behaviours = "".join(
        f"<tr><th scope='row'>{esc(name)}</th><td>{_level(share)}</td>"
        f"<td>{'' if share is None else f'{share:.0%} of the points in {n} exercise' + ('s' if n > 1 else '')}</td></tr>"
        for _, name, n, share in progress.behaviour_summary()
    )
    notes = "".join(
        f"<li>{esc(e.exercise)}: {esc(e.note)}</li>" for e in progress.exercises if e.note and e.saved
    )
    return (
        '<div class="bs-feedback" role="region" aria-label="Your progress">'
        "<h3>Your progress by module</h3><table><thead><tr><th scope='col'>Module</th>"
        "<th scope='col'>Exercises saved</th><th scope='col'>Points so far</th></tr></thead>"
        f"<tbody>{modules}</tbody></table>"
        "<h3>Your progress by behaviour</h3><p>Across every plan you have saved: ✔ met means most of the points, "
        "◐ partly met some, ✘ missing few.</p><table><thead><tr><th scope='col'>Behaviour</th>"
        f"<th scope='col'>Level</th><th scope='col'>Points earned</th></tr></thead><tbody>{behaviours}</tbody></table>"
        + (f"<ul>{notes}</ul>" if notes else "") + "</div>"
    )


def show_progress(course_folder: str | os.PathLike[str] | None = None) -> Progress:
    """Show the progress page (with a Refresh button) and return the progress it shows."""
    progress = collect_progress(course_folder)
    if headless():
        return progress
    page = w.HTML(render_progress(progress), layout=full_width())
    refresh = w.Button(description="Refresh my progress", icon="refresh", layout=w.Layout(width="auto"))

    def _refresh(_):
        page.value = render_progress(collect_progress(course_folder))

    refresh.on_click(_refresh)
    box = w.VBox([*form_head(), refresh, page], layout=full_width())
    box.add_class("bs-form")
    show(box)
    return progress
