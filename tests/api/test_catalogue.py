"""The item catalogue over HTTP: status codes, problem+json fields, the rule on submission and
on the checklist import, and the catalogue's own Excel import and export."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from inspection.services.spreadsheets.catalogue_files import CATALOGUE_HEADERS
from inspection.services.spreadsheets.checklists import CHECKLIST_HEADERS
from inspection.services.spreadsheets.io import table_csv
from tests.support.data import FACTORY, FOOD_SHOP, checklist_body

PROBLEM = "application/problem+json"
ITEM = {
    "code": "SP-1",
    "name": "食品经营许可情况",
    "legal_basis": "《食品安全法》第三十五条",
    "level": "national",
    "offsite": False,
}
PAPER = {
    "code": "SP-2",
    "name": "食品安全管理制度",
    "legal_basis": "《食品安全法》第四十四条",
    "offsite": True,
    "industries": ["餐饮服务", "食品销售"],
}


def _publish(client: TestClient, *items: dict[str, object], day: str = "2024-01-01") -> None:
    for item in items:
        added = client.post("/api/v1/units/SCJG/catalogue/items", json=item)
        assert added.status_code == 201, added.text
    published = client.post("/api/v1/units/SCJG/catalogue/publish", json={"effective_from": day})
    assert published.status_code == 201, published.text


def test_items_editions_and_their_refusals(api_one_unit: TestClient) -> None:
    client = api_one_unit
    added = client.post("/api/v1/units/SCJG/catalogue/items", json=ITEM)
    assert added.status_code == 201
    assert added.headers["Location"] == f"/api/v1/catalogue/items/{added.json()['id']}"
    item_id = added.json()["id"]
    again = client.post("/api/v1/units/SCJG/catalogue/items", json=ITEM)
    assert (again.status_code, again.headers["content-type"]) == (409, PROBLEM)
    assert again.json()["field"] == "code"
    bad = client.post("/api/v1/units/SCJG/catalogue/items", json={**ITEM, "level": "village"})
    assert bad.status_code == 422
    missing = client.post("/api/v1/units/NONE/catalogue/items", json=ITEM)
    assert missing.status_code == 404
    edited = client.patch(f"/api/v1/catalogue/items/{item_id}", json={"offsite": True})
    assert (edited.status_code, edited.json()["offsite"]) == (200, True)
    first = client.post(
        "/api/v1/units/SCJG/catalogue/publish", json={"effective_from": "2024-01-01"}
    )
    assert (first.status_code, first.json()["edition"]) == (201, 1)
    empty = client.post(
        "/api/v1/units/SCJG/catalogue/publish", json={"effective_from": "2024-02-01"}
    )
    assert empty.status_code == 409
    locked = client.patch(f"/api/v1/catalogue/items/{item_id}", json={"offsite": False})
    assert (locked.status_code, locked.json()["field"]) == (409, "state")
    revised = client.post(f"/api/v1/catalogue/items/{item_id}/revise", json={"offsite": False})
    assert (revised.status_code, revised.json()["revision"]) == (201, 2)
    second = client.post(
        "/api/v1/units/SCJG/catalogue/publish", json={"effective_from": "2024-03-01"}
    )
    assert second.json()["edition"] == 2
    editions = client.get("/api/v1/units/SCJG/catalogue/editions").json()
    assert [(e["edition"], e["effective_from"]) for e in editions] == [
        (1, "2024-01-01"),
        (2, "2024-03-01"),
    ]
    assert (
        client.get("/api/v1/units/SCJG/catalogue/editions/1").json()["published"][0]["id"]
        == item_id
    )
    assert client.get("/api/v1/units/SCJG/catalogue/editions/9").status_code == 404
    early = client.post(
        f"/api/v1/catalogue/items/{revised.json()['id']}/retire", json={"retired_on": "2024-02-01"}
    )
    assert (early.status_code, early.json()["field"]) == (422, "retired_on")
    retired = client.post(
        f"/api/v1/catalogue/items/{revised.json()['id']}/retire", json={"retired_on": "2024-09-01"}
    )
    assert (retired.status_code, retired.json()["state"]) == (200, "retired")
    current = client.get("/api/v1/units/SCJG/catalogue", params={"on": "2024-05-01"}).json()
    assert [(i["revision"], i["state"]) for i in current["items"]] == [(2, "retired")]
    later = client.get("/api/v1/units/SCJG/catalogue/items", params={"on": "2024-10-01"}).json()
    assert later == []
    assert client.get("/api/v1/catalogue/items/999/revise").status_code == 405


def test_a_checklist_is_held_to_the_published_catalogue(api_one_unit: TestClient) -> None:
    client = api_one_unit
    free = client.post("/api/v1/checklists", json=checklist_body(reference="A-0"))
    assert free.status_code == 201, free.text  # no catalogue yet: anything goes
    _publish(client, ITEM, PAPER)
    unknown = client.post(
        "/api/v1/checklists",
        json=checklist_body(items=[{"name": "无此事项", "legal_basis": "某法"}]),
    )
    assert (unknown.status_code, unknown.headers["content-type"]) == (422, PROBLEM)
    assert unknown.json()["field"] == "items[0].name"
    assert "无此事项" in unknown.json()["detail"]
    item = {k: ITEM[k] for k in ("name", "legal_basis")}
    paper = {k: PAPER[k] for k in ("name", "legal_basis", "code")}
    basis = client.post(
        "/api/v1/checklists", json=checklist_body(items=[{**item, "legal_basis": "别的"}])
    )
    assert basis.json()["field"] == "items[0].legal_basis"
    no_reason = client.post("/api/v1/checklists", json=checklist_body(items=[item, paper]))
    assert (no_reason.status_code, no_reason.json()["field"]) == (422, "onsite_reason")
    assert "食品安全管理制度" in no_reason.json()["detail"]
    stored = client.post(
        "/api/v1/checklists",
        json=checklist_body(items=[item, paper], onsite_reason="需现场核对台账"),
    )
    assert stored.status_code == 201, stored.text
    assert stored.json()["onsite_reason"] == "需现场核对台账"


def _checklist_rows(*items: tuple[str, str, str]) -> bytes:
    rows = []
    for number, (name, basis, reason) in enumerate(items):
        rows.append(
            {
                "清单编号": "QC-1",
                "执法单位编号": "SCJG" if number == 0 else "",
                "清单名称": "食品检查" if number == 0 else "",
                "最早日期": "2024-06-03" if number == 0 else "",
                "最晚日期": "2024-06-07" if number == 0 else "",
                "检查事项": name,
                "法律依据": basis,
                "检查对象": {0: FOOD_SHOP, 1: FACTORY}.get(number, ""),
                "现场检查理由": reason,
            }
        )
    return table_csv(CHECKLIST_HEADERS, [[r.get(h, "") for h in CHECKLIST_HEADERS] for r in rows])


def test_the_checklist_import_names_each_bad_row(api_one_unit: TestClient) -> None:
    client = api_one_unit
    _publish(client, ITEM, PAPER)
    bad = _checklist_rows(
        ("无此事项", "某法", ""),
        (str(ITEM["name"]), "别的", ""),
        (str(PAPER["name"]), str(PAPER["legal_basis"]), ""),
    )
    refused = client.post("/api/v1/checklists/import", files={"file": ("c.csv", bad, "text/csv")})
    assert refused.status_code == 422
    assert sorted((e["row"], e["column"]) for e in refused.json()["errors"]) == [
        (2, "检查事项"),
        (2, "现场检查理由"),
        (3, "法律依据"),
    ]
    assert client.get("/api/v1/checklists").json() == []
    good = _checklist_rows(
        (str(ITEM["name"]), str(ITEM["legal_basis"]), "需现场核对台账"),
        (str(PAPER["name"]), str(PAPER["legal_basis"]), ""),
    )
    stored = client.post("/api/v1/checklists/import", files={"file": ("c.csv", good, "text/csv")})
    assert stored.status_code == 201, stored.text
    listed = client.get("/api/v1/checklists").json()[0]
    assert listed["onsite_reason"] == "需现场核对台账"


def test_the_catalogue_file_round_trips_and_refuses_bad_rows(api_one_unit: TestClient) -> None:
    client = api_one_unit
    _publish(client, ITEM, PAPER)
    exported = client.get("/api/v1/units/SCJG/catalogue/export.xlsx")
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == list(CATALOGUE_HEADERS)
    assert rows[1:] == [
        ["SP-1", ITEM["name"], ITEM["legal_basis"], "国家级", "日常", "否", None, None],
        [
            *("SP-2", PAPER["name"], PAPER["legal_basis"], "县级", "日常", "是"),
            *("餐饮服务、食品销售", None),
        ],
    ]
    # the same file back: nothing changes
    same = client.post(
        "/api/v1/units/SCJG/catalogue/import", files={"file": ("c.xlsx", exported.content)}
    )
    assert same.status_code == 201, same.text
    assert (same.json()["added"], same.json()["updated"], same.json()["unchanged"]) == (0, 0, 2)
    bad = table_csv(
        CATALOGUE_HEADERS,
        [
            ["SP-3", "新事项", "《某法》", "乡级", "日常", "是", ""],
            ["SP-3", "另一事项", "《某法》", "县级", "例行", "也许", ""],
            ["SP-4", "", "《某法》", "县级", "专项", "否", ""],
        ],
    )
    refused = client.post("/api/v1/units/SCJG/catalogue/import", files={"file": ("c.csv", bad)})
    assert (refused.status_code, refused.headers["content-type"]) == (422, PROBLEM)
    assert [(e["row"], e["column"]) for e in refused.json()["errors"]] == [
        (2, "层级"),
        (3, "事项编码"),
        (3, "类别"),
        (3, "可非现场核查"),
        (4, "事项名称"),
    ]
    assert len(client.get("/api/v1/units/SCJG/catalogue?include_drafts=true").json()["items"]) == 2
    good = table_csv(
        CATALOGUE_HEADERS,
        [
            ["SP-1", str(ITEM["name"]), "《食品安全法》第三十六条", "国家级", "日常", "否", ""],
            ["SP-3", "新事项", "《某法》", "省级", "专项", "是", "餐饮服务"],
        ],
    )
    stored = client.post("/api/v1/units/SCJG/catalogue/import", files={"file": ("c.csv", good)})
    assert stored.status_code == 201, stored.text
    assert (stored.json()["added"], stored.json()["updated"]) == (1, 1)
    drafts = [
        (i["code"], i["revision"], i["state"])
        for i in client.get("/api/v1/units/SCJG/catalogue?include_drafts=true").json()["items"]
    ]
    assert drafts == [
        ("SP-1", 1, "published"),
        ("SP-1", 2, "draft"),
        ("SP-2", 1, "published"),
        ("SP-3", 1, "draft"),
    ]
    csv_file = client.get("/api/v1/units/SCJG/catalogue/export.csv?include_drafts=false")
    assert "第三十六条" not in csv_file.content.decode("utf-8-sig")


def test_an_item_s_documents_to_prepare_are_imported_kept_and_exported(
    api_one_unit: TestClient,
) -> None:
    client = api_one_unit
    old_file = table_csv(
        CATALOGUE_HEADERS[:-1], [["SP-1", str(ITEM["name"]), str(ITEM["legal_basis"])]]
    )
    stored = client.post("/api/v1/units/SCJG/catalogue/import", files={"file": ("o.csv", old_file)})
    assert stored.status_code == 201, stored.text  # a file without 需准备材料 is still valid
    documents = "食品经营许可证、从业人员健康证明"
    new_file = table_csv(
        ["事项编码", "事项名称", "法律依据", "需准备材料"],
        [["SP-1", str(ITEM["name"]), str(ITEM["legal_basis"]), documents]],
    )
    path = "/api/v1/units/SCJG/catalogue/import"
    changed = client.post(path, files={"file": ("n.csv", new_file)})
    assert changed.status_code == 201, changed.text
    assert changed.json()["updated"] == 1
    (item,) = client.get("/api/v1/units/SCJG/catalogue?include_drafts=true").json()["items"]
    assert item["documents"] == documents
    exported = client.get("/api/v1/units/SCJG/catalogue/export.csv?include_drafts=true")
    assert documents in exported.content.decode("utf-8-sig")
    edited = client.patch(f"/api/v1/catalogue/items/{item['id']}", json={"documents": "台账"})
    assert edited.status_code == 200, edited.text
    assert edited.json()["documents"] == "台账"
