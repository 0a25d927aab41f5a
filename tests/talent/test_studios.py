"""TAL-4: who may lead a studio, recognition by level with upgrades kept as history, removal by a
failing assessment as of its date, activities, and the set-based selector IND-STUDIOS uses."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from talent.models import Occupation, SkillCertificate, Studio, StudioActivity, StudioAssessment, StudioRecognition
from talent.selectors.studios import studio_level_on, studio_levels_on, studios_recognised_on
from talent.services.chief import chief_evaluation_save
from talent.services.studios import (
    leader_qualifies,
    studio_activity_save,
    studio_assessment_delete,
    studio_assessment_save,
    studio_recognise,
)
from tests.factories import WorkerFactory, chief_designate, studio_make

D = dt.date
CITY, DISTRICT, ENTERPRISE = 1, 2, 3


def certificate(worker, level, issued_on, valid_until=None):
    return SkillCertificate.objects.create(
        worker=worker, unit_id=worker.unit_id, occupation=Occupation.objects.get(name="车工"), level=level,
        number=f"C-{worker.pk}-{level}-{issued_on:%Y%m%d}", issuer="北京市职业技能鉴定指导中心", issued_on=issued_on,
        valid_until=valid_until)


# --- the leader ---

def test_a_worker_at_level_3_or_better_on_the_day_qualifies(tree):
    senior, intermediate = (WorkerFactory(unit=tree["chaoyang_enterprise"]) for _ in range(2))
    certificate(senior, 3, D(2010, 5, 1), valid_until=D(2012, 4, 30))
    certificate(intermediate, 4, D(2009, 1, 1))
    assert leader_qualifies(senior, D(2010, 5, 1)) is True
    assert leader_qualifies(senior, D(2010, 4, 30)) is False  # not yet issued
    assert leader_qualifies(senior, D(2012, 5, 1)) is False  # expired
    assert leader_qualifies(intermediate, D(2011, 1, 1)) is False


def test_a_current_chief_employee_qualifies_until_an_evaluation_fails(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    designation = chief_designate(tree["chaoyang"], worker, term_from=D(2011, 1, 1), term_to=D(2013, 12, 31))
    assert leader_qualifies(worker, D(2010, 12, 31)) is False
    assert leader_qualifies(worker, D(2011, 1, 1)) is True
    chief_evaluation_save(designation=designation, year=2011, evaluated_on=D(2012, 2, 1), score=Decimal(40), result="failed")
    assert leader_qualifies(worker, D(2012, 1, 31)) is True
    assert leader_qualifies(worker, D(2012, 2, 1)) is False


def test_a_model_worker_qualifies_through_the_honour_innovation_records_on_that_day(tree):
    """Issue 9/10: the leader check reads 北京市劳动模范 from the honours (INN-6), in force on the day."""
    from innovation.services.honours import honour_award

    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    assert leader_qualifies(worker, D(2012, 1, 1)) is False
    honour = honour_award(rung="model_worker", level="municipal", worker=worker, awarded_on=D(2011, 4, 28))
    assert leader_qualifies(worker, D(2011, 4, 27)) is False
    assert leader_qualifies(worker, D(2011, 4, 28)) is True
    honour.revoked_on = D(2012, 6, 1)
    honour.save()
    assert leader_qualifies(worker, D(2012, 5, 31)) is True
    assert leader_qualifies(worker, D(2012, 6, 1)) is False


def test_a_lower_honour_does_not_make_a_leader(tree):
    from innovation.services.honours import honour_award

    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    honour_award(rung="labour_medal", level="municipal", worker=worker, awarded_on=D(2011, 4, 28))
    assert leader_qualifies(worker, D(2012, 1, 1)) is False


def test_a_studio_led_by_a_model_worker_is_created_and_the_studio_has_no_flag_of_its_own(tree):
    from innovation.services.honours import honour_award

    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    honour_award(rung="model_worker", level="municipal", worker=worker, awarded_on=D(2011, 4, 28))
    studio = studio_make(tree["chaoyang_enterprise"], worker, leader_is_model_worker=False, recognised_on=D(2012, 3, 1))
    assert studio.leader == worker
    assert "leader_is_model_worker" not in {field.name for field in Studio._meta.get_fields()}


def test_a_studio_with_an_unqualified_leader_is_refused_with_a_chinese_message_and_nothing_is_written(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="李工")
    certificate(worker, 4, D(2009, 1, 1))
    with pytest.raises(ValidationError) as error:
        studio_make(tree["chaoyang_enterprise"], worker, leader_is_model_worker=False, recognised_on=D(2012, 3, 1))
    (message,) = error.value.message_dict["leader"]
    assert "李工" in message and "2012-03-01" in message and "首席员工" in message  # the portal's Chinese
    assert Studio.objects.count() == 0
    assert StudioRecognition.objects.count() == 0


def test_the_leader_message_has_its_chinese_in_the_translation_file():
    from pathlib import Path

    import polib

    catalogue = polib.pofile(str(Path(__file__).resolve().parents[2] / "locale/zh_Hans/LC_MESSAGES/django.po"))
    chinese = catalogue.find("%(name)s cannot lead a studio on %(day)s: a leader must be a current chief employee, "
                             "a worker at skill level 3 (高级工) or better, or a model worker.").msgstr
    assert "%(name)s" in chinese and "%(day)s" in chinese and "首席员工" in chinese


def test_a_studio_with_a_level_3_leader_is_created_with_its_first_recognition(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    certificate(worker, 2, D(2009, 1, 1))
    studio = studio_make(tree["chaoyang_enterprise"], worker, leader_is_model_worker=False, level=DISTRICT,
                         recognised_on=D(2011, 4, 1))
    assert list(studio.recognitions.values_list("level", "recognised_on", "removed_on")) == [(DISTRICT, D(2011, 4, 1), None)]


def test_officer_sees_the_leader_error_in_the_admin_and_nothing_is_saved(client, tree, chaoyang_officer):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="王工")
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:talent_studio_add"), {
        "name": "王工数控创新工作室", "unit": tree["chaoyang_enterprise"].pk, "field": "数控加工", "leader": worker.pk,
        "introduction": "", "level": "2", "recognised_on": "2012-03-01", "recognised_by": "朝阳区总工会",
    })
    assert response.status_code == 200
    assert "王工" in str(response.context["adminform"].form.errors["leader"])
    assert Studio.objects.count() == 0


# --- recognition and upgrades ---

def test_an_upgrade_adds_a_row_from_its_date_and_keeps_the_earlier_one(tree):
    studio = studio_make(tree["chaoyang_enterprise"], level=DISTRICT, recognised_on=D(2010, 6, 1))
    studio_recognise(studio=studio, level=CITY, recognised_on=D(2012, 9, 1), recognised_by="北京市总工会")
    assert list(studio.recognitions.order_by("recognised_on").values_list("level", "recognised_on", "removed_on")) == [
        (DISTRICT, D(2010, 6, 1), None), (CITY, D(2012, 9, 1), None)]
    assert studio_level_on(studio, D(2010, 5, 31)) is None
    assert studio_level_on(studio, D(2012, 8, 31)) == DISTRICT
    assert studio_level_on(studio, D(2012, 9, 1)) == CITY
    assert set(studios_recognised_on(day=D(2011, 12, 31), level=DISTRICT)) == {studio}
    assert set(studios_recognised_on(day=D(2012, 12, 31), level=CITY)) == {studio}
    assert set(studios_recognised_on(day=D(2012, 12, 31), level=DISTRICT)) == set()


def test_the_same_level_twice_in_force_is_refused(tree):
    studio = studio_make(tree["chaoyang_enterprise"], level=DISTRICT, recognised_on=D(2010, 6, 1))
    with pytest.raises(ValidationError):
        studio_recognise(studio=studio, level=DISTRICT, recognised_on=D(2011, 6, 1))
    assert studio.recognitions.count() == 1


# --- assessment ---

def test_a_failing_assessment_removes_the_recognition_from_its_date_and_keeps_it_as_history(tree):
    studio = studio_make(tree["chaoyang_enterprise"], level=DISTRICT, recognised_on=D(2010, 6, 1))
    studio_recognise(studio=studio, level=CITY, recognised_on=D(2011, 9, 1))
    studio_assessment_save(studio=studio, year=2011, assessed_on=D(2012, 1, 10), score=Decimal(92), grade="excellent")
    failing = studio_assessment_save(studio=studio, year=2012, assessed_on=D(2013, 1, 15), score=Decimal(48), grade="failed")

    assert list(studio.recognitions.order_by("recognised_on").values_list("level", "removed_on", "removed_by_assessment")) == [
        (DISTRICT, D(2013, 1, 15), failing.pk), (CITY, D(2013, 1, 15), failing.pk)]
    assert studio_level_on(studio, D(2013, 1, 14)) == CITY
    assert studio_level_on(studio, D(2013, 1, 15)) is None
    assert set(studios_recognised_on(day=D(2012, 12, 31), level=CITY)) == {studio}
    assert set(studios_recognised_on(day=D(2013, 12, 31), level=CITY)) == set()


def test_a_passing_assessment_removes_nothing(tree):
    studio = studio_make(tree["chaoyang_enterprise"], level=CITY, recognised_on=D(2010, 6, 1))
    studio_assessment_save(studio=studio, year=2011, assessed_on=D(2012, 1, 10), score=Decimal(70), grade="passed")
    assert list(studio.recognitions.values_list("removed_on", flat=True)) == [None]


def test_a_recognition_after_the_failing_assessment_is_not_removed_by_it(tree):
    studio = studio_make(tree["chaoyang_enterprise"], level=DISTRICT, recognised_on=D(2010, 6, 1))
    studio_assessment_save(studio=studio, year=2011, assessed_on=D(2012, 1, 10), score=Decimal(40), grade="failed")
    studio_recognise(studio=studio, level=DISTRICT, recognised_on=D(2013, 3, 1))
    assert studio_level_on(studio, D(2012, 6, 1)) is None
    assert studio_level_on(studio, D(2013, 3, 1)) == DISTRICT


def test_correcting_a_failing_assessment_to_a_pass_gives_the_recognition_back(tree):
    studio = studio_make(tree["chaoyang_enterprise"], level=CITY, recognised_on=D(2010, 6, 1))
    assessment = studio_assessment_save(studio=studio, year=2011, assessed_on=D(2012, 1, 10), score=Decimal(40), grade="failed")
    studio_assessment_save(studio=studio, year=2011, assessed_on=D(2012, 1, 10), score=Decimal(66), grade="passed",
                           assessment=assessment)
    assert list(studio.recognitions.values_list("removed_on", "removed_by_assessment")) == [(None, None)]
    again = studio_assessment_save(studio=studio, year=2011, assessed_on=D(2012, 1, 10), score=Decimal(40), grade="failed",
                                   assessment=assessment)
    studio_assessment_delete(assessment=again)
    assert list(studio.recognitions.values_list("removed_on", flat=True)) == [None]
    assert StudioAssessment.objects.count() == 0


def test_officer_records_a_failing_assessment_in_the_admin(client, tree, chaoyang_officer):
    studio = studio_make(tree["chaoyang_enterprise"], level=DISTRICT, recognised_on=D(2010, 6, 1))
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:talent_studioassessment_add"), {
        "studio": studio.pk, "year": "2012", "assessed_on": "2013-01-15", "score": "45", "grade": "failed", "remarks": "",
    })
    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(studio.recognitions.values_list("removed_on", flat=True)) == [D(2013, 1, 15)]


def test_the_set_based_selector_groups_by_studio_in_one_query(tree, django_assert_num_queries):
    one = studio_make(tree["chaoyang_enterprise"], level=CITY, recognised_on=D(2010, 1, 1))
    two = studio_make(tree["haidian_enterprise"], level=ENTERPRISE, recognised_on=D(2010, 1, 1))
    studio_recognise(studio=two, level=DISTRICT, recognised_on=D(2011, 1, 1))
    with django_assert_num_queries(1):
        rows = list(studio_levels_on(D(2012, 12, 31)))
    assert rows == [{"studio_id": one.pk, "level": CITY}, {"studio_id": two.pk, "level": DISTRICT}]


# --- activities ---

def test_a_master_apprentice_activity_names_its_master_and_apprentices(tree):
    studio = studio_make(tree["chaoyang_enterprise"])
    master, first, second = (WorkerFactory(unit=tree["chaoyang_enterprise"]) for _ in range(3))
    activity = studio_activity_save(studio=studio, kind="apprenticeship", title="数控名师带徒", started_on=D(2012, 3, 1),
                                    master=master, apprentices=[first, second], outcome="两名徒弟取得高级工证书")
    assert (activity.master, set(activity.apprentices.all())) == (master, {first, second})
    with pytest.raises(ValidationError):
        studio_activity_save(studio=studio, kind="apprenticeship", title="无师傅", started_on=D(2012, 3, 1),
                             apprentices=[first])
    with pytest.raises(ValidationError):
        studio_activity_save(studio=studio, kind="training", title="培训", started_on=D(2012, 3, 1), master=master)
    assert StudioActivity.objects.count() == 1


@pytest.mark.parametrize("kind", ["project", "training", "exchange"])
def test_the_other_kinds_have_dates_and_outcomes(tree, kind):
    studio = studio_make(tree["chaoyang_enterprise"])
    activity = studio_activity_save(studio=studio, kind=kind, title="活动", started_on=D(2012, 3, 1),
                                    ended_on=D(2012, 6, 30), outcome="节约成本 12 万元")
    assert (activity.kind, activity.started_on, activity.ended_on, activity.outcome) == (
        kind, D(2012, 3, 1), D(2012, 6, 30), "节约成本 12 万元")


def test_a_studio_list_in_the_admin_shows_todays_level(client, tree, chaoyang_officer):
    studio = studio_make(tree["chaoyang_enterprise"], level=DISTRICT, recognised_on=timezone.localdate())
    client.force_login(chaoyang_officer)
    response = client.get(reverse("admin:talent_studio_changelist"))
    assert [row.level_on for row in response.context["cl"].result_list if row.pk == studio.pk] == [DISTRICT]


def _studio_change_data(studio, *, recognitions=(), assessments=()):
    """The studio's change form as the admin posts it, with new inline rows."""
    existing = list(studio.recognitions.order_by("pk"))
    data = {"name": studio.name, "unit": studio.unit_id, "field": studio.field, "leader": studio.leader_id,
            "introduction": "",
            "public": "on" if studio.public else "",
            "recognitions-TOTAL_FORMS": str(len(existing) + len(recognitions)), "recognitions-INITIAL_FORMS": str(len(existing)),
            "recognitions-MIN_NUM_FORMS": "0", "recognitions-MAX_NUM_FORMS": "1000",
            "assessments-TOTAL_FORMS": str(len(assessments)), "assessments-INITIAL_FORMS": "0",
            "assessments-MIN_NUM_FORMS": "0", "assessments-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(existing):
        data[f"recognitions-{index}-id"] = row.pk
        data[f"recognitions-{index}-studio"] = studio.pk
    for index, row in enumerate(recognitions, start=len(existing)):
        data.update({f"recognitions-{index}-{name}": value for name, value in row.items()})
        data[f"recognitions-{index}-studio"] = studio.pk
    for index, row in enumerate(assessments):
        data.update({f"assessments-{index}-{name}": value for name, value in row.items()})
        data[f"assessments-{index}-studio"] = studio.pk
    return {key: value for key, value in data.items() if value != ""}


def test_officer_upgrades_a_studio_and_records_a_failing_assessment_on_its_page(client, tree, chaoyang_officer):
    studio = studio_make(tree["chaoyang_enterprise"], level=DISTRICT, recognised_on=D(2010, 6, 1))
    client.force_login(chaoyang_officer)
    url = reverse("admin:talent_studio_change", args=[studio.pk])
    response = client.post(url, _studio_change_data(
        studio, recognitions=[{"level": "1", "recognised_on": "2012-09-01", "recognised_by": "北京市总工会"}]))
    assert response.status_code == 302, response.context and [response.context["errors"],
                                                              [f.errors for f in response.context["inline_admin_formsets"][0].formset]]
    assert list(studio.recognitions.order_by("recognised_on").values_list("level", "recognised_on")) == [
        (DISTRICT, D(2010, 6, 1)), (CITY, D(2012, 9, 1))]
    response = client.post(url, _studio_change_data(
        studio, assessments=[{"year": "2012", "assessed_on": "2013-01-15", "score": "45", "grade": "failed"}]))
    assert response.status_code == 302
    assert list(studio.recognitions.values_list("removed_on", flat=True)) == [D(2013, 1, 15), D(2013, 1, 15)]


def test_the_same_level_again_on_the_studio_page_is_refused_with_nothing_written(client, tree, chaoyang_officer):
    studio = studio_make(tree["chaoyang_enterprise"], level=DISTRICT, recognised_on=D(2010, 6, 1))
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:talent_studio_change", args=[studio.pk]), _studio_change_data(
        studio, recognitions=[{"level": "2", "recognised_on": "2011-09-01"}]))
    assert response.status_code == 200
    assert studio.recognitions.count() == 1


def test_the_selector_counts_a_units_subtree(tree):
    chaoyang = studio_make(tree["chaoyang_enterprise"], level=CITY, recognised_on=D(2011, 1, 1))
    studio_make(tree["haidian_enterprise"], level=CITY, recognised_on=D(2011, 1, 1))
    assert list(studios_recognised_on(day=D(2013, 12, 31), level=CITY, under=tree["chaoyang"])) == [chaoyang]
    assert studios_recognised_on(day=D(2013, 12, 31), level=CITY, under=tree["root"]).count() == 2
