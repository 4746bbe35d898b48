"""Synthetic institutions for demos and benchmarks (`postrx demo-data`).

Fast enough for 100,000 learners: rows are built as plain dicts and written with bulk
`insert(Model)` executes in batches; the one password hash is computed once; certificate
snapshots share one provider/signer block (no images, so rows stay small).
Everything is fictitious: names are drawn from lists of common given and family names.

- `common`       the vocabulary (departments, professions, names, criteria), DemoStats, bulk()
- `institution`  the institution, its departments, assignments and final quiz; its members
- `activity`     enrollments, lesson progress, graded attempts, certificates
- `snapshots`    certificate snapshots as this install issues them (tests use them too)
- `build`        `generate()`, which runs the steps in order

Nothing here commits: the CLI command owns the transaction (`app.db_tx.transaction`).
"""

from __future__ import annotations

from app.services.demo_data.build import generate
from app.services.demo_data.common import FINAL_QUIZ, PROFESSIONS, DemoStats
from app.services.demo_data.snapshots import demo_credit, snapshot_base

# tests/app/institution/conftest.py builds its certificates from the same snapshot.
_snapshot_base = snapshot_base

__all__ = ["FINAL_QUIZ", "PROFESSIONS", "DemoStats", "demo_credit", "generate", "snapshot_base"]
