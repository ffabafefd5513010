"""Where the course's data files live and how they are read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


class DataFileError(ValueError):
    """A data file is missing or not valid YAML."""


def read_yaml(path: Path) -> Any:
    """Parse a YAML (or JSON) file, with the fast C loader when it is available."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=loader)
    except FileNotFoundError:
        raise DataFileError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path}: not valid YAML: {exc}") from None
