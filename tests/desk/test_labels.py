"""The desk's labels are the server's codes, named once: labels.js against the server's enums.

A code the server can send without a label in labels.js fails here, and so does a
label for a code the server no longer has, or a view that keeps its own copy.
"""

from __future__ import annotations

import re
from typing import get_args

import pytest

from inspection.services.access import KEY_ROLES, ROLE_NAMES, Role
from inspection.services.catalogue.models import ItemCategory, ItemLevel, ItemState
from inspection.services.checklists.models import (
    CASE_DRIVEN_TYPES,
    ChecklistStatus,
    InspectionType,
)
from inspection.services.draws.models import UNGRADED, DrawState
from inspection.services.figures.alerts import DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS, AlertKind
from inspection.services.figures.carried_out import RoundState
from inspection.services.figures.grouping import Basis
from inspection.services.figures.names import (
    BASIS_NAMES,
    METRICS,
    REPORT_FIGURES,
    ROUND_STATE_NAMES,
)
from inspection.services.figures.reports import AnnualReport
from inspection.services.figures.stats import VisitFigures
from inspection.services.officers.models import RecusalKind
from inspection.services.outcomes.window import RecordingWindow
from inspection.services.planning.models import (
    ACTIVE_STATUSES,
    DONE_STATUSES,
    MAX_HORIZON_DAYS,
    MAX_TIME_LIMIT_S,
    MIN_TIME_LIMIT_S,
    PlanCreate,
    PlanOrigin,
    PlanStatus,
)
from inspection.services.planning.parts import ENDED_PARTS, PartStatus
from inspection.services.planning.schedule import DRAFTS_LABEL, MAX_LEAD_DAYS, ScheduleUpdate
from inspection.services.ratings.models import MIN_RATINGS_FOR_UNITS, SCORE_NAMES, TOO_FEW
from inspection.services.reference.classes import RiskClass
from inspection.services.reference.kinds import TYPE_NAMES
from inspection.services.reference.outcomes import OUTCOME_NAMES
from inspection.services.regions.models import LEVEL_NAMES as REGION_LEVEL_NAMES
from inspection.services.regions.models import RegionLevel
from inspection.services.rules.caps import CapScope
from inspection.services.rules.models import (
    DEFAULT_BACKFILL_DAYS,
    MAX_BACKFILL_DAYS,
    RuleSettingsUpdate,
)
from inspection.services.spreadsheets.catalogue_files import CATEGORY_NAMES, LEVEL_NAMES
from inspection.solver import ReasonCode
from inspection.solver.schema import SolveStatus
from tests.support.paths import PACKAGE

SCRIPTS = PACKAGE / "web" / "static" / "js"
LABELS = (SCRIPTS / "labels.js").read_text(encoding="utf-8")


def _object(name: str) -> dict[str, str]:
    """`export const NAME = { key: "label", ... }` of labels.js: each key and its first string."""
    found = re.search(rf"export const {name} = \{{(.*?)\n?\}};", LABELS, re.S)
    assert found is not None, f"labels.js exports no {name}"
    entries = re.findall(r'^\s*(\w+): \[?"([^"]*)"', found.group(1), re.M)
    return dict(entries)


def _pairs(name: str) -> dict[str, tuple[str, str]]:
    """`export const NAME = { key: ["name", "meaning"], ... }` of labels.js."""
    found = re.search(rf"export const {name} = \{{(.*?)\n\}};", LABELS, re.S)
    assert found is not None, f"labels.js exports no {name}"
    entries = re.findall(r'^\s*(\w+): \["([^"]*)", "([^"]*)"\]', found.group(1), re.M)
    return {key: (label, meaning) for key, label, meaning in entries}


