"""The bugs the fault suite found, one row each: the request that failed and what it gets
now (a request that once took minutes must not take more than a few seconds). Damaged
files found more: their rows are in ``test_fault_damaged.py``."""

from __future__ import annotations

import time

import pytest

from tests.faults.fault_fuzz import CSRF_TOKEN, FuzzTarget

pytestmark = pytest.mark.e2e  # the hostile archive is crawled by the CLI

TOO_LARGE = str(2**64)
# (method, path, status), note.
REGRESSIONS = [
    ("POST", f"/pressespiegel/fuzz/eintraege/{TOO_LARGE}/neue-version", 404,
     "an item number SQLite cannot take: OverflowError, a 500"),
    ("POST", f"/pressespiegel/fuzz/eintraege/{TOO_LARGE}/hoch", 404, "the same, one up"),
    ("POST", f"/pressespiegel/fuzz/eintraege/{TOO_LARGE}/runter", 404, "the same, one down"),
    ("POST", f"/pressespiegel/fuzz/eintraege/{TOO_LARGE}/verschieben", 404, "the same, moved"),
    ("POST", f"/pressespiegel/fuzz/rubriken/{TOO_LARGE}", 404, "a section number as large"),
    ("POST", "/pressespiegel/fuzz/eintraege/1000000000001/hoch", 404, "just past the limit"),
    ("GET", "/r/wp-207/diff?a=1&b=1", 200,
     "the 1.4 MB post diffed with itself: difflib, quadratic on repetitive words, took "
     "minutes of CPU for one request"),
    ("GET", "/r/wp-201/diff?a=1&b=2", 200, "two versions that differ at the end"),
]  # fmt: skip


@pytest.mark.parametrize("method, path, status", [r[:3] for r in REGRESSIONS],
                         ids=[r[3] for r in REGRESSIONS])  # fmt: skip
def test_a_request_that_failed_once(
    fuzz_target: FuzzTarget, method: str, path: str, status: int
) -> None:
    client = fuzz_target.app.test_client()
    with client.session_transaction() as session:
        session["csrf_token"] = CSRF_TOKEN
    form = {"csrf_token": CSRF_TOKEN, "section": "1"} if method == "POST" else None
    started = time.process_time()
    response = client.open(path, method=method, data=form)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert time.process_time() - started < 10
