"""The checklists view in Chromium: a unit's own list, the import template, and an import
that is refused row by row (storing nothing) before a corrected file goes in whole."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from playwright.sync_api import Browser, FilePayload, Page, expect

from inspection.services.spreadsheets.checklists import CHECKLIST_HEADERS
from tests.support.desk import (
    SAMPLE_UNIT,
    DeskServer,
    PageErrors,
    open_desk,
    publish_sample_week,
    sign_in,
)
from tests.support.paths import SAMPLES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_URL = r"/api/v1/checklists/import(\?.*)?$"


def _client(server: DeskServer, role: str) -> httpx.Client:
    headers = {"Authorization": f"Bearer {server.keys[role]}"}
    return httpx.Client(base_url=f"{server.base}/api/v1", headers=headers, timeout=30)


def _checklists(server: DeskServer, role: str = "unit", **params: str) -> list[dict[str, Any]]:
    with _client(server, role) as api:
        # the desk asks for the largest page; the sample's 109 checklists fit in it
        response = api.get("/checklists", params={"limit": "1000", **params})
    response.raise_for_status()
    found: list[dict[str, Any]] = response.json()
    return found


@pytest.fixture(scope="module")
def published(desk_server: DeskServer) -> DeskServer:
    """The module's server with the sample week published, so some checklists are placed."""
    publish_sample_week(desk_server)
    return desk_server


def _open_checklists(browser: Browser, server: DeskServer, role: str) -> tuple[Page, PageErrors]:
    page, errors = open_desk(browser)
    sign_in(page, server, role, "#checklists")
    expect(page.locator("#view-checklists")).to_be_visible()
    return page, errors


def test_a_unit_sees_exactly_its_checklists_and_which_are_published(
    browser: Browser, published: DeskServer
) -> None:
    mine = _checklists(published)
    assert mine
    assert {c["unit_id"] for c in mine} == {SAMPLE_UNIT}
    with _client(published, "unit") as api:
        rounds = api.get("/rounds").json()
    placed = Counter(q["checklist_id"] for r in rounds for q in r["requests"])
    ours = {c["id"] for c in mine}
    assert ours & set(placed), "the published sample week places some of the unit's checklists"

    page, errors = _open_checklists(browser, published, "unit")
    rows = page.locator("#checklists-table tbody tr[data-id]")
    expect(rows).to_have_count(len(mine))
    shown = rows.evaluate_all(
        "rows => rows.map(r => [Number(r.dataset.id), r.dataset.unit,"
        " r.querySelector('.title').textContent, Number(r.querySelector('.targets').textContent),"
        " Number(r.querySelector('.items').textContent)])"
    )
    assert shown == [
        [c["id"], c["unit_id"], c["title"], len(c["targets"]), len(c["items"])] for c in mine
    ]
    expect(page.locator("#checklists-unit")).to_have_count(0)  # a unit sees its own only
    for checklist in mine:
        status = page.locator(f'#checklists-table tr[data-id="{checklist["id"]}"] td.status')
        expect(status).to_contain_text("已批准")
        if checklist["id"] in placed:
            total = len(checklist["targets"])
            expect(status).to_contain_text(f"已发布 {placed[checklist['id']]}/{total} 家")
        else:
            expect(status).not_to_contain_text("已发布")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert errors.found == []
    page.context.close()


def test_a_coordinator_filters_by_unit(browser: Browser, desk_server: DeskServer) -> None:
    everyone = _checklists(desk_server, "coordinator")
    other = next(c["unit_id"] for c in everyone if c["unit_id"] != SAMPLE_UNIT)
    theirs = _checklists(desk_server, "coordinator", unit=other)
    assert 0 < len(theirs) < len(everyone)

    page, errors = _open_checklists(browser, desk_server, "coordinator")
    rows = page.locator("#checklists-table tbody tr[data-id]")
    expect(rows).to_have_count(len(everyone))
    page.select_option("#checklists-unit", other)
    expect(rows).to_have_count(len(theirs))
    assert rows.evaluate_all("rows => rows.map(r => Number(r.dataset.id))") == [
        c["id"] for c in theirs
    ]
    page.select_option("#checklists-status", "withdrawn")
    expect(page.locator("#checklists-table tbody td.empty")).to_be_visible()
    assert errors.found == []
    page.context.close()


def test_the_templates_download(browser: Browser, desk_server: DeskServer, tmp_path: Path) -> None:
    page, errors = _open_checklists(browser, desk_server, "unit")
    with page.expect_download() as xlsx_download:
        page.click("#template-xlsx")
    xlsx = tmp_path / xlsx_download.value.suggested_filename
    xlsx_download.value.save_as(xlsx)
    assert xlsx.suffix == ".xlsx"
    sheet = load_workbook(xlsx)["检查清单"]
    assert tuple(cell.value for cell in sheet[1]) == CHECKLIST_HEADERS

    with page.expect_download() as csv_download:
        page.click("#template-csv")
    text = Path(csv_download.value.path()).read_bytes().decode("utf-8-sig")
    assert csv_download.value.suggested_filename.endswith(".csv")
    assert tuple(next(csv.reader(io.StringIO(text)))) == CHECKLIST_HEADERS
    assert errors.found == []
    page.context.close()


def _sample_codes(count: int) -> list[str]:
    with (SAMPLES / "enterprises.csv").open(encoding="utf-8-sig", newline="") as file:
        return [row["统一社会信用代码"] for row in csv.DictReader(file)][:count]


def _template(server: DeskServer) -> Workbook:
    with _client(server, "unit") as api:
        response = api.get("/checklists/template.xlsx")
    response.raise_for_status()
    return load_workbook(io.BytesIO(response.content))


