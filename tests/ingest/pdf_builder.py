"""Builds small real PDFs with pypdf for the tests (text pages, an outline, optional password)."""

from __future__ import annotations

import io

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, IndirectObject, NameObject


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]], *, outline: list[tuple[int, str, int]] | None = None,
             title: str = "", password: str | None = None) -> bytes:
    """A PDF whose pages show ``pages`` (lines of Helvetica text).

    ``outline`` holds (depth, title, page index) bookmarks, children after their parent.
    ``password`` encrypts the file with that user password (RC4, no extra dependency).
    """
    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))
    for lines in pages:
        page = writer.add_blank_page(612, 792)
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 720 Td"]
        ops += [f"({_escape(line)}) Tj T*" for line in lines]
        ops.append("ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    parents: dict[int, IndirectObject] = {}
    for depth, heading, page_index in outline or []:
        parents[depth] = writer.add_outline_item(title=heading, page_number=page_index,
                                                 parent=parents.get(depth - 1))
    if title:
        writer.add_metadata({"/Title": title})
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner-placeholder",
                       algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
