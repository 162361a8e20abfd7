"""`/documents/{id}`: the source file exactly as it was imported, and its pages as pictures."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.store.queries import document_content
from jixiao.store.tables import Document
from jixiao.web.deps import ReadSessionDep
from jixiao.web.errors import NotFoundError
from jixiao.web.page_images import PAGED_FORMATS, page_png
from jixiao.web.responses import attachment
from jixiao.web.schemas import StoredId

router = APIRouter(include_in_schema=False)


def _stored(session: Session, document_id: int, column: Any) -> tuple[str, bytes]:
    """A stored document's `column` (its name or format) and its bytes, or a 404."""
    found = session.execute(select(column).where(Document.id == document_id)).first()
    if found is None:
        raise NotFoundError(f"没有编号为 {document_id} 的文档")
    return str(found[0]), document_content(session, document_id)


@router.get("/documents/{document_id}")
def document_file(document_id: StoredId, session: ReadSessionDep) -> Response:
    name, content = _stored(session, document_id, Document.name)
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return Response(
        content,
        media_type="application/octet-stream",
        headers={"Content-Disposition": attachment(base, f"document-{document_id}")},
    )


@router.get("/documents/{document_id}/pages/{page}.png")
def document_page(document_id: StoredId, page: StoredId, session: ReadSessionDep) -> Response:
    """One page of a PDF or a scan as a picture, for the form page's view of the original."""
    fmt, content = _stored(session, document_id, Document.format)
    if fmt not in PAGED_FORMATS:
        raise NotFoundError(f"文档 {document_id} 不是 PDF 或图片，没有页面图像")
    png = page_png(content, fmt, page) if 1 <= page <= 100_000 else None
    if png is None:
        raise NotFoundError(f"文档 {document_id} 没有第 {page} 页")
    # A stored document never changes: the picture may be kept by the browser.
    return Response(
        png, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"}
    )
