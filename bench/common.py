"""What the in-process benchmark scripts share: the repository on ``sys.path``, the seeded data, a median.

Imported first by bench/profile_participant.py and bench/profile_readers.py (``python bench/<script>.py``
puts bench/ on the path), so that ``quizapp`` imports from this checkout.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _folder in (ROOT / "bench", ROOT):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))


def median(values: list[float]) -> float:
    """Return the middle value of *values* (the upper one of the two middles for an even count)."""
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def seeded_data() -> dict:
    """Return what bench/run.py wrote of the seeded database (``BENCH_DATA``, default the SQLite run's file)."""
    path = Path(os.environ.get("BENCH_DATA", ROOT / "bench" / "out" / "sqlite-data.json"))
    return json.loads(path.read_text(encoding="utf-8"))
