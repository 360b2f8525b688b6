"""Every real form of the corpus, in all three builder variants, read as its reviewed golden file says.

Fields, fund values and indicator rows are compared cell by cell with the golden values (JSON coordinates through
`Built.where`); every expected finding is reported at one of its cells, and no other error lands on a form
(tolerated transcription artefacts aside). See formgold.py for the comparison.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from formgold import STEMS, score

from realdata.build import VARIANTS


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("forms")


def test_there_are_golden_forms() -> None:
    assert len(STEMS) >= 8


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("stem", STEMS)
def test_form_read_and_checked_as_the_golden_file_says(stem: str, variant: str, out: Path) -> None:
    s = score(stem, variant, out)
    assert s.details == []
    assert s.forms_read == s.forms > 0
    assert (s.fields_right, s.funds_right, s.rows_right) == (s.fields, s.funds, s.rows)
    assert s.extra_rows == 0 and s.false_errors == 0 and s.found == s.listed
