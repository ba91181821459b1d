"""Where the workbench's data files are: the booklet templates and message catalogue
(``templates/``) and the JSON Schemas (``schemas/``).

In a source checkout (and an editable install) they are the top-level folders of the
repository; an installed wheel carries them as ``workbench/_templates`` and
``workbench/_schemas`` (see ``[tool.setuptools]`` in ``pyproject.toml``).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(source_name: str, shipped_name: str, marker: str) -> Path:
    source = _PACKAGE.parent / source_name
    if (source / marker).is_file():
        return source
    return _PACKAGE / shipped_name


TEMPLATES = _data_dir("templates", "_templates", "messages.yaml")
"""The top-level templates folder: ``booklet/`` and ``messages.yaml``."""

SCHEMAS = _data_dir("schemas", "_schemas", "plan.schema.json")
"""The folder of the committed JSON Schemas (``plan.schema.json``, ``settings.schema.json``)."""