def _set(name: str) -> set[str]:
    found = re.search(rf"export const {name} = new Set\(\[(.*?)\]\);", LABELS, re.S)
    assert found is not None, f"labels.js exports no set {name}"
    return set(re.findall(r'"(\w+)"', found.group(1)))


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("PLAN_STATUS", {str(s) for s in PlanStatus}),
        ("PLAN_ORIGIN", {str(o) for o in PlanOrigin}),
        ("PART_STATUS", {str(s) for s in PartStatus}),
        ("SOLVER_STATUS", set(get_args(SolveStatus))),
        ("REASONS", {str(c) for c in ReasonCode}),
        ("CHECKLIST_STATUS", {str(s) for s in ChecklistStatus}),
        ("INSPECTION_TYPES", {str(t) for t in InspectionType}),
        ("ROLE_NAMES", {str(r) for r in KEY_ROLES if r != Role.FEED}),
        ("CAP_SCOPE", {str(s) for s in CapScope}),
        ("METRICS", set(VisitFigures.model_fields) - {"basis"}),
        ("FIGURE_BASIS", set(get_args(Basis))),
        ("ROUND_STATES", {str(s) for s in RoundState}),
        ("RISK_CLASSES", {str(c) for c in RiskClass}),
        ("RECUSAL_KINDS", {str(k) for k in RecusalKind}),
        ("ITEM_LEVELS", {str(level) for level in ItemLevel}),
        ("ITEM_CATEGORIES", {str(category) for category in ItemCategory}),
        ("ITEM_STATES", {str(s) for s in ItemState}),
        ("ALERT_KINDS", {str(k) for k in AlertKind}),
        ("OUTCOME_NAMES", {str(s) for s in OUTCOME_NAMES}),
        ("RECORDING_WINDOWS", {str(w) for w in RecordingWindow}),
        ("DRAW_STATES", {str(s) for s in DrawState}),
        ("REGION_LEVELS", {str(level) for level in RegionLevel}),
    ],
)
def test_every_code_has_one_label_and_every_label_a_code(name: str, codes: set[str]) -> None:
    labels = _object(name)
    assert set(labels) == codes
    assert all(labels.values()), f"{name} has an empty label"


def test_the_case_driven_kinds_are_the_server_s() -> None:
    assert _set("CASE_DRIVEN_TYPES") == {str(t) for t in CASE_DRIVEN_TYPES}


def test_the_figures_have_the_server_s_names_and_meanings() -> None:
    assert _pairs("METRICS") == METRICS
    assert set(METRICS) == set(VisitFigures.model_fields) - {"basis"}  # named in FIGURE_BASIS
    assert _object("FIGURE_BASIS") == BASIS_NAMES
    assert _object("ROUND_STATES") == ROUND_STATE_NAMES
    assert set(ROUND_STATE_NAMES) == {str(s) for s in RoundState}
    assert set(BASIS_NAMES) == set(get_args(Basis))
    assert _pairs("REPORT_FIGURES") == REPORT_FIGURES
    assert set(REPORT_FIGURES) <= set(AnnualReport.model_fields)


def test_names_the_server_also_shows_are_the_same() -> None:
    assert _object("ROLE_NAMES") == {str(r): ROLE_NAMES[r] for r in KEY_ROLES if r != Role.FEED}
    assert _object("INSPECTION_TYPES") == {str(t): name for t, name in TYPE_NAMES.items()}
    # the catalogue file's names (its import reads them back)
    assert _object("ITEM_LEVELS") == {str(level): name for level, name in LEVEL_NAMES.items()}
    assert _object("ITEM_CATEGORIES") == {str(c): name for c, name in CATEGORY_NAMES.items()}


def test_the_region_levels_are_the_server_s() -> None:
    assert _object("REGION_LEVELS") == {str(k): name for k, name in REGION_LEVEL_NAMES.items()}


def test_the_draws_ungraded_class_is_the_server_s() -> None:
    found = re.search(r'export const UNGRADED = "([^"]*)";', LABELS)
    assert found is not None
    assert found.group(1) == UNGRADED


def test_the_state_sets_are_the_server_s() -> None:
    assert _set("ACTIVE_PLAN_STATUSES") == {str(s) for s in ACTIVE_STATUSES}
    assert _set("DONE_PLAN_STATUSES") == {str(s) for s in DONE_STATUSES}
    assert _set("ENDED_PART_STATUSES") == {str(s) for s in ENDED_PARTS}


def test_the_page_s_schedule_bounds_are_the_schedule_contract_s() -> None:
    found = re.search(r"SCHEDULE_DAYS = \{ horizon: (\d+), lead: (\d+) \}", LABELS)
    assert found is not None
    assert (int(found.group(1)), int(found.group(2))) == (MAX_HORIZON_DAYS, MAX_LEAD_DAYS)
    schema = ScheduleUpdate.model_json_schema()["properties"]
    assert schema["horizon_days"]["maximum"] == MAX_HORIZON_DAYS
    assert schema["lead_days"]["maximum"] == MAX_LEAD_DAYS
    weekdays = re.search(r"export const WEEKDAYS = \[(.*?)\];", LABELS)
    assert weekdays is not None
    assert len(re.findall(r'"([^"]+)"', weekdays.group(1))) == 7  # weekday 0–6


