"""INN-2 as people meet it, in Chromium: a worker submits a proposal on the site with a co-worker
found by name, the unit puts it under review and assigns an evaluator, who writes an opinion and a
private note; the unit adopts it, makes it a project, records the implementation's benefit and the
reward; the worker follows every step on their own page and finds it on the disclosure board."""
from __future__ import annotations

from decimal import Decimal

import pytest

from innovation.models import Proposal, ProposalAssignment
from membership import scoping
from membership.models import User
from tests.factories import UserFactory, WorkerFactory, evaluator_create

pytestmark = pytest.mark.django_db(transaction=True)


def _admin_log_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-123456")
    with page.expect_navigation():
        page.click("#login-form input[type=submit]")


def _advance(page, live_server, proposal, to, **fields):
    page.goto(live_server.url + f"/admin/innovation/proposal/{proposal.pk}/advance/")
    page.select_option("#advance-form select[name=to]", to)
    for name, value in fields.items():
        page.fill(f"#advance-form [name={name}]", value)
    with page.expect_navigation():
        page.click("#advance-form input[type=submit]")
    proposal.refresh_from_db()
    assert proposal.state == to


def test_a_worker_follows_their_proposal_from_submission_to_the_disclosure_board(live_server, browser, tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="王秀兰")
    colleague = WorkerFactory(unit=tree["chaoyang_enterprise"], name="李建国", post="钳工")
    User.objects.create_user("wangxl", password="Gongren-2026!", worker=worker, is_staff=False, first_name="王秀兰")
    officer = UserFactory(username="cy-ent", unit=tree["chaoyang_enterprise"])
    officer.groups.add(tree["groups"][scoping.LEVEL2_GROUP])
    evaluator_create(None, username="expert", email="expert@example.org")

    worker_page = browser.new_context(viewport={"width": 412, "height": 900}, locale="en-US").new_page()
    worker_page.set_default_timeout(15000)
    worker_page.goto(live_server.url + "/innovation/proposals/new/")  # not logged in: log in first
    worker_page.fill("#id_username", "wangxl")
    worker_page.fill("#id_password", "Gongren-2026!")
    with worker_page.expect_navigation():
        worker_page.click("form.form button.primary")
    assert worker_page.url.endswith("/innovation/proposals/new/")
    worker_page.fill("#id_title", "焊接夹具快换改造")
    worker_page.select_option("#id_category", "technical")
    worker_page.fill("#id_description", "把螺栓夹紧改为快换夹钳，缩短换型时间。")
    worker_page.fill("#id_expected_benefit", "每年节约工时约300小时")
    worker_page.fill("#co-submitter-search", "李建")
    worker_page.click("#co-submitter-results button")
    assert worker_page.locator("#co-submitters-picked input:checked").count() == 1
    with worker_page.expect_navigation():
        worker_page.click("#proposal-form button.primary")
    proposal = Proposal.objects.get()
    assert sorted(proposal.authors.values_list("worker_id", flat=True)) == sorted([worker.pk, colleague.pk])
    card = worker_page.locator(f"#my-proposals li[data-code='{proposal.code}']")
    assert card.get_attribute("class").endswith("state-submitted")
    assert "李建国" in card.inner_text()

    staff_page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US").new_page()
    staff_page.set_default_timeout(15000)
    _admin_log_in(staff_page, live_server, "cy-ent")
    for action in ("to_reviewing", "assign_evaluators"):
        staff_page.goto(live_server.url + "/admin/innovation/proposal/")
        staff_page.check(f"input[name=_selected_action][value='{proposal.pk}']")
        staff_page.select_option("select[name=action]", action)
        with staff_page.expect_navigation():
            staff_page.click("button[name=index]")
        if action == "assign_evaluators":
            staff_page.check("input[name=evaluators]")
        with staff_page.expect_navigation():
            staff_page.click("input[name=apply]")
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.REVIEWING
    assignment = ProposalAssignment.objects.get(proposal=proposal)

    expert_page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US").new_page()
    expert_page.set_default_timeout(15000)
    _admin_log_in(expert_page, live_server, "expert")
    expert_page.goto(live_server.url + "/admin/innovation/proposalassignment/")
    assert expert_page.locator("#result_list tbody tr").count() == 1
    expert_page.goto(live_server.url + f"/admin/innovation/proposalassignment/{assignment.pk}/change/")
    expert_page.select_option("#id_opinion", "adopt")
    expert_page.fill("#id_opinion_comment", "可行，建议采纳")
    expert_page.fill("#id_private_note", "核实换型时间数据")
    with expert_page.expect_navigation():
        expert_page.click("input[name=_save]")
    assignment.refresh_from_db()
    assert (assignment.opinion, assignment.private_note) == ("adopt", "核实换型时间数据")

    staff_page.goto(live_server.url + f"/admin/innovation/proposal/{proposal.pk}/change/")
    assert "可行，建议采纳" in staff_page.content() and "核实换型时间数据" not in staff_page.content()
    _advance(staff_page, live_server, proposal, "adopted", comment="评审通过")
    _advance(staff_page, live_server, proposal, "project", comment="列入2026年技改项目")
    _advance(staff_page, live_server, proposal, "implemented", measured_benefit="12.5")
    _advance(staff_page, live_server, proposal, "rewarded", reward_material="奖金", reward_amount="2000",
             reward_honour="金点子奖")
    assert proposal.measured_benefit == Decimal("12.50")

    worker_page.reload()
    card = worker_page.locator(f"#my-proposals li[data-code='{proposal.code}']")
    assert card.get_attribute("class").endswith("state-rewarded")
    assert card.locator(".steps li").count() == 6
    assert "金点子奖" in card.inner_text() and "12.50" in card.inner_text()
    with worker_page.expect_navigation():
        worker_page.click("header a[href='/innovation/proposals/board/']")
    row = worker_page.locator(f"#proposal-board tr[data-code='{proposal.code}']")
    assert row.get_attribute("class") == "state-rewarded"
    assert row.locator(".submitters").inner_text() == "王秀兰、李建国"
    assert "焊接夹具快换改造" in row.inner_text() and "金点子奖" in row.inner_text()
    for each in (worker_page, staff_page, expert_page):
        each.context.close()
