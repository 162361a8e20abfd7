"""One router per resource: `api_*` serve JSON under /api, the others serve pages."""