def test_the_page_s_time_limit_is_the_plan_contract_s() -> None:
    found = re.search(r"PLAN_TIME_LIMIT_S = \{ min: (\d+), max: (\d+) \}", LABELS)
    assert found is not None
    assert (float(found.group(1)), float(found.group(2))) == (MIN_TIME_LIMIT_S, MAX_TIME_LIMIT_S)
    schema = PlanCreate.model_json_schema()["properties"]["time_limit_s"]
    assert (schema["minimum"], schema["maximum"]) == (MIN_TIME_LIMIT_S, MAX_TIME_LIMIT_S)


def test_no_view_keeps_its_own_copy_of_a_code_s_label() -> None:
    codes = {str(c) for c in ReasonCode} | {str(s) for s in PlanStatus}
    codes |= {str(s) for s in ChecklistStatus} | {"routine", "complaint", "special"}
    for script in sorted(SCRIPTS.glob("*.js")):
        if script.name == "labels.js":
            continue
        text = script.read_text(encoding="utf-8")
        keyed = {code for code in codes if re.search(rf"^\s*{code}:", text, re.M)}
        assert not keyed, f"{script.name} labels {sorted(keyed)} itself: use labels.js"


def test_the_rules_reasons_are_reason_codes_of_the_rules() -> None:
    found = re.search(r"export const RULE_REASONS = \[(.*?)\];", LABELS, re.S)
    assert found is not None
    listed = re.findall(r'"(\w+)"', found.group(1))
    assert listed == ["QUIET_DAY", "NO_DISTURB", "CAP_REACHED", "NO_OFFICER"]
    assert set(listed) <= {str(c) for c in ReasonCode}


def test_the_alerts_window_is_the_server_s() -> None:
    found = re.search(r"ALERT_WINDOW_DAYS = \{ default: (\d+), min: (\d+), max: (\d+) \}", LABELS)
    assert found is not None
    assert tuple(int(g) for g in found.groups()) == (DEFAULT_WINDOW_DAYS, 1, MAX_WINDOW_DAYS)
    assert _object("ALERT_KINDS") == {"repeat": "重复检查", "missed_join": "可合并未合并"}


def test_the_outcomes_names_and_back_fill_window_are_the_server_s() -> None:
    assert _object("OUTCOME_NAMES") == {str(s): name for s, name in OUTCOME_NAMES.items()}
    found = re.search(
        r"OUTCOME_BACKFILL_DAYS = \{ default: (\d+), min: (\d+), max: (\d+) \}", LABELS
    )
    assert found is not None
    schema = RuleSettingsUpdate.model_json_schema()["properties"]["outcome_backfill_days"]
    assert tuple(int(g) for g in found.groups()) == (
        DEFAULT_BACKFILL_DAYS,
        schema["minimum"],
        MAX_BACKFILL_DAYS,
    )
    assert schema["maximum"] == MAX_BACKFILL_DAYS


def test_the_rating_names_and_the_units_threshold_are_the_server_s() -> None:
    assert _object("RATING_SCORES") == {str(score): name for score, name in SCORE_NAMES.items()}
    found = re.search(r'RATINGS_FOR_UNITS = \{ min: (\d+), too_few: "([^"]+)" \}', LABELS)
    assert found is not None
    assert (int(found.group(1)), found.group(2)) == (MIN_RATINGS_FOR_UNITS, TOO_FEW)


def test_the_drafts_waiting_are_named_once_as_the_server_names_them() -> None:
    found = re.search(r'export const PLAN_DRAFTS = "([^"]*)";', LABELS)
    assert found is not None
    assert found.group(1) == DRAFTS_LABEL
    for script in sorted(SCRIPTS.glob("*.js")):
        if script.name != "labels.js":
            text = script.read_text(encoding="utf-8")
            assert f'"{DRAFTS_LABEL}' not in text, f"{script.name}: use PLAN_DRAFTS"
