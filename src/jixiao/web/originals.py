"""The form page's view of the original: the pages the form came from, each finding's
place marked on them.

An edge of the web application. The marks are computed here from what was stored (each
finding's page and box, in points of the page as displayed) and drawn by the template
as an SVG over the page's picture (`/documents/{id}/pages/{n}.png`), so they scale with
the picture and need no inline style.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from jixiao.store.queries import StoredForm, document_content
from jixiao.web.page_images import PAGED_FORMATS, page_sizes

MAX_PAGES = 6  # a form spans one to three pages; more are linked, not shown


@dataclass(frozen=True, slots=True)
class Mark:
    finding_id: int
    code: str
    severity: str
    message: str
    box: tuple[float, float, float, float]  # x, y, width, height in points

    @property
    def x(self) -> float:
        return self.box[0]

    @property
    def y(self) -> float:
        return self.box[1]

    @property
    def width(self) -> float:
        return self.box[2]

    @property
    def height(self) -> float:
        return self.box[3]


@dataclass(slots=True)
class PageView:
    number: int
    width: float
    height: float
    marks: list[Mark] = field(default_factory=list)


def page_views(session: Session, stored: StoredForm) -> list[PageView]:
    """The pages of the original the form was read from, with its findings' places."""
    if stored.document.format not in PAGED_FORMATS:
        return []
    numbers = {stored.row.page} | {i.page for i in stored.indicators}
    numbers |= {f.page for f in stored.findings}
    wanted = sorted(n for n in numbers if n is not None)[:MAX_PAGES]
    if not wanted:
        return []
    content = document_content(session, stored.document.id)
    sizes = page_sizes(content, stored.document.format, wanted)
    views = {s.number: PageView(s.number, s.width, s.height) for s in sizes}
    for finding in stored.findings:
        view = views.get(finding.page) if finding.page is not None else None
        if view is None or not finding.box or len(finding.box) != 4:
            continue
        x0, top, x1, bottom = (float(v) for v in finding.box)
        # A little room around the box, so a mark does not hide the text it points at.
        pad = 1.5
        view.marks.append(
            Mark(
                finding.id,
                finding.code,
                finding.severity,
                finding.message,
                (x0 - pad, top - pad, x1 - x0 + 2 * pad, bottom - top + 2 * pad),
            )
        )
    return [views[n] for n in sorted(views)]
