"""`/documents/{id}`: the source file exactly as it was imported."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select

from jixiao.store.tables import Document
from jixiao.web.deps import ReadSessionDep
from jixiao.web.errors import NotFoundError
from jixiao.web.responses import attachment

router = APIRouter(include_in_schema=False)


@router.get("/documents/{document_id}")
def document_file(document_id: int, session: ReadSessionDep) -> Response:
    found = session.execute(
        select(Document.name, Document.content).where(Document.id == document_id)
    ).first()
    if found is None:
        raise NotFoundError(f"没有编号为 {document_id} 的文档")
    name, content = found
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return Response(
        content,
        media_type="application/octet-stream",
        headers={"Content-Disposition": attachment(base, f"document-{document_id}")},
    )
