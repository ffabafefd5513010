"""Warn when text typed into a form looks like real client information.

The course only ever uses invented cases. These checks look for the shapes of identifying
details (a phone number, an e-mail address, a date of birth, a full name that is not in the case)
and say so in words; they never block or change what the trainee typed.
"""

from __future__ import annotations

import re

from course.vignettes import Vignette

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_PHONE = re.compile(r"(?<![\w:])(\+?\d[\d ()\-]{7,}\d)(?![\w:])")
_DOB = re.compile(
    r"\b(born|dob|d\.o\.b|date of birth|birthday)\b[^.\n]{0,20}\d|\b\d{1,2}[/.-]\d{1,2}[/.-](19|20)\d{2}\b",
    re.IGNORECASE,
)
_FULL_NAME = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+([A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)\b")
_NOT_NAMES = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
    "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    "If", "Then", "When", "The", "This", "That", "What", "Why", "How", "Your", "You", "She", "He", "They",
    "We", "It", "On", "At", "In", "After", "Before", "Every", "Each", "Next", "Bring", "Call", "Text",
}


def privacy_warnings(text: str, case: Vignette | None = None) -> list[str]:
    """Reasons a text may contain real client information (empty if none)."""
    warnings = []
    if _EMAIL.search(text):
        warnings.append("an e-mail address")
    if any(sum(ch.isdigit() for ch in m.group(1)) >= 9 for m in _PHONE.finditer(text)):
        warnings.append("a phone number")
    if _DOB.search(text):
        warnings.append("a date of birth")
    known = set()
    if case is not None:
        for name in [case.client.name, *case.client.others]:
            known |= set(re.findall(r"[A-Z][a-z]+", name))
    for first, last in _FULL_NAME.findall(text):
        if first in _NOT_NAMES or last in _NOT_NAMES or (first in known and last in known):
            continue
        if first in known or last in known:
            continue
        warnings.append(f'what may be a real person\'s full name ("{first} {last}")')
        break
    return warnings


def privacy_message(warnings: list[str]) -> str:
    """One sentence for the trainee, or an empty string."""
    if not warnings:
        return ""
    return (
        "Privacy check: this looks like it may contain " + ", ".join(warnings) + ". Never enter real client "
        "information; the cases in this course are invented. Please replace it with invented details."
    )
