"""A slow job kind for tests that start real worker processes (imported by those workers)."""

from __future__ import annotations

import time

from app.services import audit
from app.services.jobs import JobContext, handler


@handler("test_slow", time_limit=120)
def slow(ctx: JobContext) -> None:
    """Works for `seconds`, reporting progress; its side effect must happen exactly once."""
    steps = int(float(ctx.params.get("seconds", 1)) * 5)
    for step in range(steps):
        time.sleep(0.2)
        ctx.progress(step + 1, steps)
    audit.record("test.slow.side_effect", actor=None, subject=f"job:{ctx.job.id}")
    ctx.out.write(b"slow job output")
    ctx.set_output("slow.txt", "text/plain")
    ctx.result["summary"] = "slow job done"


WORKER_CODE = "import tests.app.jobs.slow_handler; from app.cli import main; main()"
