"""`/favicon.ico`: the icon browsers ask for at the site's root, whatever the page says."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import Response

router = APIRouter(include_in_schema=False)

_ICON = resources.files("jixiao.web").joinpath("static", "favicon.ico").read_bytes()


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(
        _ICON, media_type="image/x-icon", headers={"Cache-Control": "public, max-age=86400"}
    )
