"""Plans are labelled by their real state on every view: a draft, published, or replaced by a
later publication; a published plan's tables and its diff say so."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.support.desk import DeskServer, open_desk, publish_sample_week, sign_in


def test_a_published_then_replaced_plan_is_named_for_what_it_is(
    browser: Browser, desk_server: DeskServer
) -> None:
    first = publish_sample_week(desk_server)
    page, errors = open_desk(browser)
    sign_in(page, desk_server, "coordinator", "#plan")
    expect(page.locator("#plan-rounds-title")).to_contain_text(
        f"排期 #{first}（已发布）中的检查轮次"
    )
    expect(page.locator("#plan-diff .plan-diff-none")).to_have_text(
        f"排期 #{first} 发布前，本周没有已发布的排期：它的轮次都是新增的。"
    )
    page.context.close()

    second = publish_sample_week(desk_server)  # the same week planned again and published
    page, errors = open_desk(browser)
    sign_in(page, desk_server, "coordinator")
    source = page.locator("#week-source")
    expect(source.locator(f'option[value="{first}"]')).to_have_text(
        f"排期 #{first}（已被 #{second} 取代）"
    )
    expect(source.locator(f'option[value="{second}"]')).to_have_text(f"排期 #{second}（已发布）")
    page.select_option("#week-source", str(first))
    expect(page.locator("#week-body")).to_have_attribute("data-source", str(first))
    expect(page.locator("#week-summary")).to_contain_text(f"排期 #{first}（已被 #{second} 取代）")
    expect(page.locator("#week-summary")).not_to_contain_text("草案")

    page.click('#tabs [data-view="exports"]')
    picker = page.locator("#export-plan")
    expect(picker).to_have_value(str(second))  # the plan in force, not the replaced one
    expect(picker.locator(f'option[value="{first}"]')).to_contain_text(f"已被 #{second} 取代")
    expect(picker.locator(f'option[value="{second}"]')).to_contain_text("（已发布）")
    assert errors.found == []
    page.context.close()
