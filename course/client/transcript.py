"""The case as the trainee sees it before the plan is due: the transcript up to the key moment."""

from __future__ import annotations

from typing import Any


def session_turns(case: Any) -> list:
    """The transcript turns the trainee sees with a plan exercise: up to the homework discussion."""
    cut = case.homework_discussion_from
    return list(case.transcript if cut is None else case.transcript[:cut])


def homework_turns(case: Any) -> list:
    """The turns of the homework discussion (empty when the case marks none)."""
    cut = case.homework_discussion_from
    return [] if cut is None else list(case.transcript[cut:])


def speaker_label(speaker: str) -> str:
    """How a speaker is shown: 'Therapist', 'Client', or the person's name as written."""
    return speaker.capitalize() if speaker.lower() in {"therapist", "client"} else speaker


def case_markdown(case: Any) -> str:
    """The case as a plan exercise shows it to the trainee, as Markdown (nothing of the homework discussion)."""
    name = case.client.name
    lines = [
        f"# {case.title}",
        "",
        f"*{case.modality.replace('_', ' ')} · {case.delivery.replace('_', ' ')} · {case.language}"
        + (" · with an interpreter" if case.interpreter else "") + "*",
        "",
        case.presenting_problem,
        "",
        f"## Goals, in {name}'s words",
        "",
        *[f"- “{goal.text}”" for goal in case.goals],
        "",
        f"## What {name} took from the session",
        "",
        f"“{case.takeaway.text}”",
        "",
        "## Risk screen",
        "",
    ]
    screen = case.risk_screen
    lines.append(f"Asked: {screen.asked} Found: {screen.found}" if screen else "This case file states no risk screen.")
    lines += ["", "## Life context and constraints", "", case.client.context, ""]
    lines += [f"- {constraint.text}" for constraint in case.constraints]
    lines += ["", "## The session's key moment (transcript)", ""]
    for turn in session_turns(case):
        lines += [f"**{speaker_label(turn.speaker)}:** {turn.text}", ""]
    if case.homework_discussion_from is not None:
        lines.append(f"*The transcript stops here: the homework discussion is yours to have with {name}.*")
    return "\n".join(lines).rstrip() + "\n"
