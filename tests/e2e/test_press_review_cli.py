"""``ikpe-archive press-review`` and ``press-reviews`` as staff and the monthly timer run
them: a real data directory, the CLI in a subprocess, each file opened and read back;
usage errors and refusals in one line, never a traceback."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from archive.config import DataDir
from archive.facade import Archive
from tests.helpers import cli, press_review_records, store_crawl


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A store with the press review's records, an index, and a saved review."""
    directory = DataDir(tmp_path_factory.mktemp("press-review-cli") / "data").ensure()
    store_crawl(directory, "crawl-1", press_review_records())
    with Archive(directory) as archive:
        archive.update_index()
        reviews = archive.press_reviews()
        name = reviews.create("Vorstand März", name="vorstand-maerz", date_from="2026-03",
                              date_to="2026-03", intro="Für die Sitzung.").name  # fmt: skip
        reviews.add(name, ["wp-302", "pub-a000000000000001"])
    return directory.root


def test_a_period_in_each_format(data_dir: Path, tmp_path: Path) -> None:
    for fmt in ("pdf", "docx", "md"):
        target = tmp_path / f"pressespiegel.{fmt}"
        result = cli(data_dir, "press-review", "--from", "2026-03", "--to", "2026-03",
                     "--format", fmt, "-o", str(target))  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == (
            f"press review written to {target}: 8 items in 3 sections"
        )
        assert "Traceback" not in result.stderr and "weasyprint.progress" not in result.stderr
    pdf = PdfReader(tmp_path / "pressespiegel.pdf")
    assert "Pressespiegel März 2026" in pdf.pages[0].extract_text()
    assert f"Seite 1 von {len(pdf.pages)}" in pdf.pages[0].extract_text()
    word = Document(tmp_path / "pressespiegel.docx")
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 1"] == [
        "Eigene Meldungen", "Presse über das IKPE", "Termine",
    ]  # fmt: skip
    markdown = (tmp_path / "pressespiegel.md").read_text(encoding="utf-8")
    assert markdown.index("## Eigene Meldungen") < markdown.index("## Termine")


def test_query_types_title_intro_and_full_text(data_dir: Path, tmp_path: Path) -> None:
    intro = tmp_path / "einleitung.txt"
    intro.write_text("Liebe Leserinnen,\n\nhier die Auswahl.", encoding="utf-8")
    target = tmp_path / "auswahl.md"
    result = cli(data_dir, "press-review", "--from", "2026-03", "--to", "2026-03",
                 "--query", "Präventionsketten OR Qualifizierungsreihe", "--type", "news",
                 "--type", "press_release", "--title", "Auswahl", "--intro", str(intro),
                 "--full-text", "--archive-url", "https://archiv.example", "--format", "md",
                 "-o", str(target))  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Auswahl\n") and "hier die Auswahl." in text
    assert [line for line in text.splitlines() if line.startswith("### ")] == [
        "### Programm Thüringer Präventionsketten zieht positive Bilanz",
        "### Qualifizierungsreihe für Armutspräventionsplanerinnen startet",
        "### Qualifizierungsreihe (zweite Adresse)",
    ]
    assert "**Volltext:**" in text and "(<https://archiv.example/r/wp-301/v/1>)" in text


