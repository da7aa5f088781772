"""The reason codes: one enum, a sentence for each, and the README listing exactly them."""

from __future__ import annotations

import re

import inspection.solver
from inspection.solver import ReasonCode, Unscheduled
from inspection.solver.occupancy import Blocker
from inspection.solver.reasons import REASON_CODES, SENTENCES, explain_pin_conflicts
from tests.support.paths import README


def test_reason_codes_are_the_enum_and_exported() -> None:
    assert tuple(ReasonCode) == REASON_CODES
    assert "PINNED_ROUNDS_CONFLICT" in REASON_CODES
    assert "ReasonCode" in inspection.solver.__all__
    assert all(code.value == code.name for code in ReasonCode)


def test_every_reason_code_has_a_sentence() -> None:
    assert set(SENTENCES) == set(ReasonCode)
    assert all(sentence.strip() for sentence in SENTENCES.values())


def test_blockers_are_reason_codes() -> None:
    assert all(isinstance(blocker.value, ReasonCode) for blocker in Blocker)
    assert {blocker.name for blocker in Blocker} == {blocker.value.name for blocker in Blocker}


def test_pin_conflict_sentence_quotes_the_first_three_conflicts() -> None:
    sentence = explain_pin_conflicts(["a", "b", "c", "d"])
    assert "a；b；c" in sentence
    assert "d" not in sentence


def test_the_interchange_format_still_takes_codes_of_other_solvers() -> None:
    left = Unscheduled.model_validate({"request": "r", "reason": "x", "code": "OTHER_CODE"})
    assert left.code == "OTHER_CODE"
    assert Unscheduled.model_validate({"request": "r", "reason": "x"}).code is None


def test_the_readme_lists_exactly_the_reason_codes() -> None:
    text = README.read_text(encoding="utf-8")
    start = text.index("Reason codes of unscheduled requests:")
    paragraph = text[start : text.index("\n\n", start)]
    listed = set(re.findall(r"`([A-Z][A-Z_]+)`", paragraph))
    assert listed == {code.value for code in ReasonCode}
