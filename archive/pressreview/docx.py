"""The press review as a Word document (python-docx), in the order and with the words of
:mod:`content`.

Sections and items are real ``Heading 1``/``Heading 2`` paragraphs, so Word's navigation
pane (the outline) and its table of contents work. The table of contents is a Word
``TOC`` field; until Word updates it (it offers to on opening) it shows the entries as
links to bookmarks on the headings, so it works in any reader. Web links are real
hyperlinks (relationships to the address), never text a reader has to copy. python-docx
writes text as XML text, so nothing in a title can become markup; the characters XML
cannot hold were removed by :mod:`content`.
"""

from __future__ import annotations

import io
from itertools import count

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph

from archive.pressreview.content import (
    CONTENTS_TITLE,
    EMPTY_NOTE,
    INTRO_ANCHOR,
    INTRO_TITLE,
    PERIOD_LABEL,
    DocumentView,
    ItemView,
    document_view,
    shortened,
)
from archive.pressreview.model import Review

LINK_COLOUR = "0B4F8A"
NOTE_COLOUR = RGBColor(0x7A, 0x1F, 0x1F)
QUIET_COLOUR = RGBColor(0x55, 0x55, 0x55)
CORE_PROPERTY_CHARS = 255  # python-docx (and Word) refuse longer document properties
TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
# Settings children that must follow w:updateFields (the schema fixes their order).
_AFTER_UPDATE_FIELDS = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat")


def render_docx(review: Review) -> bytes:
    """The review as DOCX bytes."""
    doc = document_view(review)
    word = Document()
    word.core_properties.title = shortened(doc.title, CORE_PROPERTY_CHARS)
    word.core_properties.author = doc.institute
    word.core_properties.language = "de-DE"
    _page_furniture(word, doc)
    bookmarks = count(1)
    _cover(word, doc)
    _contents(word, doc)
    if doc.intro:
        _bookmarked(word.add_heading("", level=1), INTRO_ANCHOR, INTRO_TITLE, next(bookmarks))
        for paragraph in doc.intro:
            word.add_paragraph(paragraph)
    for section in doc.sections:
        heading = word.add_heading("", level=1)
        _bookmarked(heading, section.anchor, section.heading, next(bookmarks))
        for item in section.items:
            _item(word, item, next(bookmarks))
    if doc.internal_note:
        note = word.add_paragraph()
        note.paragraph_format.space_before = Pt(18)
        _run(note, doc.internal_note, italic=True, colour=NOTE_COLOUR)
    _update_fields_on_open(word)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _cover(word, doc: DocumentView) -> None:
    institute = word.add_paragraph()
    institute.paragraph_format.space_before = Pt(120)
    _run(institute, doc.institute, colour=QUIET_COLOUR)
    word.add_paragraph(doc.title, style="Title")
    if doc.period:
        word.add_paragraph(f"{PERIOD_LABEL}: {doc.period}", style="Subtitle")
    word.add_paragraph(doc.compiled)
    if doc.internal_note:
        note = word.add_paragraph()
        note.paragraph_format.space_before = Pt(24)
        _run(note, doc.internal_note, bold=True, colour=NOTE_COLOUR)
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _contents(word, doc: DocumentView) -> None:
    word.add_paragraph(CONTENTS_TITLE, style="TOC Heading")
    entries = [(INTRO_ANCHOR, INTRO_TITLE, 0)] if doc.intro and doc.sections else []
    for section in doc.sections:
        entries.append((section.anchor, section.heading, 0))
        entries += [(item.anchor, item.heading, 1) for item in section.items]
    if not entries:
        word.add_paragraph(EMPTY_NOTE)
        return
    paragraphs = []
    for anchor, text, level in entries:
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.left_indent = Pt(14 * level)
        paragraph.paragraph_format.space_after = Pt(2)
        paragraphs.append((paragraph, anchor, text))
    # The field starts before the first entry and ends after the last: Word replaces what
    # lies between when it updates the table of contents.
    first = paragraphs[0][0]
    _field_char(first, "begin")
    instruction = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = TOC_INSTRUCTION
    instruction.append(text)
    first._p.append(instruction)
    _field_char(first, "separate")
    for paragraph, anchor, entry in paragraphs:
        _hyperlink(paragraph, entry, anchor=anchor)
    _field_char(paragraphs[-1][0], "end")


