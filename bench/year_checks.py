"""Independent checks of a year of published rounds, read straight from the tables.

Not a benchmark itself: `year_simulation.py` calls :func:`violations` and
:func:`cap_counts` after publishing its 52 weeks. Nothing here calls the
service's rule code: each rule is evaluated again from the rows (plain SQL
through SQLAlchemy Core and Python), so a bug in the service's reading of a rule
and the same bug here would have to be written twice.

What is checked for every live published round (the rounds of the plan published
last over each day):

- **approval**: every request in it comes from an approved checklist, or from a
  case-driven draft (complaint, referral) that was approved afterwards;
- **quiet days**: no request's kind is outside the exemptions of any active
  quiet-day rule covering the round's day;
- **no-disturb**: at an enterprise on the list, every request's kind is exempt;
- **caps**: per calendar year, each unit's rounds with a counted request at an
  enterprise, and each enterprise's rounds with any counted request, stay within
  the most specific active rule (then the lowest);
- **officers**: each unit of the round with an active roster sends exactly
  `officers_per_unit` distinct officers of its own, each with a certificate
  valid that day, not on a day off, not recused from the enterprise; no officer
  is in more than `officer_daily_rounds` rounds a day;
- **catalogue**: a unit that has published a catalogue edition uses only items
  of its catalogue that were published and in effect on the checklist's first day.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine, text

__all__ = ["CapCount", "Violations", "cap_counts", "violations"]


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _json(value: Any) -> Any:
    import json

    return json.loads(value) if isinstance(value, str) else value


@dataclass
class Violations:
    """What the checks found, by rule; every list should be empty."""

    checked_rounds: int = 0
    by_rule: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, rule: str, what: str) -> None:
        """Record one broken rule."""
        self.by_rule[rule].append(what)

    @property
    def total(self) -> int:
        """How many were found."""
        return sum(len(found) for found in self.by_rule.values())


@dataclass(frozen=True)
class _Round:
    id: int
    day: date
    credit_code: str
    units: list[str]
    # (request id, unit, category, checklist id)
    requests: list[tuple[int, str, str, int]]


def _live_rounds(connection: Any) -> list[_Round]:
    rows = connection.execute(
        text(
            "SELECT r.id, r.day, r.credit_code, r.units, pr.request_id, c.unit_id, "
            "c.inspection_type, c.id AS checklist_id "
            "FROM plan_rounds r "
            "JOIN plan_round_requests pr ON pr.round_id = r.id "
            "JOIN requests q ON q.id = pr.request_id "
            "JOIN checklists c ON c.id = q.checklist_id "
            "WHERE r.id IN (SELECT DISTINCT round_id FROM live_visits) "
            "ORDER BY r.id, pr.request_id"
        )
    ).all()
    rounds: dict[int, _Round] = {}
    for rid, day, code, units, request, unit, kind, checklist in rows:
        if rid not in rounds:
            rounds[rid] = _Round(rid, _date(day), code, list(_json(units)), [])
        rounds[rid].requests.append((request, unit, kind, checklist))
    return list(rounds.values())


def _settings(connection: Any) -> dict[str, Any]:
    row = connection.execute(text("SELECT * FROM rule_settings WHERE id = 1")).mappings().one()
    return {
        "cap_exempt": set(_json(row["cap_exempt_categories"])),
        "no_disturb_exempt": set(_json(row["no_disturb_exempt_categories"])),
        "per_unit": row["officers_per_unit"],
        "daily": row["officer_daily_rounds"],
    }


def _quiet_rules(connection: Any) -> list[dict[str, Any]]:
    rules = []
    for row in connection.execute(
        text("SELECT * FROM quiet_day_rules WHERE active = :yes"), {"yes": True}
    ).mappings():
        rules.append(
            {
                "month_days": set(_json(row["month_days"])),
                "dates": {date.fromisoformat(d) for d in _json(row["dates"])},
                "exempt": set(_json(row["exempt_categories"])),
                "from": row["valid_from"] and _date(row["valid_from"]),
                "to": row["valid_to"] and _date(row["valid_to"]),
            }
        )
    return rules


def _quiet_exempt_on(rules: list[dict[str, Any]], day: date) -> list[set[str]]:
    return [
        rule["exempt"]
        for rule in rules
        if (rule["from"] is None or day >= rule["from"])
        and (rule["to"] is None or day <= rule["to"])
        and (day.day in rule["month_days"] or day in rule["dates"])
    ]


@dataclass(frozen=True)
class CapCount:
    """One cap's count from the rounds: rounds that count, and the rule's limit."""

    year: int
    unit_id: str | None
    credit_code: str
    counted: int
    limit: int | None


def _enterprises(connection: Any) -> dict[str, dict[str, Any]]:
    return {
        row["credit_code"]: dict(row)
        for row in connection.execute(text("SELECT * FROM enterprises")).mappings()
    }


def _rule(rules: list[dict[str, Any]], unit: str | None, ent: dict[str, Any]) -> int | None:
    matching = [
        r
        for r in rules
        if r["unit_id"] == unit
        and r["industry"] in ("", ent["industry"])
        and r["risk_class"] in ("", ent["risk_class"] or "")
    ]
    if not matching:
        return None
    best = min(
        matching,
        key=lambda r: (-(bool(r["industry"]) + bool(r["risk_class"])), r["yearly_limit"], r["id"]),
    )
    return int(best["yearly_limit"])


def cap_counts(engine: Engine) -> list[CapCount]:
    """Every (year, unit or None, enterprise) the live rounds count, with its rule's limit."""
    with engine.connect() as connection:
        settings = _settings(connection)
        rules = [
            dict(r)
            for r in connection.execute(
                text("SELECT * FROM cap_rules WHERE active = :yes"), {"yes": True}
            ).mappings()
        ]
        enterprises = _enterprises(connection)
        rounds = _live_rounds(connection)
    pairs: Counter[tuple[int, str | None, str]] = Counter()
    for round_ in rounds:
        counted = {
            unit for _, unit, kind, _ in round_.requests if kind not in settings["cap_exempt"]
        }
        if counted:
            pairs[round_.day.year, None, round_.credit_code] += 1
        for unit in counted:
            pairs[round_.day.year, unit, round_.credit_code] += 1
    return [
        CapCount(year, unit, code, n, _rule(rules, unit, enterprises[code]))
        for (year, unit, code), n in sorted(pairs.items(), key=lambda kv: str(kv[0]))
    ]


