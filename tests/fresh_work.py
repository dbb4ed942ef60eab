"""Work for the FreshBackground tests (tests/test_parallel_output.py): module-level functions,
so that a new interpreter can unpickle them."""

import os
import sys


def report(started, proceed):
    """Mark ``started`` (a Path), wait at ``proceed()``, say where it ran."""
    started.write_text("yes", encoding="utf-8")
    allowed = proceed()
    (started.parent / "after").write_text(str(allowed), encoding="utf-8")
    return {"pid": os.getpid(), "allowed": allowed, "pytest_loaded": "pytest" in sys.modules,
            "data": b"\x00" * 100_000}


def fail(proceed):
    raise ValueError("encoding broke")
