"""Issuing inspection codes at publication, and reading a round's code.

A code names a visit (an enterprise on a day), not a round row: a re-plan that
brings an announced round back as a new row moves the code onto it, so the code
an enterprise was given keeps working. A visit that disappears from a published
horizon keeps its code, marked cancelled, so the enterprise is told so.

Codes are 12 characters of Crockford's base32 (no I, L, O, U), 60 random bits from
:mod:`secrets`, grouped by four for reading aloud (``K7QM-2XHD-9PZT``).
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from inspection.db.regions import enterprises_in, region_path
from inspection.db.tables import InspectionCodeRow, PlanRoundRow, PlanRow
from inspection.services.access import Actor
from inspection.services.ledger import live_round_ids
from inspection.services.trust.audit import record

__all__ = [
    "ALPHABET",
    "CODE_PATTERN",
    "issue_codes",
    "new_code",
    "normalize_code",
    "round_codes",
]

# Crockford's base32: digits and letters without I, L, O and U (misread as 1, 1, 0, V)
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_GROUPS, _GROUP_LENGTH = 3, 4  # 12 characters x 5 bits = 60 bits
CODE_PATTERN = re.compile(rf"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")
# what a person may type for a letter Crockford leaves out
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_MAX_TRIES = 20


def new_code() -> str:
    """A fresh random code, as read aloud (``K7QM-2XHD-9PZT``)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(_GROUPS * _GROUP_LENGTH))
    return "-".join(chars[i : i + _GROUP_LENGTH] for i in range(0, len(chars), _GROUP_LENGTH))


def normalize_code(text: str) -> str | None:
    """A code as typed (any case, spaces or hyphens anywhere, O for 0, I or L for 1) in its
    stored form; None when it cannot be a code."""
    if len(text) > 40:
        return None
    bare = re.sub(r"[\s-]", "", text).upper().translate(_READ_AS)
    if len(bare) != _GROUPS * _GROUP_LENGTH or any(c not in ALPHABET for c in bare):
        return None
    return "-".join(bare[i : i + _GROUP_LENGTH] for i in range(0, len(bare), _GROUP_LENGTH))


def _unused_code(session: Session, taken: set[str]) -> str:
    """A code no stored or newly issued code has (a clash of 60 random bits is all but
    impossible; retried anyway, so that uniqueness never rests on luck)."""
    for _ in range(_MAX_TRIES):
        code = new_code()
        if code not in taken and session.get(InspectionCodeRow, code) is None:
            taken.add(code)
            return code
    raise RuntimeError("could not draw an unused inspection code")  # pragma: no cover


def issue_codes(session: Session, actor: Actor, plan: PlanRow) -> dict[str, int]:
    """Give every live round of the plan's horizon its code, in the publication's transaction.

    Call after the ledger holds the plan's visits. A live round whose enterprise and
    day already have a code that is not cancelled takes that code over; every other
    live round gets a new one; a code of the horizon whose enterprise and day have no
    live round any more is marked cancelled. Flushes, never commits; audited.

    Returns:
        How many codes were issued, kept and cancelled.
    """
    assert plan.id is not None
    session.flush()
    start, end = plan.horizon_start, plan.horizon_end
    path = region_path(session, plan.region_id)  # other regions' codes are not this plan's
    round_ids = sorted(live_round_ids(session, start, end, path))
    rounds: list[PlanRoundRow] = []
    for chunk in range(0, len(round_ids), 1000):
        rounds += session.exec(
            select(PlanRoundRow).where(col(PlanRoundRow.id).in_(round_ids[chunk : chunk + 1000]))
        )
    rounds.sort(key=lambda r: (r.day, r.credit_code, r.id or 0))
    standing: dict[tuple[str, date], list[InspectionCodeRow]] = defaultdict(list)
    for row in session.exec(
        select(InspectionCodeRow)
        .where(col(InspectionCodeRow.day) >= start)
        .where(col(InspectionCodeRow.day) <= end)
        .where(col(InspectionCodeRow.cancelled_at).is_(None))
        .where(col(InspectionCodeRow.credit_code).in_(enterprises_in(path)))
        .order_by(col(InspectionCodeRow.created_at), col(InspectionCodeRow.code))
    ):
        standing[(row.credit_code, row.day)].append(row)
    now = datetime.now(UTC)
    taken: set[str] = set()
    counts = {"issued": 0, "kept": 0, "cancelled": 0}
    for round_ in rounds:
        assert round_.id is not None
        held = standing.get((round_.credit_code, round_.day))
        if held:
            row = held.pop(0)
            row.round_id, row.plan_id = round_.id, plan.id
            counts["kept"] += 1
        else:
            row = InspectionCodeRow(
                code=_unused_code(session, taken),
                credit_code=round_.credit_code,
                day=round_.day,
                round_id=round_.id,
                plan_id=plan.id,
                created_at=now,
            )
            counts["issued"] += 1
        session.add(row)
    for left in standing.values():
        for row in left:
            row.cancelled_at = now
            session.add(row)
            counts["cancelled"] += 1
    session.flush()
    # its own entity, so that a plan's trail stays create, finish, publish
    record(session, actor, "codes.issue", "inspection_codes", plan.id, None, dict(counts))
    return counts


def round_codes(session: Session, round_ids: Sequence[int]) -> dict[int, str]:
    """Round id to the code that names it now (live rounds of published plans only)."""
    found: dict[int, str] = {}
    ids = list(round_ids)
    for start in range(0, len(ids), 1000):
        for row in session.exec(
            select(InspectionCodeRow)
            .where(col(InspectionCodeRow.round_id).in_(ids[start : start + 1000]))
            .where(col(InspectionCodeRow.cancelled_at).is_(None))
        ):
            found[row.round_id] = row.code
    return found
