"""Linking the forms of one project across kinds and years (storage step).

Forms are linked automatically when they share the implementing unit (or, lacking one,
the department) and the project name, compared after normalisation (`（本级）` equals
`(本级)`). The link is a row of `projects`; an editor may move a form to another project
or give it a project of its own, and that choice is kept (new imports never re-link
existing forms).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, Insert, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from jixiao.store.tables import FormRow, Project
from jixiao.vocabulary.normalise import search_key

_CHUNK = 500


def project_key(unit: str | None, department: str | None, name: str) -> str:
    owner = search_key(unit or department or "")
    return hashlib.sha256(f"{owner}\x1f{search_key(name)}".encode()).hexdigest()


def _insert_ignoring_duplicates(connection: Connection) -> Insert:
    dialect = connection.dialect.name
    if dialect == "postgresql":
        return postgresql.insert(Project).on_conflict_do_nothing(index_elements=["key"])
    if dialect == "sqlite":
        return sqlite.insert(Project).on_conflict_do_nothing(index_elements=["key"])
    raise NotImplementedError(f"unsupported database {dialect}")


# What a new project is made of: its name, unit and department, as the form printed them.
ProjectFacts = tuple[str, str | None, str | None]


def ensure_projects(
    connection: Connection, wanted: dict[str, ProjectFacts], now: dt.datetime
) -> dict[str, int]:
    """The project id of each link key (`project_key`) in `wanted`, creating the
    projects not seen before."""
    ids = _ids_of(connection, list(wanted))
    missing = [key for key in wanted if key not in ids]
    if missing:
        # Another import may create the same project meanwhile: its row is then taken.
        connection.execute(
            _insert_ignoring_duplicates(connection),
            [
                {
                    "key": key,
                    "name": wanted[key][0],
                    "unit": wanted[key][1],
                    "department": wanted[key][2],
                    "created_at": now,
                }
                for key in missing
            ],
        )
        ids.update(_ids_of(connection, missing))
    return ids


def _ids_of(connection: Connection, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        rows = connection.execute(select(Project.key, Project.id).where(Project.key.in_(chunk)))
        found.update({key: id_ for key, id_ in rows})
    return found


def relink(session: Session, form: FormRow, project_id: int | None) -> Project:
    """Move `form` to project `project_id`, or (None) to a new project of its own."""
    if project_id is None:
        project = Project(
            # A key no automatic link can produce, so the split stays split.
            key=hashlib.sha256(f"manual:{uuid.uuid4()}".encode()).hexdigest(),
            name=form.project,
            unit=form.unit,
            department=form.department,
        )
        session.add(project)
        session.flush()
    else:
        found = session.get(Project, project_id)
        if found is None:
            raise LookupError(project_id)
        project = found
    form.project_id = project.id
    session.flush()
    return project


@dataclass(frozen=True, slots=True)
class LinkedForm:
    """What the form page, the relink page and the API show of another form of the same
    project: a line each, never the form itself."""

    id: int
    kind: str
    year: int | None
    project: str
    unit: str | None
    total_score: Decimal | None
    error_count: int
    warning_count: int
    info_count: int
    finding_count: int


# Built once: the form page asks it on every view, and building a statement (and its
# cache key) costs more than SQLite takes to answer it.
_LINKED = (
    select(
        FormRow.id,
        FormRow.kind,
        FormRow.year,
        FormRow.project,
        FormRow.unit,
        FormRow.total_score,
        FormRow.error_count,
        FormRow.warning_count,
        FormRow.info_count,
        FormRow.finding_count,
    )
    .where(FormRow.project_id == bindparam("project_id"), FormRow.id != bindparam("form_id"))
    .order_by(FormRow.year, FormRow.kind, FormRow.id)
)


def linked_forms(session: Session, form: FormRow) -> list[LinkedForm]:
    """The other forms of the same project, by year and kind.

    Only the columns a line shows, as plain tuples: loading each linked form as a whole
    row (its goal texts, search text and twenty amounts turned into Decimals) cost the
    form page a third of its time.
    """
    rows = session.execute(_LINKED, {"project_id": form.project_id, "form_id": form.id})
    return [LinkedForm(**row._mapping) for row in rows]


def candidate_projects(session: Session, form: FormRow, limit: int = 20) -> list[Project]:
    """Projects the form could be linked to: the same project name, or the same unit,
    that hold a form (a project emptied by a relink is not offered again)."""
    has_forms = select(FormRow.id).where(FormRow.project_id == Project.id).exists()
    rows = session.scalars(
        select(Project)
        .where(Project.id != form.project_id, has_forms)
        .where((Project.name == form.project) | (Project.unit == form.unit))
        .order_by(Project.name, Project.id)
        .limit(limit)
    )
    return list(rows)


def project_size(session: Session, project_id: int) -> int:
    """How many forms a project holds."""
    query = select(func.count()).select_from(FormRow).where(FormRow.project_id == project_id)
    return int(session.scalar(query) or 0)
