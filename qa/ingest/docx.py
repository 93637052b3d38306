"""Word (.docx) files as text: paragraphs and tables in document order, content controls included.

An old binary Word file named .docx is read by `qa.ingest.doc`."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from qa.ingest.doc import OLE_MAGIC, _read_doc
from qa.ingest.limits import TooLarge, check_zip
from qa.ingest.refusal import _describe, _Refusal

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table, _Cell
    from lxml.etree import _Element


def _docx_cell_text(cell: _Cell) -> str:
    return " ".join(line.strip() for line in cell.text.splitlines() if line.strip())


def _docx_table_lines(table: Table) -> list[str]:
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            # A merged cell appears once per grid column it spans; keep it once.
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            cells.append(_docx_cell_text(cell))
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


def _docx_blocks(container: _Element, parent: DocxDocument) -> list[str]:
    """Text blocks of a body element in document order: one per paragraph, one per table."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks = []
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            text = Paragraph(child, parent).text.strip()
            if text:
                blocks.append(text)
        elif child.tag == qn("w:tbl"):
            lines = _docx_table_lines(Table(child, parent))
            if lines:
                blocks.append("\n".join(lines))
        elif child.tag == qn("w:sdt"):
            # Content controls (cover pages, templates) wrap ordinary paragraphs and tables.
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                blocks.extend(_docx_blocks(content, parent))
    return blocks


def _read_docx(data: bytes) -> str:
    import docx

    if data.startswith(OLE_MAGIC):
        return _read_doc(data)  # an old binary Word file named .docx: read it as what it is
    try:
        check_zip(data)  # before python-docx parses anything: a bomb stops here, in blocks
    except TooLarge as exc:
        raise _Refusal(str(exc)) from None
    except Exception:
        pass  # not a sound zip: python-docx says what is wrong below
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _docx_blocks(document.element.body, document)
    except Exception as exc:
        raise _Refusal(f"Word 文件已损坏，无法读取{_describe(exc)}") from exc
    return "\n\n".join(blocks)
