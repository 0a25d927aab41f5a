"""技术英才网 in a real browser (issue 9): a district officer designates a chief employee and
records a studio's assessment in the admin; the public pages show the studio with no personal
data; a worker logs in and registers for a forum, then cancels."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from membership.models import User
from talent.models import ChiefEmployee, StudioAssessment, TalentEventRegistration
from tests.factories import WorkerFactory, id_number_new, studio_make, talent_event_make

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in_admin(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-123456")
    with page.expect_navigation():
        page.click("#login-form input[type=submit]")


def _pick(page, field: str, text: str):
    """Choose ``text`` in the admin's autocomplete widget (select2) of ``field``."""
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def test_officer_designates_and_assesses_and_the_public_pages_show_it_and_a_worker_registers(
        live_server, page, tree, chaoyang_officer):
    enterprise = tree["chaoyang_enterprise"]
    leader_id = id_number_new()
    leader = WorkerFactory(unit=enterprise, name="刘领衔", id_number=leader_id, phone="13911112222")
    chief = WorkerFactory(unit=enterprise, name="周首席", phone="13933334444")
    studio = studio_make(enterprise, leader, level=1, name="精密数控创新工作室", public=True,
                         recognised_on=dt.date(2011, 5, 1))
    forum = talent_event_make(tree["chaoyang"], title="数控技术高技能人才论坛")
    today = timezone.localdate()

    # The officer designates a chief employee.
    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in_admin(page, live_server, "cy")
    page.goto(live_server.url + "/admin/talent/chiefemployee/add/")
    _pick(page, "worker", "周首席")
    _pick(page, "unit", "朝阳区总工会")
    page.fill("#id_field", "精密焊接")
    page.fill("#id_term_from", (today - dt.timedelta(days=30)).isoformat())
    page.fill("#id_term_to", (today + dt.timedelta(days=700)).isoformat())
    page.fill("#id_monthly_allowance", "800")
    page.fill("#id_other_benefits", "带薪研修")
    page.check("#id_public")
    with page.expect_navigation():
        page.click("input[name=_save]")
    designation = ChiefEmployee.objects.get()
    assert (designation.worker, designation.unit, designation.field, designation.public) == (
        chief, tree["chaoyang"], "精密焊接", True)

    # … and records the studio's yearly assessment.
    page.goto(live_server.url + "/admin/talent/studioassessment/add/")
    _pick(page, "studio", "精密数控创新工作室")
    page.fill("#id_year", "2012")
    page.fill("#id_assessed_on", "2013-01-15")
    page.fill("#id_score", "91")
    page.select_option("#id_grade", "excellent")
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert list(StudioAssessment.objects.values_list("studio", "year", "grade")) == [(studio.pk, 2012, "excellent")]

    # The public pages, on a phone, anonymous: the studio with its assessment, no personal data.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 412, "height": 900})
    page.goto(live_server.url + "/")
    page.click("header a[href='/talent/']")
    page.click("#home-studios a:has-text('精密数控创新工作室')")
    assert page.locator("h1").inner_text() == "精密数控创新工作室"
    assert "刘领衔" in page.locator("#studio").inner_text()
    assert "2012" in page.locator("#assessments").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 412
    page.goto(live_server.url + "/talent/chief-employees/")
    assert "周首席" in page.locator("#chief-list").inner_text()
    leader.refresh_from_db()
    for url in ("/talent/", f"/talent/studios/{studio.pk}/", "/talent/chief-employees/", f"/talent/chief-employees/{designation.pk}/"):
        page.goto(live_server.url + url)
        html = page.content()
        for secret in (leader_id, leader.id_number_masked, "13911112222", "13933334444", leader.birth_date.isoformat(),
                       leader.birth_date.strftime("%Y%m%d")):
            assert secret not in html, (url, secret)

    # A worker finds the forum, logs in to register, registers and cancels.
    worker = WorkerFactory(unit=enterprise, name="赵师傅")
    User.objects.create_user("zhaosf", password="Gongren-2026!", worker=worker, is_staff=False, first_name="赵师傅")
    page.goto(live_server.url + "/talent/events/")
    page.click("#event-list a:has-text('数控技术高技能人才论坛')")
    page.click("#event a.button")
    page.fill("#id_username", "zhaosf")
    page.fill("#id_password", "Gongren-2026!")
    with page.expect_navigation():
        page.click("form.form button.primary")
    assert page.url.endswith(f"/talent/events/{forum.pk}/")
    with page.expect_navigation():
        page.click("#event button.primary")
    assert page.locator(".messages .success").count() == 1
    registration = TalentEventRegistration.objects.get()
    assert (registration.worker, registration.event, registration.status) == (worker, forum, "registered")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#event button.secondary")
    registration.refresh_from_db()
    assert registration.status == "cancelled"
