"""``bench/index_build_bench.py`` on a few records: both writers build, answer alike, and
the report holds the figures BENCHMARKS.md quotes."""

from __future__ import annotations

import json
from pathlib import Path

from bench import index_build_bench


def test_both_writers_build_the_same_index_and_are_reported(tmp_path: Path) -> None:
    out = tmp_path / "index-build.json"
    assert index_build_bench.main(["--sizes", "40", "--repeat", "1", "--json", str(out)]) == 0
    (result,) = json.loads(out.read_text())["results"]
    assert result["records"] == 40 and result["same_answers"] is True
    for writer in ("bulk", "add_document"):
        assert result[writer]["build_s"] > 0 and result[writer]["cpu_s"] > 0
        assert len(result["runs"][writer]) == 1
    assert 0 < result["update_10_changed_1_removed_s"] < 30
