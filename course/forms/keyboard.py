"""Keeps every key pressed inside a course form for the form, away from notebook shortcuts."""

from __future__ import annotations

from pathlib import Path

import anywidget
import ipywidgets as w


class KeyboardGuard(anywidget.AnyWidget):
    """An invisible widget that marks its form with `data-lm-suppress-shortcuts`.

    Without it, ↓ on a dropdown moves JupyterLab's cell selection and letter keys run notebook
    commands ("a" inserts a cell); with it, every control keeps its keys."""

    _esm = Path(__file__).with_name("static") / "keyboard_guard.js"

    def __init__(self) -> None:
        super().__init__(layout=w.Layout(display="none"))
