"""An enterprise's classes: risk grade (风险分级), credit class (信用分类), the no-disturb list.

Each class carries where it comes from (发布机关/依据) and since when: a cap rule or an
exemption is only as good as the class it was given, so a class is refused without
its source and date, and clearing a class clears them too. Grades are free text of
up to 16 characters (the conventional A–D, or the grades a rule names, such as
红/橙/黄/蓝); Latin letters are stored in upper case.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field
from sqlmodel import Session

from inspection.db import repository
from inspection.db.tables import EnterpriseRow
from inspection.errors import InvalidInputError, NotFoundError
from inspection.services.access import Actor
from inspection.services.reference.models import (
    EnterprisePublic,
    InputModel,
    no_control_characters,
)
from inspection.services.reference.service import get_enterprise
from inspection.services.trust.audit import record

__all__ = [
    "ClassesUpdate",
    "Grade",
    "RiskClass",
    "apply_classes",
    "check_classes",
    "normal_grade",
    "set_classes",
]


class RiskClass(StrEnum):
    """The conventional grades (A lowest risk or best credit, D highest or worst); a
    rule may name others, which are accepted as they are written."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


def normal_grade(value: str) -> str:
    """A grade as stored: full-width forms folded (NFKC), trimmed, Latin letters upper case.

    Raises:
        ValueError: empty, over 16 characters, or holding control characters.
    """
    text = no_control_characters(unicodedata.normalize("NFKC", value)).upper()
    if not text:
        raise ValueError("等级不能为空（要清除等级请传 null）")
    if len(text) > 16:
        raise ValueError(f"等级“{text}”超过 16 个字符")
    return text


Grade = Annotated[str, AfterValidator(normal_grade)]
"""A risk or credit grade: A–D or a rule's own grade, up to 16 characters."""
Source = Annotated[str, Field(max_length=200), AfterValidator(no_control_characters)]
"""Where a class comes from: the body that set it, or the document (发布机关/依据)."""


class ClassesUpdate(InputModel):
    """A change to an enterprise's classes (PATCH): only the fields sent change.

    A class that is set (a grade, or ``no_disturb: true``) needs its source and
    date, sent now or stored before; a class cleared (``null``, ``false``)
    loses them.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "risk_class": "B",
                    "risk_source": "清城区市场监督管理局食品生产经营风险分级",
                    "risk_as_of": "2024-01-15",
                    "no_disturb": True,
                    "no_disturb_source": "清城区涉企“无事不扰”企业名单（第一批）",
                    "no_disturb_since": "2024-03-01",
                }
            ]
        }
    )

    risk_class: Grade | None = None
    risk_source: Source | None = None
    risk_as_of: date | None = None
    credit_class: Grade | None = None
    credit_source: Source | None = None
    credit_as_of: date | None = None
    no_disturb: bool | None = None
    no_disturb_source: Source | None = None
    no_disturb_since: date | None = None


# each class: its value field, its source field, its date field, and its name in messages
_GROUPS = (
    ("risk_class", "risk_source", "risk_as_of", "风险等级"),
    ("credit_class", "credit_source", "credit_as_of", "信用等级"),
    ("no_disturb", "no_disturb_source", "no_disturb_since", "无事不扰"),
)


def _classes(row: EnterpriseRow) -> dict[str, object]:
    return {field: getattr(row, field) for group in _GROUPS for field in group[:3]}


def _json(values: dict[str, object]) -> dict[str, object]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def _merged(row: EnterpriseRow, changes: ClassesUpdate) -> dict[str, object]:
    """The classes after the change, checked: a set class has its source and date."""
    merged = {**_classes(row), **changes.model_dump(exclude_unset=True)}
    for value_field, source_field, date_field, name in _GROUPS:
        if merged[value_field] in (None, False):
            merged[source_field], merged[date_field] = "", None
            continue
        if not merged[source_field]:
            raise InvalidInputError(f"设定{name}时须写明来源（发布机关或依据）", source_field)
        if merged[date_field] is None:
            raise InvalidInputError(f"设定{name}时须写明日期", date_field)
    if merged["no_disturb"] is None:  # `no_disturb: null` reads as "not on the list"
        merged["no_disturb"] = False
    return merged


def check_classes(session: Session, credit_code: str, changes: ClassesUpdate) -> None:
    """Whether the change may be applied, without applying it.

    Raises:
        NotFoundError: no enterprise has this credit code.
        InvalidInputError: a class set without its source (``*_source``) or date.
    """
    _merged(_enterprise(session, credit_code), changes)


def _enterprise(session: Session, credit_code: str) -> EnterpriseRow:
    row = repository.get_enterprise(session, credit_code.strip().upper())
    if row is None:
        raise NotFoundError(f"企业 {credit_code} 不存在", "credit_code")
    return row


def apply_classes(session: Session, actor: Actor, credit_code: str, changes: ClassesUpdate) -> None:
    """Change an enterprise's classes in the caller's transaction (no commit), audited as
    ``enterprise.classes`` (a change that changes nothing is not recorded).

    Raises:
        NotFoundError: no enterprise has this credit code.
        InvalidInputError: a class set without its source (``*_source``) or date.
    """
    row = _enterprise(session, credit_code)
    before = _classes(row)
    after = _merged(row, changes)
    if after == before:  # nothing changes: nothing to record
        return
    for field, value in after.items():
        setattr(row, field, value)
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "enterprise.classes",
        "enterprise",
        row.credit_code,
        _json(before),
        _json(after),
    )


def set_classes(
    session: Session, actor: Actor, credit_code: str, changes: ClassesUpdate
) -> EnterprisePublic:
    """Change an enterprise's classes (committed); see :func:`apply_classes`.

    Raises:
        NotFoundError: no enterprise has this credit code.
        InvalidInputError: a class set without its source or date.
    """
    apply_classes(session, actor, credit_code, changes)
    session.commit()
    return get_enterprise(session, credit_code)