def _officer_checks(
    connection: Any, rounds: list[_Round], settings: dict[str, Any], found: Violations
) -> None:
    officers = {
        row["id"]: dict(row)
        for row in connection.execute(text("SELECT * FROM officers")).mappings()
    }
    rostered = {o["unit_id"] for o in officers.values() if o["active"]}
    days_off = {
        (row[0], _date(row[1]))
        for row in connection.execute(text("SELECT officer_id, day FROM officer_days_off"))
    }
    recused = {
        (row[0], row[1])
        for row in connection.execute(text("SELECT officer_id, credit_code FROM officer_recusals"))
    }
    sent: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for round_id, officer_id, unit_id in connection.execute(
        text("SELECT round_id, officer_id, unit_id FROM plan_round_officers")
    ):
        sent[round_id].append((officer_id, unit_id))
    per_day: Counter[tuple[int, date]] = Counter()
    for round_ in rounds:
        for unit in round_.units:
            if unit not in rostered:
                continue
            mine = [o for o, u in sent[round_.id] if u == unit]
            if len(set(mine)) != settings["per_unit"] or len(mine) != len(set(mine)):
                found.add("officers", f"round {round_.id}: {unit} sends {mine}")
            for officer_id in mine:
                officer = officers[officer_id]
                per_day[officer_id, round_.day] += 1
                if officer["unit_id"] != unit:
                    found.add(
                        "officers", f"round {round_.id}: officer {officer_id} of another unit"
                    )
                if _date(officer["certificate_expires"]) < round_.day:
                    found.add("officers", f"round {round_.id}: officer {officer_id} expired")
                if (officer_id, round_.day) in days_off:
                    found.add("officers", f"round {round_.id}: officer {officer_id} on a day off")
                if (officer_id, round_.credit_code) in recused:
                    found.add("officers", f"round {round_.id}: officer {officer_id} recused")
    for (officer_id, day), n in per_day.items():
        if n > settings["daily"]:
            found.add("officers", f"officer {officer_id} in {n} rounds on {day}")


