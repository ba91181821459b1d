"""The wheel is complete: every module, the booklet templates, the message catalogue and
the JSON Schemas ship inside it, and an unpacked wheel (no source tree beside it) finds
them and renders a booklet."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--disable-pip-version-check",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("kam_workbench-*.whl")
    site = out / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    return site


def test_wheel_holds_every_module_template_and_schema(unpacked_wheel: Path) -> None:
    shipped = {p.relative_to(unpacked_wheel).as_posix() for p in unpacked_wheel.rglob("*") if p.is_file()}
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "workbench").rglob("*.py")}
    assert modules - shipped == set(), "modules missing from the wheel: list the subpackage in pyproject.toml"
    templates = {
        "workbench/_templates/" + p.relative_to(ROOT / "templates").as_posix()
        for p in (ROOT / "templates").rglob("*")
        if p.is_file()
    }
    schemas = {"workbench/_schemas/" + p.name for p in (ROOT / "schemas").glob("*.json")}
    assert templates - shipped == set()
    assert schemas - shipped == set()


def test_unpacked_wheel_finds_its_data_and_renders_a_booklet(unpacked_wheel: Path, tmp_path: Path) -> None:
    script = (
        "import sys; from pathlib import Path\n"
        "import workbench, workbench.resources as r\n"
        "assert Path(workbench.__file__).resolve().is_relative_to(Path(sys.argv[1]).resolve()), workbench.__file__\n"
        "print(r.TEMPLATES); print(r.SCHEMAS)\n"
        "from workbench.cli import main\n"
        "sys.argv = ['kam', 'booklet', '01047', '--plans', sys.argv[2], '--out', sys.argv[3]]\n"
        "main()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(unpacked_wheel)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(unpacked_wheel), str(ROOT / "plans"), str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    templates, schemas = done.stdout.splitlines()[:2]
    assert Path(templates) == unpacked_wheel / "workbench" / "_templates"
    assert Path(schemas) == unpacked_wheel / "workbench" / "_schemas"
    assert (tmp_path / "booklets" / "01047.pdf").read_bytes().startswith(b"%PDF-")
