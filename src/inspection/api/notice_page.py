"""The printed notice of joint inspection (联合检查通知书): A4 pages drawn on the server.

One `<article class="notice">` per visit, each printed on a page of its own
(`/static/notice.css`: `@page { size: A4 }`, `break-after: page`). Every value
is escaped; the QR code of the verification page is inline SVG, so a notice
prints complete without another request. A small script of this origin
(`/static/js/notice_print.js`) wires the 打印 button, hidden on paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from inspection.api.verify_page import html_page, long_date
from inspection.services.codes.qr import qr_svg
from inspection.services.notices.models import Notice

__all__ = ["NOTICE_HEADERS", "notice_html", "notices_page"]

# the verification page's rules, and this origin's script for the print button
NOTICE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
}
_NUMERALS = "一二三四五六七八九十"
_LEAD_TAG = '<span class="lead-tag">（牵头）</span>'


def _qr(url: str) -> str:
    # segno writes only its own markup around the escaped URL: safe to inline
    return qr_svg(url, standalone=False).decode("utf-8")


def _units_sentence(notice: Notice) -> str:
    others = [u.name for u in notice.units if not u.lead]
    lead = f"由{escape(notice.lead_unit)}牵头"
    if not others:
        return lead
    return f"{lead}，会同{escape('、'.join(others))}"


def _officers_table(notice: Notice) -> str:
    rows = "".join(
        f'<tr class="notice-unit{" lead" if u.lead else ""}"><td>{escape(u.name)}'
        f"{_LEAD_TAG if u.lead else ''}</td><td>"
        + (
            "、".join(
                f'<span class="officer">{escape(o.name)}（执法证号 '
                f'<span class="badge-no">{escape(o.badge_number)}</span>）</span>'
                for o in u.officers
            )
            or '<span class="none">由该单位另行指派，检查时出示执法证件</span>'
        )
        + "</td></tr>"
        for u in notice.units
    )
    return (
        '<table class="officers"><thead><tr><th scope="col">检查单位</th>'
        f'<th scope="col">执法人员（执法证号）</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _items_table(notice: Notice) -> str:
    rows = []
    for unit in notice.units:
        for index, item in enumerate(unit.items):
            first = (
                f'<td rowspan="{len(unit.items)}" class="item-unit">{escape(unit.name)}</td>'
                if index == 0
                else ""
            )
            rows.append(
                f'<tr class="notice-item">{first}<td class="item-name">{escape(item.name)}</td>'
                f'<td class="item-law">{escape(item.legal_basis) or "未注明"}</td></tr>'
            )
    return (
        '<table class="items"><thead><tr><th scope="col">检查单位</th><th scope="col">检查事项'
        f'</th><th scope="col">法律依据</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def notice_html(notice: Notice) -> str:
    """One notice as an `<article>` of its own printed page."""
    address = f"（{escape(notice.enterprise_address)}）" if notice.enterprise_address else ""
    contact = escape(notice.contact) or "未登记，请向牵头单位查询"
    documents = "".join(f'<li class="document">{escape(d)}</li>' for d in notice.documents)
    statements = "".join(f'<li class="statement">{escape(s)}</li>' for s in notice.statements)
    sections = [
        ("检查单位及执法人员", _officers_table(notice)),
        ("检查事项及法律依据", _items_table(notice)),
        ("请提前准备以下材料", f'<ol class="documents">{documents}</ol>'),
        ("贵单位的权利", f'<ol class="statements">{statements}</ol>'),
    ]
    body = "".join(
        f"<section><h2>{_NUMERALS[i]}、{title}</h2>{content}</section>"
        for i, (title, content) in enumerate(sections)
    )
    url = escape(notice.verification_url)
    plan = notice.plan
    return (
        f'<article class="notice" data-code="{escape(notice.number)}">'
        '<header class="notice-head"><div class="title-block">'
        f'<p class="issuer">{escape(notice.district)}涉企“综合查一次”</p>'
        "<h1>联合检查通知书</h1>"
        f'<p class="number">编号（检查码）：<span class="code">{escape(notice.number)}</span></p>'
        f'</div><figure class="qr">{_qr(notice.verification_url)}'
        "<figcaption>扫码核验本次检查</figcaption></figure></header>"
        f'<p class="to"><span class="enterprise">{escape(notice.enterprise_name)}</span>：</p>'
        f'<p class="opening">根据{escape(notice.district)}涉企“综合查一次”联合检查安排'
        f"（第 {plan.number} 号排期，{long_date(plan.horizon_start)}至"
        f"{long_date(plan.horizon_end)}），{_units_sentence(notice)}，"
        f'定于<strong class="date">{long_date(notice.date)}</strong>到贵单位{address}'
        "开展联合检查，一次进门、查多项事。现将有关事项通知如下：</p>"
        f"{body}"
        '<section class="contact-sign"><div class="contact-block"><h2>五、联系方式</h2>'
        f'<p>牵头单位：<span class="lead-unit">{escape(notice.lead_unit)}</span></p>'
        f'<p>联系人及电话：<span class="contact">{contact}</span></p>'
        f'<p class="verify-text">核验网址：<span class="url">{url}</span></p></div>'
        f'<footer class="signature"><p>{escape(notice.lead_unit)}（牵头单位，盖章）</p>'
        "<p>年　　月　　日</p></footer></section>"
        "</article>"
    )


def _page(title: str, body: str) -> str:
    return html_page(title, body, "notice.css", "notice_print.js")


def notices_page(notices: Sequence[Notice], day: date | None = None) -> str:
    """A page of notices, one per printed A4 page (a day's, or one visit's)."""
    if len(notices) == 1 and day is None:
        title = f"联合检查通知书 · {notices[0].enterprise_name}"
        what = "1 份通知书"
    else:
        title = f"联合检查通知书 · {day.isoformat() if day else ''}"
        what = f"{long_date(day) if day else ''}的联合检查通知书共 {len(notices)} 份，每份一页"
    bar = (
        '<div class="print-bar"><span class="print-what">'
        f"{what}（A4 纸打印；也可在打印对话框中选择“另存为 PDF”）</span>"
        '<button type="button" id="print-notices">打印</button></div>'
    )
    if not notices:
        empty = (
            '<p class="no-notices">这一天没有可以出具通知书的已发布联合检查'
            "（已取消的检查不出具通知书）。</p>"
        )
        return _page(title, bar + empty)
    return _page(title, bar + "".join(notice_html(n) for n in notices))
