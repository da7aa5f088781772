"""The approvals view (审批) in Chromium: a unit's staff submit a draft, its head sees it under
审批 and approves it (the status changes, the checklist's page names who approved it); a
coordinator sees every unit's drafts with no 批准 button; at a phone's width it fits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, expect

from tests.support.desk import ARTIFACTS, SAMPLE_UNIT, DeskServer, open_desk, sign_in

YONGTIAN = "91441802MA5NNX0371"  # 清远市永天商贸有限公司, a sample enterprise
SHOTS = Path("/work/shots/approval")


def _api(server: DeskServer, role: str) -> httpx.Client:
    headers = {"Authorization": f"Bearer {server.keys[role]}"}
    return httpx.Client(base_url=f"{server.base}/api/v1", headers=headers, timeout=30)


def _draft(server: DeskServer, title: str, kind: str = "routine") -> dict[str, Any]:
    body = {
        "unit_id": SAMPLE_UNIT,
        "title": title,
        "inspection_type": kind,
        "items": [{"name": "食品经营许可情况", "legal_basis": "《食品安全法》第三十五条"}],
        "targets": [YONGTIAN],
        "earliest": "2024-06-03",
        "latest": "2024-06-07",
    }
    with _api(server, "unit") as api:  # the unit's staff: a draft
        answer = api.post("/checklists", json=body)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    assert created["status"] == "draft"
    return created


def _shoot(page: Any, name: str) -> None:
    for folder in (ARTIFACTS, SHOTS):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / name), full_page=True)


def test_a_head_approves_a_draft_in_the_desk(browser: Browser, desk_server: DeskServer) -> None:
    draft = _draft(desk_server, "2024年6月食品安全日常检查（待审批）")
    complaint = _draft(desk_server, "投诉举报核查：永天商贸", kind="complaint")
    page, errors = open_desk(browser, width=1440)
    sign_in(page, desk_server, "head", "#approvals")
    expect(page.locator("#who-name")).to_contain_text("单位负责人")
    row = page.locator(f'#approvals-table tr[data-id="{draft["id"]}"]')
    expect(row).to_be_visible()
    expect(page.locator(f'#approvals-table tr[data-id="{complaint["id"]}"]')).to_contain_text(
        "可先排期"
    )
    expect(page.locator("#approvals-count")).to_have_text("共 2 份待审批")
    _shoot(page, "approvals-head-1440.png")

    row.locator("button.approve").click()
    expect(page.locator("#toast")).to_contain_text("已批准检查清单")
    expect(row).to_have_count(0)
    expect(page.locator("#approvals-count")).to_have_text("共 1 份待审批")
    with _api(desk_server, "coordinator") as api:
        stored = api.get(f"/checklists/{draft['id']}").json()
    assert stored["status"] == "approved"
    assert "测试单位负责人" in stored["approved_by"]

    # the checklist's page shows who approved it
    page.locator(f'#approvals-table tr[data-id="{complaint["id"]}"] a').click()
    expect(page.locator("#checklist-approval")).to_contain_text("可先排期")
    page.locator("#checklist-approve").click()
    expect(page.locator("#checklist-status")).to_have_text("已批准")
    expect(page.locator("#checklist-approval")).to_contain_text("测试单位负责人")
    expect(page.locator("#checklist-approval")).to_contain_text("批准")
    _shoot(page, "approved-detail-1440.png")
    assert errors.found == []
    page.context.close()


def test_a_coordinator_sees_the_drafts_read_only(browser: Browser, desk_server: DeskServer) -> None:
    draft = _draft(desk_server, "2024年6月消防安全检查（待审批）")
    page, errors = open_desk(browser, width=1440)
    sign_in(page, desk_server, "coordinator", "#approvals")
    row = page.locator(f'#approvals-table tr[data-id="{draft["id"]}"]')
    expect(row).to_be_visible()
    expect(page.locator("#approvals-intro")).to_contain_text("协调人只能查看")
    assert page.locator("#approvals-table button.approve").count() == 0
    page.context.close()

    # the unit's staff see it waiting, without a 批准 button either; at a phone's width
    phone, phone_errors = open_desk(browser, width=390, height=844)
    sign_in(phone, desk_server, "unit", "#approvals")
    expect(phone.locator(f'#approvals-table tr[data-id="{draft["id"]}"]')).to_be_visible()
    assert phone.locator("#approvals-table button.approve").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shoot(phone, "approvals-unit-390.png")
    phone.context.close()
    head, head_errors = open_desk(browser, width=390, height=844)
    sign_in(head, desk_server, "head", "#approvals")
    expect(head.locator("#approvals-table button.approve").first).to_be_visible()
    assert head.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shoot(head, "approvals-head-390.png")
    head.context.close()
    assert errors.found == phone_errors.found == head_errors.found == []
