"""The public page of an inspection code (检查码核验), drawn on the server for any phone.

Plain HTML with the desk's stylesheet rules of its own (`/static/verify.css`), no
script: an enterprise opens it from a QR code on whatever phone it has. Every
value is escaped; the page holds only the fields of
:class:`inspection.services.codes.verify.Verification`, and from the visit's day on a
plain form to rate it (posted to ``/v/{code}/rating``, no script). Once rated, the page
says 已评价 and never shows the rating: the inspecting officers hold the code too.
"""

from __future__ import annotations

from datetime import date
from html import escape

from pydantic import ValidationError

from inspection.services.codes.verify import NOT_FOUND, Verification
from inspection.services.ratings.models import (
    MAX_COMMENT,
    MAX_COMPLAINT,
    SCORE_NAMES,
    RatingState,
)

__all__ = [
    "PAGE_HEADERS",
    "SECURITY_HEADERS",
    "html_page",
    "long_date",
    "not_found_page",
    "rating_problem",
    "verification_page",
]

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
PAGE_HEADERS = {
    **SECURITY_HEADERS,
    "Content-Security-Policy": SECURITY_HEADERS["Content-Security-Policy"].replace(
        "form-action 'none'", "form-action 'self'"
    ),
}
"""A visit's page: the same, but its rating form may post to this service."""
_WEEKDAYS = "一二三四五六日"
_FIELD_NAMES = {"score": "评分", "comment": "评价意见", "complaint": "投诉内容"}


def long_date(day: date) -> str:
    """A day as a letter writes it: ``2024年4月8日（星期一）``."""
    return f"{day.year}年{day.month}月{day.day}日（星期{_WEEKDAYS[day.weekday()]}）"


def html_page(title: str, body: str, stylesheet: str, script: str | None = None) -> str:
    """A whole page of the public pages' frame (not indexed): its title, one stylesheet
    and optionally one module script from /static, and `body` as given (already escaped)."""
    module = f'<script type="module" src="/static/js/{script}"></script>' if script else ""
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{escape(title)}</title>"
        '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
        f'<link rel="stylesheet" href="/static/{stylesheet}">{module}</head>'
        f"<body>{body}</body></html>\n"
    )


def _page(title: str, body: str) -> str:
    return html_page(title, f'<main class="verify">{body}</main>', "verify.css")


def rating_problem(refused: ValidationError) -> str:
    """The first problem of a refused rating form, in one Chinese sentence naming the field."""
    error = refused.errors()[0]
    field = str(error["loc"][0]) if error["loc"] else "score"
    name = _FIELD_NAMES.get(field, field)
    if field == "score":
        return f"{name}：请选择 1 至 5 星"
    if error["type"] == "string_too_long":
        limit = MAX_COMMENT if field == "comment" else MAX_COMPLAINT
        return f"{name}：最多 {limit} 字"
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    return f"{name}：{message}"


def _rating_section(
    code: str, state: RatingState, problem: str | None, values: tuple[str, str, str]
) -> str:
    """The rating part of the page: the form, or what stands in its place."""
    alert = f'<p class="status problem" role="alert">{escape(problem)}</p>' if problem else ""
    if state is RatingState.CANCELLED:
        return f'<section class="rating">{alert}</section>' if alert else ""
    if state is RatingState.RATED:
        return (
            f'<section class="rating"><h2>检查评价</h2>{alert}'
            '<p class="status rated">已评价，感谢您的反馈。</p>'
            '<p class="hint">评价匿名提交给督察部门，检查单位看不到您的评价。</p></section>'
        )
    if state is RatingState.NOT_YET:
        return (
            f'<section class="rating"><h2>检查评价</h2>{alert}'
            '<p class="hint">检查当天起可在本页对本次检查进行评价。</p></section>'
        )
    score, comment, complaint = values
    stars = "".join(
        f'<label class="star"><input type="radio" name="score" value="{n}" required'
        f"{' checked' if score == str(n) else ''}><span>{n} 星</span>"
        f"<small>{SCORE_NAMES[n]}</small></label>"
        for n in range(5, 0, -1)
    )
    return (
        '<section class="rating"><h2>检查评价</h2>'
        '<p class="hint">每个检查码只能评价一次。'
        "评价匿名提交给督察部门，检查单位看不到您的评价。</p>"
        f"{alert}"
        f'<form method="post" action="/v/{escape(code)}/rating" class="rating-form">'
        '<fieldset class="stars"><legend>评分（必选）</legend>'
        f"{stars}</fieldset>"
        f'<label class="field">评价意见（选填，{MAX_COMMENT} 字以内）'
        f'<textarea name="comment" maxlength="{MAX_COMMENT}" rows="3">'
        f"{escape(comment)}</textarea>"
        "</label>"
        f'<label class="field">投诉内容（选填，{MAX_COMPLAINT} 字以内；'
        "如检查中有违规行为请在此说明）"
        f'<textarea name="complaint" maxlength="{MAX_COMPLAINT}" rows="3">{escape(complaint)}'
        "</textarea></label>"
        '<button type="submit">提交评价</button></form></section>'
    )


def verification_page(
    visit: Verification,
    qr_url: str,
    rating: RatingState = RatingState.NOT_YET,
    problem: str | None = None,
    values: tuple[str, str, str] = ("", "", ""),
) -> str:
    """The page of a code that names a visit, with its rating part (`rating`: whether it can
    be rated now; `problem` and `values`: a refused form, drawn again with what was sent)."""
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
        f"{_rating_section(visit.code, rating, problem, values)}"
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
