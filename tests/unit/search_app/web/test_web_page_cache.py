"""The search page is rendered once per search result and URL; a new index generation or
commit shows new results at once."""

from __future__ import annotations

from pathlib import Path

from archive.config import DataDir
from archive.facade import Archive
from archive.store import ArchiveStore
from archive.validation import check
from search_app.web.app import create_app
from tests.helpers import small_record


def _save(data_dir: DataDir, crawl_id: str, records: list[dict]) -> None:
    with ArchiveStore(data_dir.store_path) as store:
        store.begin_crawl(crawl_id, "https://www.ikpe-erfurt.de/")
        store.save([check(r) for r in records], crawl_id)
        store.finish_crawl(crawl_id, "finished", {}, apply_removals=False)
    Archive(data_dir).update_index()


def test_a_repeated_search_is_the_same_page_and_a_new_commit_is_seen(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "data").ensure()
    _save(data_dir, "crawl-1", [small_record("wp-1", "Armut in Erfurt", "Armut im Land")])
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir.root)})
    client = app.test_client()
    first = client.get("/suche?q=Armut")
    assert first.status_code == 200 and "Armut in Erfurt" in first.text
    assert client.get("/suche?q=Armut").text == first.text
    assert client.get("/suche?q=Armut&sort=-date").text != first.text  # another state

    _save(data_dir, "crawl-2", [small_record("wp-2", "Armut in Gera", "Armut in der Stadt")])
    after = client.get("/suche?q=Armut")
    assert "Armut in Gera" in after.text and "Armut in Erfurt" in after.text
    app.extensions["ikpe_archive"].close()
