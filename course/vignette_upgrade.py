"""Rewriting a vignette file written for an earlier schema version as the current version.

The file's own wording, comments and layout are kept: only the lines the upgrade changes are
rewritten, and the result is checked to mean exactly what the in-memory upgrade gives. The
original is kept beside the file (`case.yaml.v1.bak`), and the file is replaced atomically.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course.datafiles import read_yaml
from course.plans import atomic_write_text
from course.vignettes import VIGNETTE_SCHEMA_VERSION, VignetteError, upgrade_vignette_data, vignette_from_data

_TOP_VERSION = re.compile(r"^schema_version:\s*1\s*(#.*)?$", re.MULTILINE)
_PLAN_VERSION = re.compile(r"^(\s+)schema_version:\s*1\s*(#.*)?$")
_ACCESS_FLOW = re.compile(r"^(\s+)summary_access:\s*(\[[^\n]*\])\s*(#.*)?$", re.MULTILINE)
_ACCESS_BLOCK = re.compile(r"^(\s+)summary_access:\s*(#.*)?\n((?:\1[ \t]*-[^\n]*\n)+)", re.MULTILINE)


@dataclass(frozen=True)
class Upgrade:
    """What `upgrade_vignette_file` did."""

    path: Path
    backup: Path | None
    changed: bool
    kept_layout: bool
    message: str


def upgrade_vignette_file(path: str | Path) -> Upgrade:
    """Rewrite one vignette file as the current schema version, keeping the original beside it."""
    path = Path(path)
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise VignetteError(f"{path}: not a vignette (the file does not hold a mapping)")
    version = raw.get("schema_version")
    if version == VIGNETTE_SCHEMA_VERSION:
        vignette_from_data(raw, str(path))
        return Upgrade(path, None, False, True, f"{path}: already schema version {version}; nothing to do")
    if version != 1:
        raise VignetteError(f"{path}: schema_version {version!r} is not one this course can upgrade (1 -> 2)")
    wanted = upgrade_vignette_data(raw)
    vignette_from_data(wanted, str(path))  # a file that would not load after the upgrade is left untouched
    text = path.read_text(encoding="utf-8")
    rewritten = _rewrite_lines(text)
    kept_layout = rewritten is not None and _means(rewritten, wanted)
    if not kept_layout:
        import yaml

        rewritten = yaml.safe_dump(wanted, sort_keys=False, allow_unicode=True, width=100)
    backup = _free_name(path.with_name(path.name + ".v1.bak"))
    shutil.copy2(path, backup)
    atomic_write_text(path, rewritten)
    layout = "its wording, comments and layout kept" if kept_layout else "rewritten in plain YAML (comments were not kept)"
    return Upgrade(path, backup, True, kept_layout,
                   f"{path}: upgraded to schema version {VIGNETTE_SCHEMA_VERSION}, {layout}; the original is kept as {backup}")


def _rewrite_lines(text: str) -> str | None:
    """The file with the lines version 2 changes rewritten, or None if its layout is not the usual one."""
    text, top = _TOP_VERSION.subn(lambda m: f"schema_version: {VIGNETTE_SCHEMA_VERSION}" + _comment(m.group(1)), text)
    if top != 1:
        return None
    text = _upgrade_reference_plan_version(text)
    text = _ACCESS_FLOW.sub(_flow_access, text)
    return _ACCESS_BLOCK.sub(_block_access, text)


def _upgrade_reference_plan_version(text: str) -> str:
    """The reference plan's own `schema_version: 1` (and no other nested one) set to the plan's version 2."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip() != "reference_plan:":
            continue
        parent = len(line) - len(line.lstrip())
        for j in range(i + 1, len(lines)):
            inner = lines[j]
            if inner.strip() and len(inner) - len(inner.lstrip()) <= parent:
                break
            match = _PLAN_VERSION.match(inner)
            if match:
                lines[j] = f"{match.group(1)}schema_version: 2" + _comment(match.group(2))
                break
    return "\n".join(lines)


def _comment(comment: str | None) -> str:
    return f"  {comment}" if comment else ""


def _flow_access(match: re.Match[str]) -> str:
    indent, items, comment = match.group(1), match.group(2), match.group(3)
    value = "{}" if re.fullmatch(r"\[\s*\]", items) else "{any_of: " + items + "}"
    return f"{indent}summary_access: {value}" + _comment(comment)


def _block_access(match: re.Match[str]) -> str:
    indent, comment, items = match.group(1), match.group(2), match.group(3)
    moved = "".join("  " + line + "\n" for line in items.splitlines())
    return f"{indent}summary_access:" + _comment(comment) + f"\n{indent}  any_of:\n" + moved


def _means(text: str, wanted: dict[str, Any]) -> bool:
    import yaml

    try:
        return yaml.safe_load(text) == wanted
    except yaml.YAMLError:
        return False


def _free_name(target: Path) -> Path:
    """`target`, or `target.1`, `target.2` ... if an earlier backup is already there."""
    if not target.exists():
        return target
    for n in range(1, 1000):
        candidate = target.with_name(f"{target.name}.{n}")
        if not candidate.exists():
            return candidate
    raise OSError(f"could not find a free name to keep the original of {target} aside")
