"""The dashboard's figures (storage step), precomputed after each import.

Counting a hundred thousand forms by kind, year, department, grade and finding kind
takes the database a moment; the dashboard must answer at once. So each import ends with
`refresh_stats`, which recomputes every figure into `stat_counts` in the import's
transaction, and `load_stats` reads that small table.

Between an import's batches (each committed on its own), or after an import stopped
before its end, forms are stored that the figures do not count yet: they have ids above
the highest one the figures counted (`last_form_id`). `StatsCache` counts them
(`stored_since`), so that the overview says so; a server that starts recomputes figures
left behind (`refresh_if_stale`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    case,
    delete,
    distinct,
    func,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy.orm import Session

from jixiao.store.engine import writing
from jixiao.store.tables import Document, FindingRow, FormRow, StatCount
from jixiao.store.types import number_of

_KEY_LENGTH = 200
NO_VALUE = "（未填）"

# Execution-rate bands (%, lower bound inclusive); 100% exactly is a band of its own
# because most forms print it, and over 100% means more was spent than budgeted.
RATE_BANDS: tuple[tuple[str, Decimal | None, Decimal | None], ...] = (
    ("<60%", None, Decimal(60)),
    ("60–80%", Decimal(60), Decimal(80)),
    ("80–90%", Decimal(80), Decimal(90)),
    ("90–95%", Decimal(90), Decimal(95)),
    ("95–99.99%", Decimal(95), Decimal(100)),
    ("100%", Decimal(100), None),
    (">100%", None, None),
)


@dataclass(slots=True)
class Stats:
    forms: int = 0
    documents: int = 0
    projects: int = 0
    findings: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_year: dict[str, dict[str, int]] = field(default_factory=dict)  # year → kind → forms
    departments: list[tuple[str, int, int]] = field(default_factory=list)  # name, forms, findings
    grades: dict[str, int] = field(default_factory=dict)
    ref_grades: dict[str, int] = field(default_factory=dict)
    rates: list[tuple[str, int]] = field(default_factory=list)
    finding_kinds: list[tuple[str, int, int]] = field(default_factory=list)  # kind, forms, n
    severities: dict[str, tuple[int, int]] = field(default_factory=dict)  # forms, findings
    # The highest form id when the figures were computed: forms stored since (an import
    # under way commits batch after batch and recomputes only at its end) have higher
    # ids, so the list can count them on top of `forms` (jixiao.store.counting). None
    # when the figures were computed by a jixiao that did not record it.
    last_form_id: int | None = None
    # Forms stored since the figures were computed (counted up to `SINCE_CAP`, by
    # `StatsCache`): not in `forms` nor in any figure yet.
    stored_since: int = 0


def _rate_band() -> Any:
    rate = number_of(FormRow.execution_rate)
    whens = []
    for label, low, high in RATE_BANDS[:-2]:
        condition = rate < high if low is None else (rate >= low) & (rate < high)
        whens.append((condition, literal(label)))
    whens.append((rate == Decimal(100), literal(RATE_BANDS[-2][0])))
    whens.append((rate > Decimal(100), literal(RATE_BANDS[-1][0])))
    return case(*whens, else_=literal(NO_VALUE))


def _key(value: object) -> str:
    text = NO_VALUE if value is None or value == "" else str(value)
    return text[:_KEY_LENGTH]


# Any fixed number: serialises recomputations on one PostgreSQL database (two at once
# would both delete the old rows and insert theirs: a unique violation for the second).
_PG_STATS_LOCK = 0x6A69_7869_5354
SINCE_CAP = 100_000  # counted this far, once a second at most: the overview says 超过


def refresh_stats(connection: Connection) -> None:
    """Recompute every figure of the dashboard (in the caller's transaction)."""
    if connection.dialect.name == "postgresql":
        # Taken first, so that every count below sees what the recomputation before
        # this one committed. (SQLite's writers are one at a time already.)
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_STATS_LOCK})
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])

    def add(dimension: str, key: object, forms: int, findings: int = 0) -> None:
        entry = counts[(dimension, _key(key))]
        entry[0] += forms
        entry[1] += findings

    findings_sum = func.coalesce(func.sum(FormRow.finding_count), 0)
    # The count and the highest id in one statement, so that both see the same forms.
    forms_n, findings_n, last_form = connection.execute(
        select(func.count(), findings_sum, func.max(FormRow.id))
    ).one()
    add("total", "forms", forms_n, findings_n)
    add("total", "documents", connection.execute(select(func.count(Document.id))).scalar_one())
    add(
        "total",
        "projects",
        connection.execute(select(func.count(distinct(FormRow.project_id)))).scalar_one(),
    )
    file_findings = select(func.count()).where(FindingRow.form_id.is_(None))
    add("total", "file_findings", 0, connection.execute(file_findings).scalar_one())
    for kind, n, found in connection.execute(
        select(FormRow.kind, func.count(), findings_sum).group_by(FormRow.kind)
    ):
        add("kind", kind, n, found)
    for year, kind, n in connection.execute(
        select(FormRow.year, FormRow.kind, func.count()).group_by(FormRow.year, FormRow.kind)
    ):
        add("year", f"{year if year is not None else NO_VALUE}|{kind}", n)
    # One department whatever its printed spacing: grouped by its key, shown by its
    # most printed name.
    departments: dict[str | None, list[tuple[int, str | None, int]]] = {}
    for key, department, n, found in connection.execute(
        select(FormRow.department_key, FormRow.department, func.count(), findings_sum).group_by(
            FormRow.department_key, FormRow.department
        )
    ):
        departments.setdefault(key, []).append((n, department, found))
    for variants in departments.values():
        label = max(variants, key=lambda v: (v[0], v[1] or ""))[1]
        add("department", label, sum(v[0] for v in variants), sum(v[2] for v in variants))
    self_evaluations = FormRow.kind == "self_evaluation"
    for column, dimension in ((FormRow.grade, "grade"), (FormRow.ref_grade, "ref_grade")):
        for grade, n in connection.execute(
            select(column, func.count()).where(self_evaluations).group_by(column)
        ):
            add(dimension, grade, n)
    band = _rate_band().label("band")
    for label, n in connection.execute(
        select(band, func.count()).where(self_evaluations).group_by(band)
    ):
        add("rate", label, n)
    for column, dimension in ((FindingRow.kind, "finding_kind"), (FindingRow.severity, "severity")):
        for key, forms, n in connection.execute(
            select(column, func.count(distinct(FindingRow.form_id)), func.count()).group_by(column)
        ):
            add(dimension, key, forms, n)
    previous = connection.execute(
        select(StatCount.forms).where(StatCount.dimension == "meta", StatCount.key == "version")
    ).scalar()
    counts[("meta", "version")] = [(previous or 0) % 2_000_000_000 + 1, 0]
    counts[("meta", "last_form")] = [last_form or 0, 0]
    connection.execute(delete(StatCount))
    connection.execute(
        insert(StatCount),
        [
            {"dimension": d, "key": k, "forms": v[0], "findings": v[1]}
            for (d, k), v in sorted(counts.items())
        ],
    )


