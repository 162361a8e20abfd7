"""How many forms the list holds (storage step): exact where that is cheap, otherwise
counted up to a cap and shown as "more than".

Counting every form a filter matches reads every match: among a million forms a common
year or kind is a few hundred thousand index entries for each view of the list, more
than the page itself costs. So the list page never counts past `LIST_COUNT_CAP`; a
figure it shows is always a count of the stored forms, never an estimate, and when it
stopped at the cap the page says so (`超过 10,000 张`). The API counts exactly.

The whole list is counted from the dashboard's figures (`stat_counts`, recomputed at the
end of every import) plus the forms stored since: an import under way commits batch
after batch, and its forms have ids above the last one the figures counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from jixiao.store.queries import FormFilters, count_forms
from jixiao.store.stats import Stats, forms_stored_since

LIST_COUNT_CAP = 10_000


@dataclass(frozen=True, slots=True)
class Count:
    counted: int  # forms counted: all that match, unless `more`
    more: bool  # more forms match than were counted

    @property
    def exact(self) -> int | None:
        """The number of matching forms, when it is known."""
        return None if self.more else self.counted


def count_list(
    session: Session, filters: FormFilters, stats: Stats, *, cap: int | None = None
) -> Count:
    """How many forms the list of `filters` holds, counted at most `cap` far
    (`LIST_COUNT_CAP` unless given)."""
    cap = LIST_COUNT_CAP if cap is None else cap
    if filters.active():
        found = count_forms(session, filters, cap=cap)
        return Count(min(found, cap), found > cap)
    if stats.last_form_id is None:
        return Count(stats.forms, False)  # figures of an older jixiao: as they are
    new = forms_stored_since(session, stats.last_form_id, cap)
    return Count(stats.forms + min(new, cap), new > cap)


def count_exactly(session: Session, filters: FormFilters, stats: Stats) -> int:
    """How many forms the list of `filters` holds, every one counted (the API's total)."""
    if filters.active():
        return count_forms(session, filters)
    if stats.last_form_id is None:
        return stats.forms
    return stats.forms + forms_stored_since(session, stats.last_form_id)
