"""The public page of an inspection code (检查码核验), drawn on the server for any phone.

Plain HTML with the desk's stylesheet rules of its own (`/static/verify.css`), no
script: an enterprise opens it from a QR code on whatever phone it has. Every
value is escaped; the page holds only the fields of
:class:`inspection.services.codes.verify.Verification`.
"""

from __future__ import annotations

from datetime import date
from html import escape

from inspection.services.codes.verify import NOT_FOUND, Verification

__all__ = ["SECURITY_HEADERS", "long_date", "not_found_page", "verification_page"]

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
}
_WEEKDAYS = "一二三四五六日"


def long_date(day: date) -> str:
    """A day as a letter writes it: ``2024年4月8日（星期一）``."""
    return f"{day.year}年{day.month}月{day.day}日（星期{_WEEKDAYS[day.weekday()]}）"


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{escape(title)}</title>"
        '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
        '<link rel="stylesheet" href="/static/verify.css"></head>'
        f'<body><main class="verify">{body}</main></body></html>\n'
    )


def verification_page(visit: Verification, qr_url: str) -> str:
    """The page of a code that names a visit."""
    code = escape(visit.code)
    status = (
        '<p class="status cancelled" role="alert">该检查已取消</p>'
        if visit.cancelled
        else '<p class="status valid">检查码有效：这是已发布的联合检查</p>'
    )
    lead_tag = '<span class="tag">牵头</span>'
    units = "".join(
        f'<li class="unit lead">{escape(u)}{lead_tag}</li>'
        if i == 0
        else f'<li class="unit">{escape(u)}</li>'
        for i, u in enumerate(visit.units)
    )
    officers = (
        "".join(
            f'<li class="officer"><span class="name">{escape(o.name)}</span>'
            f'<span class="badge-no">执法证号 {escape(o.badge_number)}</span>'
            f'<span class="of-unit">{escape(o.unit)}</span></li>'
            for o in visit.officers
        )
        or '<li class="none">尚未确定执法人员</li>'
    )
    items = "".join(
        f'<li class="item"><span class="item-name">{escape(i.name)}</span>'
        f'<span class="item-unit">{escape(i.unit)}</span>'
        f'<span class="item-law">依据：{escape(i.legal_basis) or "未注明"}</span></li>'
        for i in visit.items
    )
    plan = visit.plan
    body = (
        '<header><p class="kicker">综合查一次 · 检查码核验</p>'
        f"<h1>{escape(visit.enterprise_name)}</h1>{status}</header>"
        f'<section class="facts"><dl>'
        f'<dt>检查日期</dt><dd class="date">{long_date(visit.date)}</dd>'
        f'<dt>检查码</dt><dd class="code">{code}</dd>'
        f'<dt>牵头单位</dt><dd class="lead-unit">{escape(visit.lead_unit)}</dd>'
        f'<dt>所属排期</dt><dd class="plan">第 {plan.number} 号排期'
        f"（{long_date(plan.horizon_start)}至{long_date(plan.horizon_end)}）</dd>"
        "</dl></section>"
        f'<section><h2>参与单位</h2><ul class="units">{units}</ul></section>'
        f'<section><h2>执法人员</h2><ul class="officers">{officers}</ul>'
        '<p class="hint">请核对执法人员出示的执法证件与上列姓名、证号一致。</p></section>'
        f'<section><h2>检查事项及依据</h2><ol class="items">{items}</ol></section>'
        f'<section class="qr"><img src="{escape(qr_url)}" alt="本页二维码"'
        ' width="180" height="180"></section>'
        "<footer><p>本页仅显示该检查码对应的一次检查。如有疑问，请向牵头单位核实。</p></footer>"
    )
    return _page(f"检查码核验 · {visit.enterprise_name}", body)


def not_found_page() -> str:
    """The page of a code that names nothing (unknown and malformed alike)."""
    body = (
        '<header><p class="kicker">综合查一次 · 检查码核验</p>'
        f"<h1>{NOT_FOUND}</h1></header>"
        '<p class="hint">请核对检查码（12 位字母和数字，如 K7QM-2XHD-9PZT）后重试；'
        "如仍无法找到，请向通知您的执法单位核实。</p>"
    )
    return _page(NOT_FOUND, body)