def _item(word, item: ItemView, bookmark_id: int) -> None:
    heading = word.add_heading("", level=2)
    _bookmarked(heading, item.anchor, item.heading, bookmark_id)
    facts = word.add_paragraph()
    _run(facts, item.facts, italic=True, colour=QUIET_COLOUR)
    if item.original_title:
        word.add_paragraph(f"Originaltitel: {item.original_title}")
    for paragraph in item.summary:
        word.add_paragraph(paragraph)
    for number, paragraph in enumerate(item.comment):
        comment = word.add_paragraph()
        comment.paragraph_format.left_indent = Pt(12)
        if number == 0:
            _run(comment, "Anmerkung: ", bold=True)
        comment.add_run(paragraph)
    if item.full_text:
        label = word.add_paragraph()
        _run(label, "Volltext:", bold=True)
        for paragraph in item.full_text:
            word.add_paragraph(paragraph).paragraph_format.left_indent = Pt(12)
    for link in item.links:
        line = word.add_paragraph(style="List Bullet")
        line.add_run(f"{link.label}: ")
        _hyperlink(line, link.url, url=link.url)
    provenance = word.add_paragraph()
    _run(provenance, item.provenance, size=Pt(8), colour=QUIET_COLOUR)


def _page_furniture(word, doc: DocumentView) -> None:
    section = word.sections[0]
    section.different_first_page_header_footer = True  # the cover has no running header
    header = section.header.paragraphs[0]
    _run(header, doc.running_title, size=Pt(8), colour=QUIET_COLOUR)
    for footer in (section.footer, section.first_page_footer):
        line = footer.paragraphs[0]
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.add_run("Seite ")
        _simple_field(line, "PAGE", "1")
        line.add_run(" von ")
        _simple_field(line, "NUMPAGES", "1")


def _run(paragraph: Paragraph, text: str, *, bold=False, italic=False, size=None, colour=None):
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size is not None:
        run.font.size = size
    if colour is not None:
        run.font.color.rgb = colour
    return run


def _bookmarked(paragraph: Paragraph, name: str, text: str, bookmark_id: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    paragraph._p.append(start)
    paragraph.add_run(text)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    paragraph._p.append(end)


def _hyperlink(paragraph: Paragraph, text: str, *, url: str = "", anchor: str = "") -> None:
    """A hyperlink to a web address (a relationship) or to a bookmark of the document."""
    link = OxmlElement("w:hyperlink")
    if url:
        link.set(
            qn("r:id"),
            paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True),
        )
    else:
        link.set(qn("w:anchor"), anchor)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), LINK_COLOUR)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single" if url else "none")
    properties.append(colour)
    properties.append(underline)
    run.append(properties)
    content = OxmlElement("w:t")
    content.set(qn("xml:space"), "preserve")
    content.text = text
    run.append(content)
    link.append(run)
    paragraph._p.append(link)


def _field_char(paragraph: Paragraph, kind: str) -> None:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    paragraph._p.append(run)


def _simple_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    content = OxmlElement("w:t")
    content.text = placeholder
    run.append(content)
    field.append(run)
    paragraph._p.append(field)


def _update_fields_on_open(word) -> None:
    """Ask Word to update the fields (page numbers of the table of contents) on opening."""
    settings = word.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    for tag in _AFTER_UPDATE_FIELDS:
        follower = settings.find(qn(tag))
        if follower is not None:
            follower.addprevious(update)
            return
    settings.append(update)
