"""The shipped example runs as documented."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_pipeline_example_runs(gateway: str, admin_key: str) -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "pipeline.py"
    env = {**os.environ, "DELTAPLANE_API_URL": gateway, "DELTAPLANE_API_KEY": admin_key}
    done = subprocess.run([sys.executable, str(example)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "committed version 1" in done.stdout
    assert "a stale commit is refused: the table is at 1" in done.stdout
    assert ": COMPLETED, 1 artifact(s)" in done.stdout
