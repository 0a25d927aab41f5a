from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import TargetGroup
from tests.factories import class_create, course_create


def _titles(response):
    return [course.title for course in response.context["page"]]


def test_search_finds_chinese_text_by_any_part(client, tree):
    course_create(tree["root"], title="焊接技术基础")
    course_create(tree["root"], title="办公软件应用", description="电子表格中的焊接工时统计")
    course_create(tree["root"], title="职工书画")
    assert sorted(_titles(client.get(reverse("courses:menu"), {"q": "焊接"}))) == ["办公软件应用", "焊接技术基础"]
    assert _titles(client.get(reverse("courses:menu"), {"q": "技术基"})) == ["焊接技术基础"]


def test_only_approved_courses_are_in_the_menu(client, tree):
    course_create(tree["root"], title="已批准课程")
    course_create(tree["root"], title="待评审课程", status="submitted")
    course_create(tree["root"], title="被退回课程", status="rejected")
    assert _titles(client.get(reverse("courses:menu"))) == ["已批准课程"]


def test_filters_by_category_group_delivery_credits_district_and_free_seats(client, tree):
    from decimal import Decimal

    welding = course_create(tree["root"], title="焊接", category="job", delivery="offline", credits=Decimal(3))
    welding.target_groups.set(TargetGroup.objects.filter(code="migrant"))
    painting = course_create(tree["chaoyang"], title="书画", category="culture", delivery="online", credits=Decimal(1))
    full = class_create(painting, capacity=1)
    full.enrolled_count = 1
    full.save(update_fields=["enrolled_count"])
    class_create(welding, unit=tree["haidian"], capacity=5)
    menu = reverse("courses:menu")
    assert _titles(client.get(menu, {"category": "culture"})) == ["书画"]
    assert _titles(client.get(menu, {"group": "migrant"})) == ["焊接"]
    assert _titles(client.get(menu, {"delivery": "online"})) == ["书画"]
    assert _titles(client.get(menu, {"credits": "2"})) == ["焊接"]
    assert _titles(client.get(menu, {"district": "朝阳"})) == ["书画"]
    assert _titles(client.get(menu, {"district": "海淀"})) == ["焊接"]
    assert _titles(client.get(menu, {"free": "1"})) == ["焊接"]


def test_menu_page_is_paginated(client, tree):
    for number in range(25):
        course_create(tree["root"], title=f"课程{number:02d}")
    first = client.get(reverse("courses:menu"))
    assert len(_titles(first)) == 20
    assert len(_titles(client.get(reverse("courses:menu"), {"page": 2}))) == 5


def test_menu_queries_do_not_grow_with_the_page(client, tree):
    def count_for(n):
        for number in range(n):
            course = course_create(tree["root"], title=f"课程{number}")
            course.target_groups.set(TargetGroup.objects.all()[:2])
            class_create(course)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("courses:menu"))
        assert response.status_code == 200
        return len(queries)

    few = count_for(2)
    many = count_for(18)
    assert few == many


def test_course_page_shows_modules_and_seats_left(client, tree):
    course = course_create(tree["root"], title="焊接技术基础")
    course.modules.create(order=1, title="焊接安全")
    class_create(course, capacity=30)
    html = client.get(reverse("courses:course", args=[course.code])).content.decode()
    assert "焊接安全" in html and ">30</span> / 30" in html


def test_unapproved_course_page_is_not_found(client, tree):
    course = course_create(tree["root"], status="submitted")
    assert client.get(reverse("courses:course", args=[course.code])).status_code == 404
