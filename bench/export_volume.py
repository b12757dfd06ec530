"""Results export at volume on PostgreSQL: the inline export, the background job and the stored file's download.

Runs against a database that ``bench/volume.py`` has loaded (``BENCH_PG_URL``; competition
``aqsf-2026`` with 100,000 participants), with the app's own functions:

- ``export_rows`` (the count that decides inline or background) and the inline export of one
  单位 (``--organization``, 20,000 rows in the volume data: the size of the inline limit);
- the whole competition masked and full, as the scheduler builds it (``build_export``:
  writing plus storing the 1 MiB chunks), then the download read back chunk by chunk;
- per phase the wall time, the CPU time and the peak RSS of that phase alone (``VmHWM`` is
  reset through ``/proc/self/clear_refs`` before each phase).

A full export decrypts ``phone_encrypted``: the volume data stores a placeholder there, so
``--encrypt`` first replaces it with real Fernet tokens of the running key (``QUIZAPP_PII_KEY``
must then stay the same between runs). Prints one JSON line; the jobs it creates are deleted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from sqlalchemy import select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from volume import COMPETITION, _default_environment  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.contests import export_jobs  # noqa: E402
from quizapp.contests.models import Competition, ExportJob  # noqa: E402
from quizapp.contests.results import ResultFilter, export_results, export_rows  # noqa: E402
from quizapp.extensions import db  # noqa: E402


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _phase(function, *args, **kwargs) -> tuple[object, dict]:
    _reset_peak()
    wall, cpu = time.perf_counter(), time.process_time()
    value = function(*args, **kwargs)
    return value, {"s": round(time.perf_counter() - wall, 2), "cpu_s": round(time.process_time() - cpu, 2), "peak_rss_mb": _peak_rss_mb()}


def _drain(handle) -> int:
    size = 0
    with handle:
        while chunk := handle.read(1 << 20):
            size += len(chunk)
    return size


def _encrypt_placeholders() -> int:
    from quizapp.privacy.phone import encrypt_phone

    ids = list(db.session.scalars(text("SELECT id FROM participant WHERE phone_encrypted = 'bench'")))
    rows = [{"id": pid, "token": encrypt_phone(f"138{pid:08d}")} for pid in ids]
    if rows:
        db.session.execute(text("UPDATE participant SET phone_encrypted = :token WHERE id = :id"), rows)
        db.session.commit()
    return len(rows)


def _build(competition_id: int, full: bool) -> dict:
    job, _ = export_jobs.request_export(competition_id, full=full, actor="system:bench")
    built, figures = _phase(export_jobs.build_export, job.id)
    db.session.refresh(job)
    figures.update(built=built, status=job.status, bytes=job.size_bytes, error=job.error)
    size, read = _phase(lambda: sum(len(chunk) for chunk in export_jobs.read_chunks(job.id)))
    figures["download"] = {**read, "bytes": size}
    export_jobs._delete_jobs([job.id])
    db.session.commit()
    return figures


def main() -> int:
    """Time the phases and print them as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organization", default="区应急管理局", help="the 单位 whose export is timed inline")
    parser.add_argument("--encrypt", action="store_true", help="replace the placeholder numbers with real Fernet tokens first")
    parser.add_argument("--skip-full", action="store_true")
    options = parser.parse_args()
    _default_environment()
    app = create_app()
    with app.app_context():
        competition = db.session.scalar(select(Competition).where(Competition.slug == COMPETITION))
        figures: dict = {"load_average_before": os.getloadavg()}
        if options.encrypt:
            figures["encrypted"] = _encrypt_placeholders()
        rows, figures["export_rows_all"] = _phase(export_rows, competition.id)
        figures["export_rows_all"]["rows"] = rows
        one = ResultFilter(organization=options.organization)
        rows, figures["export_rows_one_organization"] = _phase(export_rows, competition.id, one)
        figures["export_rows_one_organization"]["rows"] = rows
        size, figures["inline_one_organization"] = _phase(lambda: _drain(export_results(competition.id, filters=one)))
        figures["inline_one_organization"]["bytes"] = size
        figures["job_masked"] = _build(competition.id, full=False)
        if not options.skip_full:
            figures["job_full"] = _build(competition.id, full=True)
        db.session.execute(text("DELETE FROM audit_log WHERE actor = 'system:bench'"))
        db.session.commit()
        figures["load_average_after"] = os.getloadavg()
        left = select(db.func.count(ExportJob.id)).where(ExportJob.requested_by == "system:bench")
        figures["pending_jobs_left"] = db.session.scalar(left)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