def test_a_saved_composition(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "vorstand-{from}.docx"
    result = cli(data_dir, "press-review", "--saved", "vorstand-maerz", "--format", "docx",
                 "-o", str(target))  # fmt: skip
    assert result.returncode == 0, result.stderr
    written = tmp_path / "vorstand-2026-03.docx"
    word = Document(io.BytesIO(written.read_bytes()))
    assert [p.text for p in word.paragraphs if p.style.name.startswith("Heading")] == [
        "Einleitung", "Eigene Meldungen",
        "Qualifizierungsreihe für Armutspräventionsplanerinnen startet",
        "Presse über das IKPE", "Erfurter Institut berät Landkreise",
    ]  # fmt: skip


def test_the_saved_reviews_are_listed(data_dir: Path) -> None:
    result = cli(data_dir, "press-reviews")
    assert result.returncode == 0
    assert result.stdout.split()[:3] == ["vorstand-maerz", "2", "items"]
    listed = json.loads(cli(data_dir, "press-reviews", "--json").stdout)
    assert [(e["name"], e["item_count"], e["title"]) for e in listed][-1] == (
        "vorstand-maerz", 2, "Vorstand März",
    )  # fmt: skip


def test_save_as_then_saved(data_dir: Path, tmp_path: Path) -> None:
    first = cli(data_dir, "press-review", "--month", "2026-03", "--type", "event", "--save-as",
                "termine-maerz", "--format", "md", "-o", str(tmp_path / "a.md"))  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert "saved as composition 'termine-maerz'" in first.stdout
    again = cli(data_dir, "press-review", "--saved", "termine-maerz", "--format", "md",
                "-o", str(tmp_path / "b.md"))  # fmt: skip
    assert again.returncode == 0
    assert (tmp_path / "a.md").read_text() == (tmp_path / "b.md").read_text()


# (arguments, exit code, words of the one-line message)
FAILURES = [
    (["--format", "md", "-o", "x.md"], 2, "give the period"),
    (["--from", "2026-03", "--format", "md", "-o", "x.md"], 2, "give the period"),
    (["--from", "März", "--to", "2026-03", "--format", "md", "-o", "x.md"], 2, "YYYY"),
    (["--from", "2026-04", "--to", "2026-03", "--format", "md", "-o", "x.md"], 2,
     "--from lies after --to"),
    (["--month", "2026-13", "--format", "md", "-o", "x.md"], 2, "YYYY-MM"),
    (["--month", "2026-03", "--from", "2026-03", "--format", "md", "-o", "x.md"], 2,
     "either --month or --from/--to"),
    (["--month", "2026-03", "--format", "odt", "-o", "x.odt"], 2, "Invalid value"),
    (["--saved", "vorstand-maerz", "--month", "2026-03", "--query", "x", "--format", "md",
      "-o", "x.md"], 2, "--month, --query cannot be combined"),
    (["--saved", "gibt-es-nicht", "--format", "md", "-o", "x.md"], 1,
     "Einen gespeicherten Pressespiegel „gibt-es-nicht“ gibt es nicht."),
    (["--month", "2026-03", "--query", "x", "--type", "news", "--save-as", "Kein Name",
      "--format", "md", "-o", "x.md"], 1, "taugt nicht als Name"),
    (["--month", "2026-03", "--intro", "gibt/es/nicht.txt", "--format", "md", "-o", "x.md"],
     2, "does not exist"),
    (["--month", "2026-03", "--archive-url", "javascript:alert(1)", "--format", "md", "-o",
      "x.md"], 2, "not an http(s) URL"),
]  # fmt: skip


@pytest.mark.parametrize("args, code, message", FAILURES)
def test_failures_say_why_in_one_line(
    data_dir: Path, tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    result = cli(data_dir, "press-review", *args)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir())  # nothing written


def test_an_unwritable_output_fails_in_one_line(data_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "datei"
    blocker.write_text("kein Verzeichnis")
    result = cli(data_dir, "press-review", "--month", "2026-03", "--format", "md",
                 "-o", str(blocker / "x.md"))  # fmt: skip
    assert result.returncode == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_without_an_archive(tmp_path: Path) -> None:
    result = cli(tmp_path / "leer", "press-review", "--month", "2026-03", "--format", "md",
                 "-o", str(tmp_path / "x.md"))  # fmt: skip
    assert result.returncode == 1
    assert "no archive in" in result.stderr and "Traceback" not in result.stderr


def test_a_query_without_an_index(tmp_path: Path) -> None:
    directory = DataDir(tmp_path / "data").ensure()
    store_crawl(directory, "crawl-1", press_review_records())
    result = cli(directory.root, "press-review", "--month", "2026-03", "--query", "Armut",
                 "--format", "md", "-o", str(tmp_path / "x.md"))  # fmt: skip
    assert result.returncode == 1
    assert "no search index" in result.stderr and "Traceback" not in result.stderr
