"""The invisible helper in every course form: keeps the form's keys away from notebook shortcuts, and
hands the text typed in the form to the kernel before a button's press is handled."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as w

from course.forms.common import take_typed_text


class KeyboardGuard(anywidget.AnyWidget):
    """An invisible widget that marks its form with `data-lm-suppress-shortcuts`.

    Without it, ↓ on a dropdown moves JupyterLab's cell selection and letter keys run notebook
    commands ("a" inserts a cell); with it, every control keeps its keys.

    It also sees every button press in its form first: it sends the text of each of the form's text
    fields as the page shows it, so the button acts on all that was typed (ipywidgets may still be
    holding the last keystrokes back; see `common.TypedField`)."""

    _esm = Path(__file__).with_name("static") / "keyboard_guard.js"

    def __init__(self) -> None:
        super().__init__(layout=w.Layout(display="none"))
        self.on_msg(self._message)

    @staticmethod
    def _message(_guard: Any, content: Any, _buffers: Any) -> None:
        take_typed_text(content)
