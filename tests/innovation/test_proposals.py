"""INN-2 合理化建议: a worker's submission, the forward-only workflow (service and trigger), evaluators,
credits, the disclosure board, a worker's own page and the rates."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse

from courses.models import CreditEntry, CreditRule
from innovation.models import NEXT_STATES, Proposal, ProposalAssignment, ProposalStep
from innovation.proposals import rates, selectors, services
from innovation.proposals.tasks import proposal_assignment_notify_task
from innovation.roles import PROPOSAL_EVALUATOR_GROUP as EVALUATOR_GROUP
from membership import scoping
from membership.models import User
from tests.factories import WorkerFactory, evaluator_create, proposal_create, unit_create

S = Proposal.State


@pytest.fixture
def worker_account(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="王秀兰")
    user = User.objects.create_user("wangxl", password="Gongren-2026!", worker=worker, is_staff=False)
    return worker, user


@pytest.fixture
def enterprise_officer(tree):
    """A level-2 officer of the 朝阳 enterprise, in the seeded level-2 group."""
    from tests.factories import UserFactory

    user = UserFactory(username="cy-ent", unit=tree["chaoyang_enterprise"])
    user.groups.add(Group.objects.get(name=scoping.LEVEL2_GROUP))
    return user


def _through_to(proposal, target, by):
    route = {S.REVIEWING: [S.REVIEWING], S.ADOPTED: [S.REVIEWING, S.ADOPTED],
             S.REWARDED: [S.REVIEWING, S.ADOPTED, S.PROJECT, S.IMPLEMENTED, S.REWARDED]}[target]
    for state in route:
        proposal.refresh_from_db()
        if state not in NEXT_STATES[proposal.state]:
            continue
        services.proposal_advance(proposal=proposal, to=state, by=by, comment=f"到{state}",
                                  measured_benefit=Decimal("12.50") if state == S.IMPLEMENTED else None,
                                  reward_material="奖金" if state == S.REWARDED else "",
                                  reward_amount=Decimal(2000) if state == S.REWARDED else None,
                                  reward_honour="合理化建议能手" if state == S.REWARDED else "")
    proposal.refresh_from_db()
    return proposal


def test_a_worker_submits_with_a_co_worker_found_by_name_in_their_unit(client, tree, worker_account):
    worker, user = worker_account
    colleague = WorkerFactory(unit=tree["chaoyang_enterprise"], name="李建国", post="钳工")
    WorkerFactory(unit=tree["haidian_enterprise"], name="李建华")  # another unit: never offered
    client.force_login(user)
    found = client.get(reverse("innovation:coworker_search"), {"q": "李建"}).json()["results"]
    assert found == [{"id": colleague.pk, "name": "李建国", "post": "钳工"}]

    response = client.post(reverse("innovation:proposal_new"), {
        "title": "焊接夹具快换改造", "category": "technical", "description": "把螺栓夹紧改为快换夹钳。",
        "expected_benefit": "每年节约工时约300小时", "co_submitters": [colleague.pk]})
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.state, proposal.unit, proposal.submitter, proposal.submitted_on.year) == (
        S.SUBMITTED, tree["chaoyang_enterprise"], worker, proposal.created_at.year)
    assert proposal.code == f"JY{proposal.submitted_on.year}{proposal.pk:08d}"
    assert sorted(proposal.authors.values_list("worker__name", "is_lead")) == [("李建国", False), ("王秀兰", True)]
    assert proposal.submitter_names == "王秀兰、李建国"
    (step,) = proposal.steps.all()
    assert (step.state, step.on, step.by) == (S.SUBMITTED, proposal.submitted_on, user)


def test_a_co_submitter_from_another_unit_is_refused_and_nothing_is_written(client, tree, worker_account):
    worker, user = worker_account
    stranger = WorkerFactory(unit=tree["haidian_enterprise"], name="张海")
    client.force_login(user)
    response = client.post(reverse("innovation:proposal_new"), {
        "title": "节电", "category": "energy", "description": "下班关灯", "co_submitters": [stranger.pk]})
    assert response.status_code == 200
    assert "co_submitters" in response.context["form"].errors
    with pytest.raises(ValidationError):
        services.proposal_submit(worker=worker, title="节电", category="energy", description="下班关灯",
                                 co_submitters=[stranger], by=user)
    assert Proposal.objects.count() == 0


def test_the_whole_path_records_each_step_dated_by_whom_with_comments(tree, enterprise_officer, worker_account):
    worker, _user = worker_account
    proposal = services.proposal_submit(worker=worker, title="余热回收", category="energy", description="回收空压机余热")
    _through_to(proposal, S.REWARDED, enterprise_officer)
    assert (proposal.state, proposal.measured_benefit, proposal.reward_amount, proposal.reward_material,
            proposal.reward_honour) == (S.REWARDED, Decimal("12.50"), Decimal(2000), "奖金", "合理化建议能手")
    steps = list(proposal.steps.order_by("id").values_list("state", "by", "comment"))
    assert steps == [(S.SUBMITTED, None, ""), (S.REVIEWING, enterprise_officer.pk, "到reviewing"),
                     (S.ADOPTED, enterprise_officer.pk, "到adopted"), (S.PROJECT, enterprise_officer.pk, "到project"),
                     (S.IMPLEMENTED, enterprise_officer.pk, "到implemented"),
                     (S.REWARDED, enterprise_officer.pk, "到rewarded")]
    assert all(step.on is not None for step in proposal.steps.all())
    # The board's copy of the published steps' days follows the steps.
    days = dict(proposal.steps.values_list("state", "on"))
    assert (proposal.adopted_on, proposal.project_on, proposal.implemented_on, proposal.rewarded_on) == (
        days[S.ADOPTED], days[S.PROJECT], days[S.IMPLEMENTED], days[S.REWARDED])


def test_a_step_only_goes_forward_along_the_arrows(tree, enterprise_officer):
    proposal = proposal_create(tree["chaoyang_enterprise"], state=S.REVIEWING)
    for wrong in (S.SUBMITTED, S.PROJECT, S.IMPLEMENTED, S.REWARDED, S.REVIEWING):
        with pytest.raises(ValidationError):
            services.proposal_advance(proposal=proposal, to=wrong, by=enterprise_officer)
    with pytest.raises(ValidationError):  # a rejection needs the reason the submitter reads
        services.proposal_advance(proposal=proposal, to=S.REJECTED, by=enterprise_officer, reason="  ")
    services.proposal_advance(proposal=proposal, to=S.REJECTED, by=enterprise_officer, reason="已有同类改造计划")
    with pytest.raises(ValidationError):  # 未采纳 ends the path
        services.proposal_advance(proposal=proposal, to=S.PROJECT, by=enterprise_officer)
    proposal.refresh_from_db()
    assert (proposal.state, proposal.rejection_reason) == (S.REJECTED, "已有同类改造计划")
    assert list(proposal.steps.values_list("state", flat=True).order_by("id")) == [S.SUBMITTED, S.REVIEWING, S.REJECTED]


def test_implementation_needs_the_measured_benefit_and_the_reward_a_reward(tree, enterprise_officer):
    proposal = proposal_create(tree["chaoyang_enterprise"], state=S.PROJECT)
    with pytest.raises(ValidationError):
        services.proposal_advance(proposal=proposal, to=S.IMPLEMENTED, by=enterprise_officer)
    services.proposal_advance(proposal=proposal, to=S.IMPLEMENTED, by=enterprise_officer, measured_benefit=Decimal("3.2"))
    with pytest.raises(ValidationError):
        services.proposal_advance(proposal=proposal, to=S.REWARDED, by=enterprise_officer)
    proposal.refresh_from_db()
    assert (proposal.state, proposal.measured_benefit) == (S.IMPLEMENTED, Decimal("3.20"))


def test_another_district_cannot_move_the_proposal(tree, haidian_officer):
    proposal = proposal_create(tree["chaoyang_enterprise"])
    with pytest.raises(PermissionDenied):
        services.proposal_advance(proposal=proposal, to=S.REVIEWING, by=haidian_officer)
    proposal.refresh_from_db()
    assert proposal.state == S.SUBMITTED and proposal.steps.count() == 1


@pytest.mark.parametrize("start, target", [(S.IMPLEMENTED, S.REVIEWING), (S.REJECTED, S.PROJECT),
                                           (S.ADOPTED, S.REJECTED), (S.REWARDED, S.SUBMITTED)])
def test_the_database_refuses_a_backward_or_sideways_move_from_anywhere(tree, start, target):
    proposal = proposal_create(tree["chaoyang_enterprise"], state=start)
    with pytest.raises(DatabaseError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(state=target)
    proposal.refresh_from_db()
    assert proposal.state == start


def test_the_database_lets_a_historic_move_pass_several_states(tree):
    proposal = proposal_create(tree["chaoyang_enterprise"], state=S.SUBMITTED)
    Proposal.objects.filter(pk=proposal.pk).update(state=S.IMPLEMENTED)
    proposal.refresh_from_db()
    assert proposal.state == S.IMPLEMENTED


def test_evaluators_are_assigned_in_bulk_told_on_commit_and_see_only_their_proposals(
        client, tree, chaoyang_officer, django_capture_on_commit_callbacks):
    expert = evaluator_create(None, email="expert@example.org", username="expert")
    first, second = proposal_create(tree["chaoyang_enterprise"]), proposal_create(tree["chaoyang_enterprise"])
    other = proposal_create(tree["haidian_enterprise"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = services.evaluators_assign(proposals=[first, second, other], evaluators=[expert], by=chaoyang_officer)
    assert sorted(a.proposal_id for a in created) == sorted([first.pk, second.pk])  # 海淀's is not theirs to assign
    assert len(callbacks) == 2 and mail.outbox == []  # queued, sent only once committed
    for assignment in created:
        proposal_assignment_notify_task(assignment.pk)
    assert [message.to for message in mail.outbox] == [["expert@example.org"]] * 2
    assert reverse("admin:innovation_proposalassignment_change", args=[created[0].pk]) in mail.outbox[0].body
    # Assigning again adds nobody and tells nobody.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.evaluators_assign(proposals=[first], evaluators=[expert], by=chaoyang_officer) == []
    assert callbacks == []

    assert set(scoping.visible_to(Proposal.objects.all(), expert)) == {first, second}
    assert not scoping.changeable_by(Proposal.objects.all(), expert).exists()
    client.force_login(expert)
    listed = client.get(reverse("admin:innovation_proposal_changelist")).context["cl"].queryset
    assert set(listed) == {first, second}


def test_only_evaluators_can_be_assigned(tree, chaoyang_officer):
    from tests.factories import UserFactory

    not_an_expert = UserFactory(unit=tree["root"])
    with pytest.raises(ValidationError):
        services.evaluators_assign(proposals=[proposal_create(tree["chaoyang_enterprise"])], evaluators=[not_an_expert],
                                   by=chaoyang_officer)
    assert ProposalAssignment.objects.count() == 0


def test_an_evaluators_private_notes_are_theirs_alone(client, tree, chaoyang_officer):
    expert = evaluator_create(None, username="expert")
    proposal = proposal_create(tree["chaoyang_enterprise"])
    (assignment,) = services.evaluators_assign(proposals=[proposal], evaluators=[expert], by=chaoyang_officer)
    url = reverse("admin:innovation_proposalassignment_change", args=[assignment.pk])
    client.force_login(expert)
    response = client.post(url, {"opinion": "adopt", "opinion_comment": "可行", "private_note": "需要核实节电数据"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.opinion, assignment.opinion_comment, assignment.private_note) == ("adopt", "可行", "需要核实节电数据")

    client.force_login(chaoyang_officer)
    page = client.get(url)
    assert page.status_code == 200 and "需要核实节电数据" not in page.content.decode()
    assert "可行" in page.content.decode()
    client.post(url, {"opinion": "reject", "private_note": "改掉"})
    assignment.refresh_from_db()
    assert (assignment.opinion, assignment.private_note) == ("adopt", "需要核实节电数据")
    with pytest.raises(PermissionDenied):
        services.assignment_review(assignment=assignment, by=chaoyang_officer, private_note="x")
    page = client.get(reverse("admin:innovation_proposal_change", args=[proposal.pk]))
    assert "需要核实节电数据" not in page.content.decode()


def test_adoption_earns_every_author_the_credits_the_rule_gives(tree, enterprise_officer, worker_account):
    worker, _user = worker_account
    colleague = WorkerFactory(unit=tree["chaoyang_enterprise"])
    CreditRule.objects.create(source="proposal", credits_each=Decimal(2), cap_per_year=Decimal(6),
                              valid_from=dt.date(2010, 1, 1))
    proposal = services.proposal_submit(worker=worker, title="节水", category="energy", description="循环水",
                                        co_submitters=[colleague])
    _through_to(proposal, S.REVIEWING, enterprise_officer)
    assert not CreditEntry.objects.filter(source_kind="proposal").exists()
    _through_to(proposal, S.ADOPTED, enterprise_officer)
    entries = sorted(CreditEntry.objects.filter(source_kind="proposal").values_list("worker_id", "credits"))
    assert entries == sorted([(worker.pk, Decimal("2.0")), (colleague.pk, Decimal("2.0"))])
    _through_to(proposal, S.REWARDED, enterprise_officer)  # later steps earn nothing more
    assert CreditEntry.objects.filter(source_kind="proposal").count() == 2


def test_without_a_rule_an_adopted_proposal_earns_nothing(tree, enterprise_officer):
    proposal = proposal_create(tree["chaoyang_enterprise"], state=S.REVIEWING)
    services.proposal_advance(proposal=proposal, to=S.ADOPTED, by=enterprise_officer)
    assert not CreditEntry.objects.filter(source_kind="proposal").exists()


def test_the_board_lists_adopted_and_later_with_submitters_names_only(client, tree):
    unit = tree["chaoyang_enterprise"]
    shown = {state: proposal_create(unit, state=state, submitted_on=dt.date(2012, 5, day), title=f"公示{state}")
             for day, state in enumerate([S.ADOPTED, S.PROJECT, S.IMPLEMENTED, S.REWARDED], start=1)}
    hidden = [proposal_create(unit, state=state, title=f"不公示{state}") for state in (S.SUBMITTED, S.REVIEWING, S.REJECTED)]
    haidian = proposal_create(tree["haidian_enterprise"], state=S.ADOPTED, title="海淀公示")
    response = client.get(reverse("innovation:proposal_board"))  # anonymous
    assert response.status_code == 200
    codes = [p.code for p in response.context["page"].rows]
    assert codes == [haidian.code, *[shown[s].code for s in (S.REWARDED, S.IMPLEMENTED, S.PROJECT, S.ADOPTED)]]
    body = response.content.decode()
    assert all(p.title not in body for p in hidden)
    submitter = shown[S.ADOPTED].submitter
    assert submitter.name in body and submitter.id_number_masked not in body and submitter.post not in body

    response = client.get(reverse("innovation:proposal_board"), {"unit": tree["chaoyang"].code, "state": S.PROJECT})
    assert [p.code for p in response.context["page"].rows] == [shown[S.PROJECT].code]
    assert client.get(reverse("innovation:proposal_board"), {"unit": "NOPE"}).status_code == 404


def test_the_board_is_filtered_by_round_and_pages_in_a_fixed_number_of_queries(tree, django_assert_max_num_queries):
    from tests.factories import _proposal_round

    review_round = _proposal_round(tree["chaoyang"])
    in_round = [proposal_create(tree["chaoyang_enterprise"], state=S.ADOPTED, review_round=review_round) for _ in range(3)]
    for _ in range(25):
        proposal_create(tree["chaoyang_enterprise"], state=S.IMPLEMENTED)
    page = selectors.disclosure_board(review_round=review_round)
    assert sorted(row.id for row in page.rows) == sorted(p.pk for p in in_round) and not page.has_next
    with django_assert_max_num_queries(1):
        first = selectors.disclosure_board()
        assert all(row.submitters and row.published_steps for row in first.rows)
    assert (len(first.rows), first.has_next) == (20, True)
    second = selectors.disclosure_board(page=2)
    assert (len(second.rows), second.has_next) == (8, False)


def test_a_worker_reads_their_proposals_states_and_the_reason_on_their_page(client, tree, worker_account,
                                                                             enterprise_officer):
    worker, user = worker_account
    mine = services.proposal_submit(worker=worker, title="我的建议", category="safety", description="加装护栏")
    theirs = services.proposal_submit(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), title="同事的建议",
                                      category="cost", description="x", co_submitters=[worker])
    proposal_create(tree["chaoyang_enterprise"], title="别人的建议")
    _through_to(mine, S.REVIEWING, enterprise_officer)
    services.proposal_advance(proposal=mine, to=S.REJECTED, by=enterprise_officer, reason="护栏已列入年度计划")
    client.force_login(user)
    response = client.get(reverse("innovation:my_proposals"))
    assert [p.pk for p in response.context["proposals"]] == sorted([mine.pk, theirs.pk], reverse=True)
    body = response.content.decode()
    assert "护栏已列入年度计划" in body and "别人的建议" not in body


def test_rates_per_unit_and_year_follow_issue_11s_definitions(tree):
    """IND-PROPOSAL-ADOPTION / IND-PROPOSAL-IMPLEMENTATION, worked out by hand."""
    chaoyang_b = unit_create(tree["chaoyang"])
    world = [
        # unit, year, state
        (tree["chaoyang_enterprise"], 2012, S.SUBMITTED), (tree["chaoyang_enterprise"], 2012, S.REVIEWING),
        (tree["chaoyang_enterprise"], 2012, S.REJECTED), (tree["chaoyang_enterprise"], 2012, S.ADOPTED),
        (tree["chaoyang_enterprise"], 2012, S.PROJECT), (chaoyang_b, 2012, S.IMPLEMENTED),
        (chaoyang_b, 2012, S.REWARDED), (chaoyang_b, 2013, S.REJECTED), (tree["chaoyang"], 2013, S.ADOPTED),
        (tree["haidian_enterprise"], 2012, S.SUBMITTED), (tree["haidian_enterprise"], 2011, S.IMPLEMENTED),
    ]
    for unit, year, state in world:
        proposal = proposal_create(unit, state=state, submitted_on=dt.date(year, 12, 31 if year == 2012 else 1))
        # A step dated in another year changes nothing: the year is 提出日期's.
        ProposalStep.objects.filter(proposal=proposal).update(on=dt.date(year + 1, 6, 1))

    city = {(r.unit_path, r.year): (r.adopted, r.decided, r.implemented, r.submitted)
            for r in rates.proposal_rate_counts()}
    root = tree["root"].path
    assert city == {(root, 2011): (1, 1, 1, 1), (root, 2012): (4, 5, 2, 8), (root, 2013): (1, 2, 0, 2)}

    by_level1 = {(r.unit_path, r.year): (r.adopted, r.decided, r.implemented)
                 for r in rates.proposal_rate_counts(depth=2)}
    cy, hd = tree["chaoyang"].path, tree["haidian"].path
    assert by_level1 == {(cy, 2012): (4, 5, 2), (cy, 2013): (1, 2, 0), (hd, 2011): (1, 1, 1), (hd, 2012): (0, 0, 0)}

    (rate,) = rates.proposal_rate_counts(root=tree["chaoyang"], years=[2012])
    assert (rate.adoption_rate, rate.implementation_rate) == (Decimal("80.0"), Decimal("50.0"))
    (haidian_2012,) = rates.proposal_rate_counts(root=tree["haidian"], years=[2012])
    assert (haidian_2012.adoption_rate, haidian_2012.implementation_rate) == (None, None)  # nothing decided

    below = {(r.unit_path, r.year): (r.adopted, r.decided) for r in rates.proposal_rate_counts(
        root=tree["chaoyang"], depth=tree["chaoyang"].depth + 1)}
    assert below == {(tree["chaoyang_enterprise"].path, 2012): (2, 3), (chaoyang_b.path, 2012): (2, 2),
                     (chaoyang_b.path, 2013): (0, 1), (cy, 2013): (1, 1)}


def test_staff_see_the_rates_of_their_subtree(client, tree, chaoyang_officer):
    proposal_create(tree["chaoyang_enterprise"], state=S.ADOPTED, submitted_on=dt.date(2012, 3, 1))
    proposal_create(tree["chaoyang_enterprise"], state=S.REJECTED, submitted_on=dt.date(2012, 3, 1))
    proposal_create(tree["haidian_enterprise"], state=S.REJECTED, submitted_on=dt.date(2012, 3, 1))
    client.force_login(chaoyang_officer)
    changelist = client.get(reverse("admin:innovation_proposal_changelist")).content.decode()
    assert reverse("admin:innovation_proposal_rates") in changelist
    response = client.get(reverse("admin:innovation_proposal_rates"))
    assert response.status_code == 200
    table = response.context["table"]
    assert table["root"][0] == tree["chaoyang"]
    assert [(r.year, r.adoption_rate) for r in table["root"][1]] == [(2012, Decimal("50.0"))]
    assert [unit for unit, _ in table["children"]] == [tree["chaoyang_enterprise"]]
    response = client.get(reverse("admin:innovation_proposal_rates"), {"unit": tree["haidian"].code})
    assert response.context["root"] == tree["chaoyang"]  # another district's code shows their own


def test_the_admin_advance_page_moves_a_proposal_and_a_leader_cannot(client, tree, chaoyang_officer):
    proposal = proposal_create(tree["chaoyang_enterprise"], state=S.REVIEWING)
    url = reverse("admin:innovation_proposal_advance", args=[proposal.pk])
    client.force_login(chaoyang_officer)
    response = client.post(url, {"to": S.REJECTED, "reason": ""})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(url, {"to": S.ADOPTED, "comment": "评审通过"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == S.ADOPTED
    assert proposal.steps.get(state=S.ADOPTED).comment == "评审通过"

    from tests.factories import UserFactory

    leader = UserFactory(unit=tree["root"])
    leader.groups.add(Group.objects.get(name=scoping.LEADERSHIP_GROUP))
    client.force_login(leader)
    assert client.post(url, {"to": S.PROJECT}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == S.ADOPTED


def test_bulk_reject_action_needs_a_reason_and_writes_it(client, tree, chaoyang_officer):
    proposals = [proposal_create(tree["chaoyang_enterprise"], state=S.REVIEWING) for _ in range(2)]
    client.force_login(chaoyang_officer)
    url = reverse("admin:innovation_proposal_changelist")
    ids = [p.pk for p in proposals]
    response = client.post(url, {"action": "to_rejected", "_selected_action": ids, "apply": "1", "reason": ""})
    assert response.status_code == 200  # the form again
    assert set(Proposal.objects.values_list("state", flat=True)) == {S.REVIEWING}
    client.post(url, {"action": "to_rejected", "_selected_action": ids, "apply": "1", "reason": "成本过高"})
    assert set(Proposal.objects.values_list("state", "rejection_reason")) == {(S.REJECTED, "成本过高")}


def test_the_evaluator_group_exists_with_its_permissions(tree):
    group = Group.objects.get(name=EVALUATOR_GROUP)
    assert set(group.permissions.values_list("codename", flat=True)) == {
        "view_proposal", "view_proposalstep", "view_proposalassignment", "change_proposalassignment"}


def test_unit_staff_enter_a_proposal_in_the_admin_through_the_same_service(client, tree, chaoyang_officer):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="周强")
    colleague = WorkerFactory(unit=tree["chaoyang_enterprise"], name="吴磊")
    stranger = WorkerFactory(unit=tree["haidian_enterprise"])
    client.force_login(chaoyang_officer)
    url = reverse("admin:innovation_proposal_add")
    form = {"submitter": worker.pk, "co_submitters": [colleague.pk], "submitted_on": "2013-05-06", "title": "冷却水循环利用",
            "category": "energy", "description": "改直排为循环", "expected_benefit": "年节水2万吨"}
    assert client.post(url, {**form, "co_submitters": [stranger.pk]}).status_code == 200  # 海淀's worker is no choice
    assert not Proposal.objects.exists()
    response = client.post(url, form)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.submitted_on, proposal.unit, proposal.created_by, proposal.code) == (
        dt.date(2013, 5, 6), tree["chaoyang_enterprise"], chaoyang_officer, f"JY2013{proposal.pk:08d}")
    assert sorted(proposal.authors.values_list("worker__name", flat=True)) == ["吴磊", "周强"]
    assert list(proposal.steps.values_list("state", "on", "by")) == [(S.SUBMITTED, dt.date(2013, 5, 6), chaoyang_officer.pk)]


def test_an_evaluator_cannot_move_a_proposal_assigned_to_them(client, tree, chaoyang_officer):
    expert = evaluator_create(None, username="expert")
    proposal = proposal_create(tree["chaoyang_enterprise"], state=S.REVIEWING)
    services.evaluators_assign(proposals=[proposal], evaluators=[expert], by=chaoyang_officer)
    client.force_login(expert)
    assert client.get(reverse("admin:innovation_proposal_change", args=[proposal.pk])).status_code == 200
    assert client.post(reverse("admin:innovation_proposal_advance", args=[proposal.pk]),
                       {"to": S.ADOPTED}).status_code == 403
    client.post(reverse("admin:innovation_proposal_changelist"),
                {"action": "to_adopted", "_selected_action": [proposal.pk], "apply": "1"})
    proposal.refresh_from_db()
    assert proposal.state == S.REVIEWING


def test_proposals_are_grouped_into_a_review_round_of_the_users_own_units(client, tree, chaoyang_officer):
    from tests.factories import _proposal_round

    own_round, other_round = _proposal_round(tree["chaoyang"]), _proposal_round(tree["haidian"])
    mine, theirs = proposal_create(tree["chaoyang_enterprise"]), proposal_create(tree["haidian_enterprise"])
    client.force_login(chaoyang_officer)
    url = reverse("admin:innovation_proposal_changelist")
    client.post(url, {"action": "put_in_round", "_selected_action": [mine.pk, theirs.pk], "apply": "1",
                      "review_round": other_round.pk})
    assert not Proposal.objects.filter(review_round__isnull=False).exists()  # 海淀's round is no choice
    client.post(url, {"action": "put_in_round", "_selected_action": [mine.pk, theirs.pk], "apply": "1",
                      "review_round": own_round.pk})
    assert dict(Proposal.objects.values_list("pk", "review_round")) == {mine.pk: own_round.pk, theirs.pk: None}
    with pytest.raises(PermissionDenied):
        services.proposals_to_round(proposals=[mine], review_round=other_round, by=chaoyang_officer)


# INN-2 公示 kept in the cache (innovation/proposals/board_cache.py): every change the board shows
# renews it once committed, and a change rolled back leaves it.

def _board(client, **params):
    response = client.get(reverse("innovation:proposal_board"), params)
    assert response.status_code == 200
    return response.content.decode()


def _main(body: str) -> str:
    return body.split("<main>", 1)[1].split("</main>", 1)[0]


def _board_codes(body: str) -> list[str]:
    import re

    return re.findall(r'data-code="([^"]+)"', body)


def test_the_board_shows_a_new_adoption_as_soon_as_the_step_commits(client, tree, enterprise_officer,
                                                                   django_capture_on_commit_callbacks,
                                                                   django_assert_num_queries):
    shown = proposal_create(tree["chaoyang_enterprise"], state=S.ADOPTED, submitted_on=dt.date(2012, 1, 5))
    waiting = proposal_create(tree["chaoyang_enterprise"], state=S.REVIEWING, submitted_on=dt.date(2012, 3, 1))
    assert _board_codes(_board(client)) == [shown.code]
    with django_assert_num_queries(0):  # the cached page: no query at all
        assert _board_codes(_board(client)) == [shown.code]
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_advance(proposal=waiting, to=S.ADOPTED, by=enterprise_officer)
    assert _board_codes(_board(client)) == [waiting.code, shown.code]
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_advance(proposal=waiting, to=S.PROJECT, by=enterprise_officer)
    body = _board(client, state=S.PROJECT)
    assert _board_codes(body) == [waiting.code]


def test_a_rolled_back_step_leaves_the_board_and_its_cached_pages(client, tree, enterprise_officer,
                                                                  django_capture_on_commit_callbacks,
                                                                  django_assert_num_queries):
    from innovation.proposals import board_cache

    waiting = proposal_create(tree["chaoyang_enterprise"], state=S.REVIEWING)
    before = _board(client)
    version = board_cache.version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.proposal_advance(proposal=waiting, to=S.ADOPTED, by=enterprise_officer)
            raise RuntimeError("the request failed after the step")
    assert callbacks == [] and board_cache.version() == version
    waiting.refresh_from_db()
    assert waiting.state == S.REVIEWING
    with django_assert_num_queries(0):
        assert _main(_board(client)) == _main(before)
    assert waiting.code not in before


def test_a_renamed_submitter_shows_on_the_board_at_once(client, tree, django_capture_on_commit_callbacks):
    from membership.services import worker_update

    lead = WorkerFactory(unit=tree["chaoyang_enterprise"], name="张建国")
    partner = WorkerFactory(unit=tree["chaoyang_enterprise"], name="李卫东")
    proposal = services.proposal_submit(worker=lead, title="余热回收", category="energy", description="x",
                                        co_submitters=[partner])
    Proposal.objects.filter(pk=proposal.pk).update(state=S.ADOPTED)  # the step's path is tested above
    assert "张建国、李卫东" in _board(client)
    with django_capture_on_commit_callbacks(execute=True):
        worker_update(worker=partner, name="李卫国")
    body = _board(client)
    assert "张建国、李卫国" in body and "李卫东" not in body
    proposal.refresh_from_db()
    assert proposal.submitter_names == "张建国、李卫国"


def test_renamed_units_and_rounds_show_on_the_board_at_once(client, tree, chaoyang_officer,
                                                            django_capture_on_commit_callbacks):
    from membership.services import unit_update
    from tests.factories import _proposal_round

    review_round = _proposal_round(tree["chaoyang"])
    proposal_create(tree["chaoyang_enterprise"], state=S.ADOPTED, review_round=review_round)
    body = _board(client)
    assert review_round.name in body and tree["chaoyang_enterprise"].name in body
    with django_capture_on_commit_callbacks(execute=True):
        review_round.name = "2013年下半年评审（更正）"
        services.proposal_round_save(review_round=review_round, by=chaoyang_officer)
        unit_update(unit=tree["chaoyang_enterprise"], name="朝阳某机械厂工会（更名）")
    body = _board(client)
    assert "2013年下半年评审（更正）" in body and "朝阳某机械厂工会（更名）" in body


def test_each_filter_page_and_language_has_its_own_cached_page(client, tree):
    chaoyang = proposal_create(tree["chaoyang_enterprise"], state=S.ADOPTED, title="朝阳公示")
    haidian = proposal_create(tree["haidian_enterprise"], state=S.REWARDED, title="海淀公示")
    assert _board_codes(_board(client, unit=tree["chaoyang"].code)) == [chaoyang.code]
    assert _board_codes(_board(client, unit=tree["haidian"].code)) == [haidian.code]
    assert _board_codes(_board(client, state=S.REWARDED)) == [haidian.code]
    client.cookies["django_language"] = "en"
    english = _board(client, unit=tree["chaoyang"].code)
    client.cookies["django_language"] = "zh-hans"
    chinese = _board(client, unit=tree["chaoyang"].code)
    assert "Adopted" in english and "Adopted" not in chinese
    # A visitor's own query parameters never reach the page others are served from the cache.
    assert "evil" not in _main(_board(client, unit=tree["chaoyang"].code, utm="evil"))
    assert client.get(reverse("innovation:proposal_board"), {"round": 987654}).status_code == 404


def test_the_board_page_runs_the_same_queries_whatever_its_size(client, tree, django_assert_num_queries):
    from django.core.cache import cache

    unit = tree["chaoyang_enterprise"]
    proposal_create(unit, state=S.ADOPTED)
    with django_assert_num_queries(5):  # the unit, its subtree, its rows, the level-1 units, its rounds
        _board(client, unit=unit.code)
    for _ in range(30):
        proposal_create(unit, state=S.REWARDED)
    cache.clear()
    with django_assert_num_queries(5):
        _board(client, unit=unit.code)
