"""`inspection regions import` and `inspection keys create --region`: one line, exit 2 on a
bad row; the default district takes the code it is given."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from inspection.cli import app

runner = CliRunner()

GOOD = (
    "code,name,level,parent\n44,广东省,province,\n4418,清远市,city,44\n"
    "441802,清城区,district,4418\n"
)


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("INSPECTION_DATABASE_URL", raising=False)
    return tmp_path


def test_import_takes_over_the_default_district(data: Path) -> None:
    file = data / "regions.csv"
    file.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["regions", "import", str(file), "--default", "441802"])
    assert result.exit_code == 0, result.output
    assert "3 个行政区划已导入" in result.output
    listed = runner.invoke(app, ["regions", "list"]).output
    assert "44/4418/441802" in listed
    assert "000000" not in listed  # the default district is 441802 now, with its rows
    key = runner.invoke(app, ["keys", "create", "--role", "coordinator", "--region", "4418"])
    assert key.exit_code == 0, key.output
    unknown = runner.invoke(app, ["keys", "create", "--role", "coordinator", "--region", "99"])
    assert unknown.exit_code == 2
    assert "--region" in unknown.output
    admin = runner.invoke(app, ["keys", "create", "--role", "admin", "--region", "4418"])
    assert admin.exit_code == 2


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("code,name\n44,广东省\n", "缺少列 level、parent"),
        ("code,name,level,parent\n44,广东省,town,\n", "第 2 行：level"),
        ("code,name,level,parent\n44,广东省,province,\n4418,清远市,city,45\n", "第 3 行：parent"),
        ("code,name,level,parent\n44,广东省,province,\n44,广东,province,\n", "第 3 行：code"),
        ("code,name,level,parent\n44%,广东省,province,\n", "第 2 行：code"),
        ("code,name,level,parent\n4418,清远市,city,\n44,广东省,province,4418\n", "第 3 行：parent"),
    ],
)
def test_a_bad_row_is_one_line_exit_2_and_nothing_is_stored(
    data: Path, text: str, named: str
) -> None:
    file = data / "regions.csv"
    file.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["regions", "import", str(file)])
    assert result.exit_code == 2, result.output
    assert named in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    listed = runner.invoke(app, ["regions", "list"]).output
    assert "4418" not in listed
    assert "广东" not in listed