def _checklist_file(
    server: DeskServer, third_target: str, first_title: str = "工作台导入测试清单一"
) -> bytes:
    """The real template, its example removed, holding two checklists of SCJG (three rows)."""
    book = _template(server)
    sheet = book["检查清单"]
    assert isinstance(sheet, Worksheet)
    sheet.delete_rows(2, sheet.max_row)
    first, second, _ = _sample_codes(3)
    start, end = date(2024, 9, 2), date(2024, 9, 13)
    rows = [
        ("DESK-1", SAMPLE_UNIT, first_title, "日常", start, end, 1),
        ("DESK-1", None, None, None, None, None, None),
        ("DESK-2", SAMPLE_UNIT, "工作台导入测试清单二", "专项", start, end, 2),
    ]
    items = [
        ("营业执照公示情况", "《市场主体登记管理条例》第三十一条", first),
        ("食品经营许可情况", "《中华人民共和国食品安全法》第三十五条", second),
        ("计量器具检定情况", "《中华人民共和国计量法》第九条", third_target),
    ]
    for own, item in zip(rows, items, strict=True):
        sheet.append([*own, *item])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(page: Page, name: str, content: bytes) -> None:
    payload: FilePayload = {"name": name, "mimeType": XLSX, "buffer": content}
    page.set_input_files("#import-file", files=[payload])
    page.click("#import-submit")


def test_a_bad_row_is_named_nothing_is_stored_and_a_good_file_imports(
    browser: Browser, desk_server: DeskServer
) -> None:
    before = _checklists(desk_server)
    good_code = _sample_codes(3)[2]
    # changing the check character always breaks a credit code
    bad_code = good_code[:-1] + ("0" if good_code[-1] != "0" else "1")
    bad_file = _checklist_file(desk_server, bad_code)
    with _client(desk_server, "unit") as api:
        refused = api.post("/checklists/import", files={"file": ("bad.xlsx", bad_file, XLSX)})
    assert 400 <= refused.status_code < 500
    problems = refused.json()["errors"]
    assert {p["row"] for p in problems} == {4}  # header is row 1: the third data row
    assert len(_checklists(desk_server)) == len(before)

    page, errors = _open_checklists(browser, desk_server, "unit")
    errors.allow(IMPORT_URL)
    rows = page.locator("#checklists-table tbody tr[data-id]")
    expect(rows).to_have_count(len(before))
    _upload(page, "bad.xlsx", bad_file)
    box = page.locator("#import-errors")
    expect(box).to_be_visible()
    expect(box.locator("tbody tr")).to_have_count(len(problems))
    for problem in problems:
        row = box.locator(f'tr[data-row="{problem["row"]}"][data-column="{problem["column"]}"]')
        expect(row).to_contain_text(problem["problem"])
        expect(row.locator("td").first).to_have_text(str(problem["row"]))
    expect(box).to_contain_text("没有保存任何检查清单")
    assert len(_checklists(desk_server)) == len(before)
    expect(rows).to_have_count(len(before))

    # a file that is not a spreadsheet at all: the API's one sentence, no row table
    with _client(desk_server, "unit") as api:
        garbage = api.post(
            "/checklists/import", files={"file": ("x.xlsx", b"not a workbook", XLSX)}
        )
    assert 400 <= garbage.status_code < 500
    _upload(page, "x.xlsx", b"not a workbook")
    expect(box.locator(".import-problem")).to_contain_text(garbage.json()["detail"])
    expect(box.locator("table")).to_have_count(0)

    with page.expect_response(lambda r: "/api/v1/checklists/import" in r.url) as answer:
        _upload(page, "good.xlsx", _checklist_file(desk_server, good_code))
    assert answer.value.status == 201
    created = answer.value.json()["created"]
    assert created == 2
    expect(page.locator("#import-result")).to_have_text(f"导入完成：新建 {created} 份检查清单。")
    expect(box).to_be_hidden()
    expect(rows).to_have_count(len(before) + created)
    after = _checklists(desk_server)
    assert len(after) == len(before) + created
    titles = rows.evaluate_all("rows => rows.map(r => r.querySelector('.title').textContent)")
    assert {"工作台导入测试清单一", "工作台导入测试清单二"} <= set(titles)

    # the same file again: nothing stored twice, and the page says so
    with page.expect_response(lambda r: "/api/v1/checklists/import" in r.url) as again:
        _upload(page, "good.xlsx", _checklist_file(desk_server, good_code))
    assert (again.value.status, again.value.json()["unchanged"]) == (200, 2)
    expect(page.locator("#import-result")).to_contain_text("2 份此前已导入、内容未变，没有重复保存")
    expect(rows).to_have_count(len(before) + created)

    # a revised file: refused with the rows named, then imported as amendments on request
    revised = _checklist_file(desk_server, good_code, first_title="工作台导入测试清单一（修订）")
    _upload(page, "revised.xlsx", revised)
    expect(box.locator('tr[data-column="清单编号"]')).to_have_count(1)
    expect(box.locator('tr[data-column="清单编号"]')).to_contain_text("DESK-1")
    assert len(_checklists(desk_server)) == len(before) + created
    with page.expect_response(lambda r: "on_change=amend" in r.url) as amended:
        page.click("#import-amend")
    assert amended.value.json()["amended"] == 1
    expect(page.locator("#import-result")).to_contain_text("按文件修改了 1 份")
    expect(page.locator("#import-result")).to_contain_text("1 份此前已导入、内容未变")
    expect(rows).to_have_count(len(before) + created)
    expect(rows.filter(has_text="工作台导入测试清单一（修订）")).to_have_count(1)
    assert errors.found == []
    page.context.close()
