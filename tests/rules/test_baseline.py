"""The inline forms the rule tests start from are consistent: they raise nothing."""

from __future__ import annotations

import pytest

from tests.rules.forms import declaration, review, self_evaluation


@pytest.mark.parametrize("profile", ["national-2020", "shanghai"])
def test_consistent_self_evaluation_raises_no_finding(profile: str) -> None:
    result = review(self_evaluation(), profile)
    assert result.findings == ()
    assert result.score.total is not None and str(result.score.total.value) == "99.50"


@pytest.mark.parametrize("profile", ["national-2020", "shanghai"])
def test_consistent_declaration_raises_no_finding(profile: str) -> None:
    assert review(declaration(), profile).findings == ()
