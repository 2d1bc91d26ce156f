"""A minimal PEP 517 build backend for the ``deltaplane`` package.

Why not setuptools: the package must build with no download (no ``wheel`` package, no PyPI), and
it is made of two trees — the hand-written layer in ``src/deltaplane`` and the low-level clients
generated at build time into ``target/generated-python/deltaplane/_generated`` — which this backend
packs into one pure-Python wheel.
"""

from __future__ import annotations

import base64
import hashlib
import os
import zipfile
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent


def _project() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


def _files() -> list[tuple[str, Path]]:
    config = _project()
    generated = ROOT / config["tool"]["deltaplane"]["build"]["generated"] / "deltaplane" / "_generated"
    if not (generated / "metadata" / "__init__.py").exists():
        raise RuntimeError(
            f"The generated clients are missing ({generated}): run "
            "`./mvnw -pl platform-api/clients/python generate-sources` from the repository root first"
        )
    files = []
    for base, prefix in ((ROOT / "src" / "deltaplane", "deltaplane"), (generated, "deltaplane/_generated")):
        for path in sorted(base.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".typed"):
                files.append((f"{prefix}/{path.relative_to(base).as_posix()}", path))
    return files


def _metadata() -> str:
    p = _project()["project"]
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {p['name']}",
        f"Version: {p['version']}",
        f"Summary: {p['description']}",
        f"Requires-Python: {p['requires-python']}",
        f"License: {p['license']['text']}",
    ]
    lines += [f"Requires-Dist: {d}" for d in p["dependencies"]]
    return "\n".join(lines) + "\n"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    p = _project()["project"]
    dist_info = f"{p['name']}-{p['version']}.dist-info"
    wheel_name = f"{p['name']}-{p['version']}-py3-none-any.whl"
    records = []
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as whl:
        for arcname, path in _files():
            data = path.read_bytes()
            whl.writestr(arcname, data)
            records.append(_record_line(arcname, data))
        for name, text in (
            ("METADATA", _metadata()),
            ("WHEEL", "Wheel-Version: 1.0\nGenerator: deltaplane_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
        ):
            data = text.encode()
            whl.writestr(f"{dist_info}/{name}", data)
            records.append(_record_line(f"{dist_info}/{name}", data))
        records.append(f"{dist_info}/RECORD,,")
        whl.writestr(f"{dist_info}/RECORD", "\n".join(records) + "\n")
    return wheel_name


build_editable = None  # not offered: install the built wheel
del build_editable