def forms_stored_since(
    session: Session | Connection, last_form_id: int, cap: int | None = None
) -> int:
    """Forms stored after the figures were computed (at most `cap + 1` counted)."""
    since = select(FormRow.id).where(FormRow.id > last_form_id)
    if cap is not None:
        since = since.limit(cap + 1)
    return session.execute(select(func.count()).select_from(since.subquery())).scalar_one()


def _last_counted(connection: Connection) -> int | None:
    return connection.execute(
        select(StatCount.forms).where(StatCount.dimension == "meta", StatCount.key == "last_form")
    ).scalar()


def refresh_if_stale(engine: Engine) -> bool:
    """Recompute the figures if forms were stored since they were computed: an import
    stopped before its end (killed, a power cut) never recomputed them. Whether it did."""
    with engine.connect() as connection:
        last = _last_counted(connection) or 0
        if not forms_stored_since(connection, last, cap=0):
            return False
    with writing(engine).begin() as connection:
        refresh_stats(connection)
    return True


def stats_version(session: Session) -> int:
    """A number that changes whenever the figures are recomputed (0 before the first)."""
    found = session.execute(
        select(StatCount.forms).where(StatCount.dimension == "meta", StatCount.key == "version")
    ).scalar()
    return found or 0


class StatsCache:
    """The figures, read once per recomputation. One per process; since any process may
    have recomputed them, the version is asked of the database — at most once every
    `ttl` seconds, so that a busy server does not ask on every request."""

    def __init__(self, ttl: float = 1.0) -> None:
        self.ttl = ttl
        self._entry: tuple[int, Stats, float] | None = None

    def get(self, session: Session) -> Stats:
        entry = self._entry
        now = time.monotonic()
        if entry is not None and now - entry[2] < self.ttl:
            return entry[1]
        version = stats_version(session)
        stats = load_stats(session) if entry is None or entry[0] != version else entry[1]
        if stats.last_form_id is not None:
            since = min(forms_stored_since(session, stats.last_form_id, SINCE_CAP), SINCE_CAP)
            if since != stats.stored_since:
                stats = replace(stats, stored_since=since)
        entry = (version, stats, now)
        self._entry = entry  # one assignment: safe to share between threads
        return stats

    def clear(self) -> None:
        """Forget the figures (after this process changed them)."""
        self._entry = None


def load_stats(session: Session) -> Stats:
    stats = Stats()
    by_year: dict[str, dict[str, int]] = defaultdict(dict)
    departments = []
    finding_kinds = []
    rates = dict.fromkeys((label for label, _, _ in RATE_BANDS), 0)
    computed = False
    rows = session.execute(
        select(StatCount.dimension, StatCount.key, StatCount.forms, StatCount.findings)
    )
    for dimension, key, forms, findings in rows:
        if dimension == "total":
            if key == "forms":
                stats.forms, stats.findings = forms, findings
            elif key == "documents":
                stats.documents = forms
            elif key == "projects":
                stats.projects = forms
            elif key == "file_findings":
                stats.findings += findings
        elif dimension == "kind":
            stats.by_kind[key] = forms
        elif dimension == "year":
            year, _, kind = key.partition("|")
            by_year[year][kind] = forms
        elif dimension == "department":
            departments.append((key, forms, findings))
        elif dimension == "grade":
            stats.grades[key] = forms
        elif dimension == "ref_grade":
            stats.ref_grades[key] = forms
        elif dimension == "rate":
            rates[key] = forms
        elif dimension == "finding_kind":
            finding_kinds.append((key, forms, findings))
        elif dimension == "severity":
            stats.severities[key] = (forms, findings)
        elif dimension == "meta" and key == "last_form":
            stats.last_form_id = forms
        elif dimension == "meta" and key == "version":
            computed = True
    if not computed:
        stats.last_form_id = 0  # never computed: every stored form is one stored since
    stats.by_year = dict(sorted(by_year.items()))
    stats.departments = sorted(departments, key=lambda d: (-d[2], -d[1], d[0]))
    stats.finding_kinds = sorted(finding_kinds, key=lambda k: (-k[2], k[0]))
    stats.rates = [(label, n) for label, n in rates.items() if n or label != NO_VALUE]
    return stats
