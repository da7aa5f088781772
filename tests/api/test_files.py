"""Spreadsheets and calendars over HTTP: template, imports (all or nothing), exports, feeds."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from fastapi.testclient import TestClient
from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy import Engine

from inspection.api.app import create_app
from inspection.services.spreadsheets.checklists import CHECKLIST_HEADERS
from inspection.services.spreadsheets.io import table_csv
from inspection.settings import Settings
from tests.support.data import FACTORY, FOOD_SHOP
from tests.support.keyed_client import KeyedClient, wait_for_plan
from tests.support.sheets import UNITS_CSV


def _checklists_csv(*rows: list[str]) -> bytes:
    return table_csv(CHECKLIST_HEADERS, [list(r) for r in rows])


GOOD_ROW = [
    *("QC-1", "XFJY", "消防安全检查", "日常", "2024-06-03", "2024-06-07", "1"),
    *("消防设施器材完好", "《中华人民共和国消防法》第十六条", f"{FOOD_SHOP}；{FACTORY}"),
]


def test_reference_imports_store_every_row(api_imported: TestClient) -> None:
    assert [u["id"] for u in api_imported.get("/api/v1/units").json()] == ["SCJG", "XFJY"]
    assert api_imported.get("/api/v1/units/XFJY").json()["days_off"] == ["2024-06-05"]
    factory = api_imported.get(f"/api/v1/enterprises/{FACTORY}").json()
    assert (factory["town"], factory["blackout_days"]) == ("石角镇", ["2024-06-07"])
    again = api_imported.post(
        "/api/v1/units/import", files={"file": ("units.csv", UNITS_CSV, "text/csv")}
    )
    assert again.status_code == 422
    assert [(e["row"], e["column"]) for e in again.json()["errors"]] == [
        (2, "单位编号"),
        (3, "单位编号"),
    ]


def test_the_template_downloads_and_imports(api_imported: TestClient) -> None:
    template = api_imported.get("/api/v1/checklists/template.xlsx")
    assert template.status_code == 200
    assert template.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in template.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == list(CHECKLIST_HEADERS)
    imported = api_imported.post(
        "/api/v1/checklists/import",
        files={"file": ("模板.xlsx", template.content, "application/octet-stream")},
    )
    assert imported.status_code == 201, imported.text
    assert imported.json()["created"] == 1
    stored = api_imported.get(f"/api/v1/checklists/{imported.json()['ids'][0]}").json()
    assert stored["unit_id"] == "SCJG"
    as_csv = api_imported.get("/api/v1/checklists/template.csv")
    assert as_csv.content.startswith("\ufeff".encode())
    # the CSV template holds the same example checklist: imported again, it is not stored twice
    again = api_imported.post(
        "/api/v1/checklists/import", files={"file": ("t.csv", as_csv.content, "text/csv")}
    )
    assert again.status_code == 200, again.text
    assert (again.json()["created"], again.json()["unchanged_ids"]) == (0, imported.json()["ids"])


def test_a_file_with_bad_rows_imports_nothing_and_names_every_problem(
    api_imported: TestClient,
) -> None:
    unknown_code = "91441802307595328H"  # valid, never registered
    content = _checklists_csv(
        GOOD_ROW,
        [
            "QC-2",
            "NOPE",
            "检查",
            "日常",
            "2024-06-03",
            "2024-06-07",
            "1",
            "事项",
            "依据",
            FOOD_SHOP,
        ],
        [
            "QC-3",
            "SCJG",
            "检查",
            "日常",
            "2024-06-09",
            "2024-06-07",
            "9",
            "事项",
            "依据",
            FOOD_SHOP,
        ],
        [
            "QC-4",
            "SCJG",
            "检查",
            "日常",
            "2024-06-03",
            "2024-06-07",
            "1",
            "事项",
            "依据",
            unknown_code,
        ],
    )
    answer = api_imported.post(
        "/api/v1/checklists/import", files={"file": ("c.csv", content, "text/csv")}
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["field"] == "file"
    places = {(e["row"], e["column"]) for e in body["errors"]}
    assert (4, "优先级") in places
    assert (4, "最早日期") in places  # reversed window
    assert all(e["problem"] for e in body["errors"])
    # the unit and enterprise checks run once the file itself is valid
    assert api_imported.get("/api/v1/checklists").json() == []
    content = _checklists_csv(
        GOOD_ROW,
        [
            "QC-2",
            "NOPE",
            "检查",
            "日常",
            "2024-06-03",
            "2024-06-07",
            "1",
            "事项",
            "依据",
            FOOD_SHOP,
        ],
        [
            "QC-4",
            "SCJG",
            "检查",
            "日常",
            "2024-06-03",
            "2024-06-07",
            "1",
            "事项",
            "依据",
            unknown_code,
        ],
    )
    answer = api_imported.post(
        "/api/v1/checklists/import", files={"file": ("c.csv", content, "text/csv")}
    )
    assert answer.status_code == 422
    assert [(e["row"], e["column"]) for e in answer.json()["errors"]] == [
        (3, "执法单位编号"),
        (4, "检查对象"),
    ]
    assert api_imported.get("/api/v1/checklists").json() == []


def test_files_too_large_or_not_spreadsheets(api_imported: TestClient) -> None:
    huge = api_imported.post(
        "/api/v1/checklists/import", files={"file": ("c.csv", b"x" * 200_001, "text/csv")}
    )
    assert huge.status_code == 413
    assert huge.json()["field"] == "file"
    fake = api_imported.post(
        "/api/v1/checklists/import",
        files={"file": ("c.xlsx", b"PK\x03\x04 no zip", "application/octet-stream")},
    )
    assert fake.status_code == 422
    assert fake.json()["field"] == "file"
    missing = api_imported.post("/api/v1/checklists/import")
    assert missing.status_code == 422
    assert missing.json()["field"] == "file"


def test_the_upload_limit_is_the_setting_whatever_it_is(engine: Engine) -> None:
    """A limit above 5 MiB (and above the JSON body limit) lets a file that large through to
    the reader, and one byte more is refused by the limit, named in the answer."""
    limit = 6_000_000
    settings = Settings(max_upload_bytes=limit)
    header = "统一社会信用代码,企业名称,镇街,备注\r\n".encode()
    row = b"x" * 400 + b",,,\r\n"  # 14,800 such rows: under the row limit
    padding = row * ((limit - len(header)) // len(row))
    padding += b"x" * (limit - len(header) - len(padding))
    with KeyedClient(create_app(settings=settings, engine=engine), engine) as client:
        within = client.post(
            "/api/v1/enterprises/import",
            files={"file": ("e.csv", header + padding, "text/csv")},
        )
        assert within.status_code == 422, within.text
        assert "备注" in within.json()["detail"]  # the headers were read: the size passed
        over = client.post(
            "/api/v1/enterprises/import",
            files={"file": ("e.csv", header + padding + b"x", "text/csv")},
        )
        assert over.status_code == 413
        assert (over.json()["field"], over.json()["detail"]) == ("file", "文件超过 6 MB 上限")


def test_a_published_plan_exports_and_feeds_the_units_calendars(
    api_imported: KeyedClient,
) -> None:
    content = _checklists_csv(
        GOOD_ROW,
        ["QC-2", "SCJG", "食品安全检查", "日常", "2024-06-03", "2024-06-07", "1",
         "食品经营许可情况", "《中华人民共和国食品安全法》第三十五条", FOOD_SHOP],
    )  # fmt: skip
    imported = api_imported.post(
        "/api/v1/checklists/import", files={"file": ("c.csv", content, "text/csv")}
    )
    assert imported.status_code == 201, imported.text
    assert api_imported.approve_drafts() == 2  # imported as drafts: the unit's head approves
    plan = api_imported.post(
        "/api/v1/plans", json={"start": "2024-06-03", "end": "2024-06-09", "time_limit_s": 5}
    )
    location = plan.headers["location"]
    wait_for_plan(api_imported, location)
    rounds = api_imported.get(f"{location}/rounds").json()
    exported = api_imported.get(f"{location}/export.csv")
    assert exported.status_code == 200
    lines = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(lines) == 1 + len(rounds)
    xlsx = api_imported.get(f"{location}/export.xlsx")
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.worksheets[0].max_row == 1 + len(rounds)
    # the file names say which days they cover
    plan_id = location.rsplit("/", 1)[1]
    for answer, kind in ((exported, "csv"), (xlsx, "xlsx")):
        name = quote(f"排期{plan_id}_2024-06-03至2024-06-09.{kind}")
        assert f"filename*=UTF-8''{name}" in answer.headers["content-disposition"]
    assert api_imported.post(f"{location}/publish").status_code == 200
    feed = api_imported.get("/api/v1/units/XFJY/calendar.ics")
    assert feed.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert len(events) == sum("XFJY" in r["units"] for r in rounds) == 2
    # each event where the visit goes: the enterprise's address, else its town
    assert {str(e["location"]) for e in events} == {"凤城街道人民一路8号", "石角镇"}
    assert api_imported.get("/api/v1/units/NOPE/calendar.ics").status_code == 404
    assert api_imported.get("/api/v1/plans/999/export.csv").status_code == 404