def _catalogue_checks(connection: Any, rounds: list[_Round], found: Violations) -> None:
    catalogued = {
        row[0]
        for row in connection.execute(text("SELECT DISTINCT unit_id FROM catalogue_editions"))
    }
    items = {
        row["id"]: dict(row)
        for row in connection.execute(text("SELECT * FROM catalogue_items")).mappings()
    }
    checklists = {
        row["id"]: dict(row)
        for row in connection.execute(
            text("SELECT id, unit_id, earliest FROM checklists")
        ).mappings()
    }
    used: dict[int, list[Any]] = defaultdict(list)
    for checklist_id, item_id in connection.execute(
        text("SELECT checklist_id, catalogue_item_id FROM checklist_items")
    ):
        used[checklist_id].append(item_id)
    seen: set[int] = set()
    for round_ in rounds:
        for _, unit, _, checklist_id in round_.requests:
            if unit not in catalogued or checklist_id in seen:
                continue
            seen.add(checklist_id)
            first = _date(checklists[checklist_id]["earliest"])
            for item_id in used[checklist_id]:
                item = items.get(item_id)
                ok = (
                    item is not None
                    and item["unit_id"] == unit
                    and item["effective_from"] is not None
                    and _date(item["effective_from"]) <= first
                    and (item["retired_on"] is None or _date(item["retired_on"]) > first)
                )
                if not ok:
                    found.add("catalogue", f"checklist {checklist_id}: item {item_id}")


def violations(engine: Engine) -> Violations:
    """Every rule broken by a live published round (see the module's list)."""
    found = Violations()
    with engine.connect() as connection:
        settings = _settings(connection)
        quiet = _quiet_rules(connection)
        enterprises = _enterprises(connection)
        rounds = _live_rounds(connection)
        status = {
            row[0]: (row[1], row[2], row[3])
            for row in connection.execute(
                text("SELECT id, status, inspection_type, approved_afterwards FROM checklists")
            )
        }
        found.checked_rounds = len(rounds)
        for round_ in rounds:
            no_disturb = bool(enterprises[round_.credit_code]["no_disturb"])
            exemptions = _quiet_exempt_on(quiet, round_.day)
            for request, _, kind, checklist in round_.requests:
                state, _, afterwards = status[checklist]
                if state != "approved" and not (
                    state == "draft" and kind in ("complaint", "referral")
                ):
                    found.add("approval", f"request {request}: checklist {checklist} is {state}")
                if state == "approved" and afterwards and kind not in ("complaint", "referral"):
                    found.add("approval", f"checklist {checklist} approved afterwards")
                if any(kind not in exempt for exempt in exemptions):
                    found.add("quiet_days", f"request {request} ({kind}) on {round_.day}")
                if no_disturb and kind not in settings["no_disturb_exempt"]:
                    found.add("no_disturb", f"request {request} ({kind}) at {round_.credit_code}")
        _officer_checks(connection, rounds, settings, found)
        _catalogue_checks(connection, rounds, found)
    for count in cap_counts(engine):
        if count.limit is not None and count.counted > count.limit:
            who = count.unit_id or "all units"
            found.add(
                "caps",
                f"{count.year} {who} at {count.credit_code}: {count.counted} > {count.limit}",
            )
    return found
