"""The enterprise rates a visit with its code: once, from the visit's day on, never a cancelled one.

No key: the code is the credential. The rating is audited as ``rating.give`` on the entity
``visit_ratings`` with the code as its id. Only auditors and admins read the audit trail
(api/routers/trust.py), never a unit, and auditors read the ratings anyway; so the entry
holds the rating in full, which is what makes it tamper-evident.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from inspection.db.tables import InspectionCodeRow, VisitRatingRow
from inspection.errors import ConflictError, NotFoundError
from inspection.services.access import Actor, Role
from inspection.services.codes.issue import normalize_code
from inspection.services.codes.verify import NOT_FOUND
from inspection.services.ratings.models import RatingCreate, RatingReceipt, RatingState
from inspection.services.trust.audit import record

__all__ = ["ALREADY_RATED", "CODE_HOLDER", "rate_visit", "rating_state"]

ALREADY_RATED = "该检查已评价"
CODE_HOLDER = Actor(name="code-holder", role=Role.SYSTEM)
"""Who the audit trail says rated: the holder of the code, never named (no key is used)."""


def _code_row(session: Session, text: str) -> InspectionCodeRow:
    code = normalize_code(text)
    row = session.get(InspectionCodeRow, code) if code is not None else None
    if row is None:
        raise NotFoundError(NOT_FOUND, "code")  # the same answer as verify's
    return row


def rating_state(session: Session, code: str, today: date) -> RatingState:
    """Whether the visit a (known) code names can be rated on `today`.

    Raises:
        NotFoundError: the code names nothing (the same answer as verify's).
    """
    row = _code_row(session, code)
    if row.cancelled_at is not None:
        return RatingState.CANCELLED
    if session.get(VisitRatingRow, row.code) is not None:
        return RatingState.RATED
    return RatingState.NOT_YET if today < row.day else RatingState.OPEN


def rate_visit(session: Session, code: str, data: RatingCreate, today: date) -> RatingReceipt:
    """Store the enterprise's rating of the visit a code names, and commit.

    Raises:
        NotFoundError: the code names nothing (the same answer as verify's).
        ConflictError: the visit is cancelled, its day has not come (`today` is China's
            date), or it was rated already (a concurrent second rating too).
    """
    row = _code_row(session, code)
    state = rating_state(session, row.code, today)
    if state is RatingState.CANCELLED:
        raise ConflictError("该检查已取消，无需评价", "code")
    if state is RatingState.NOT_YET:
        raise ConflictError(f"检查日期（{row.day.month}月{row.day.day}日）当天起才能评价", "code")
    if state is RatingState.RATED:
        raise ConflictError(ALREADY_RATED, "code")
    rating = VisitRatingRow(
        code=row.code,
        day=row.day,
        score=data.score,
        comment=data.comment,
        complaint=data.complaint,
        rated_at=datetime.now(UTC),
    )
    session.add(rating)
    try:
        session.flush()
    except IntegrityError as clash:  # another request rated it in the meantime
        session.rollback()
        raise ConflictError(ALREADY_RATED, "code") from clash
    record(
        session,
        CODE_HOLDER,
        "rating.give",
        "visit_ratings",
        row.code,
        None,
        {
            "code": row.code,
            "day": row.day.isoformat(),
            "score": data.score,
            "comment": data.comment,
            "complaint": data.complaint,
        },
    )
    session.commit()
    return RatingReceipt(code=row.code, date=row.day, rated_at=rating.rated_at)
