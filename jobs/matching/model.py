"""Where the embedding model's folder is, and what its build recorded: all that run time needs.

The folder is built by ``make model`` (``python -m jobs.modelbuild``, a build tool that run time
never imports); the encoder only loads it (:mod:`jobs.matching.encoder`).
"""

from __future__ import annotations

import json
from pathlib import Path

MODEL_NAME = "multilingual-e5-small"
BUILD_INFO_FILE = "build_info.json"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL_DIR = PROJECT_ROOT / "var" / "models" / MODEL_NAME


def read_build_info(folder: str | Path) -> dict | None:
    """The folder's ``build_info.json`` (source checksum, builder version, files), or None when it
    was not built by ``jobs.modelbuild`` or is unreadable."""
    try:
        return json.loads((Path(folder) / BUILD_INFO_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
