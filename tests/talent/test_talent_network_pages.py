"""TAL-7 技术英才网: what a unit marked public appears, nothing else; no page shows an ID number
(full or masked), a phone number or a birth date; every page is Chinese-ready and phone-sized."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from talent.services.studios import studio_activity_save
from tests.factories import (
    WorkerFactory,
    _tech_association,
    base_make,
    chief_designate,
    id_number_new,
    studio_make,
    talent_event_make,
)


@pytest.fixture
def published(tree):
    """Public and private records of each kind, their people with phones and known ID numbers."""
    unit = tree["chaoyang_enterprise"]
    names = ["刘领衔", "陈成员", "周首席", "吴师傅", "郑徒弟", "孙隐藏", "钱隐藏"]
    ids = {name: id_number_new() for name in names}
    people = {name: WorkerFactory(unit=unit, name=name, id_number=ids[name], phone=f"1391234{index:04d}")
              for index, name in enumerate(names)}
    studio = studio_make(unit, people["刘领衔"], level=1, name="精密数控创新工作室", public=True, introduction="攻关数控难题")
    studio.members.set([people["陈成员"]])
    studio_activity_save(studio=studio, kind="apprenticeship", title="数控名师带徒", started_on=dt.date(2012, 3, 1),
                         master=people["吴师傅"], apprentices=[people["郑徒弟"]])
    hidden_studio = studio_make(unit, people["孙隐藏"], name="未公开工作室", public=False)
    chief = chief_designate(tree["chaoyang"], people["周首席"], public=True, field="精密焊接")
    hidden_chief = chief_designate(tree["chaoyang"], people["钱隐藏"], public=False)
    base = base_make(unit, name="朝阳数控示范基地", public=True)
    hidden_base = base_make(unit, name="未公开基地", public=False)
    association = _tech_association(tree["chaoyang"], unit)
    association.public = True
    association.name = "朝阳区职工技协"
    association.save(update_fields=["public", "name"])
    event = talent_event_make(tree["chaoyang"], title="数控技能观摩会", kind="observation")
    hidden_event = talent_event_make(tree["chaoyang"], title="未公开论坛", public=False)
    return {"people": people, "ids": ids, "studio": studio, "chief": chief, "base": base, "association": association, "event": event,
            "hidden": [hidden_studio, hidden_chief, hidden_base, hidden_event]}


def _pages(published):
    return [
        reverse("talent:home"), reverse("talent:studios"), reverse("talent:studio", args=[published["studio"].pk]),
        reverse("talent:chief_employees"), reverse("talent:chief_employee", args=[published["chief"].pk]),
        reverse("talent:bases"), reverse("talent:base", args=[published["base"].pk]),
        reverse("talent:associations"), reverse("talent:association", args=[published["association"].pk]),
        reverse("talent:events"), reverse("talent:event", args=[published["event"].pk]),
    ]


def test_the_public_pages_show_what_units_marked_public(client, published):
    pages = {url: client.get(url) for url in _pages(published)}
    assert all(response.status_code == 200 for response in pages.values())
    home = pages[reverse("talent:home")].content.decode()
    for shown in ("精密数控创新工作室", "周首席", "朝阳数控示范基地", "朝阳区职工技协", "数控技能观摩会"):
        assert shown in home
    studio_page = pages[reverse("talent:studio", args=[published["studio"].pk])].content.decode()
    for shown in ("刘领衔", "陈成员", "吴师傅", "郑徒弟", "数控名师带徒", "攻关数控难题"):
        assert shown in studio_page
    everything = "".join(response.content.decode() for response in pages.values())
    for hidden in ("未公开工作室", "孙隐藏", "钱隐藏", "未公开基地", "未公开论坛"):
        assert hidden not in everything


def test_records_not_marked_public_have_no_page(client, published):
    hidden_studio, hidden_chief, hidden_base, hidden_event = published["hidden"]
    for url in (reverse("talent:studio", args=[hidden_studio.pk]), reverse("talent:chief_employee", args=[hidden_chief.pk]),
                reverse("talent:base", args=[hidden_base.pk]), reverse("talent:event", args=[hidden_event.pk])):
        assert client.get(url).status_code == 404, url


def test_no_page_shows_an_id_number_a_phone_or_a_birth_date(client, published):
    everything = "".join(client.get(url).content.decode() for url in _pages(published))
    assert "刘领衔" in everything  # the scan reads the pages that name these people
    for name, worker in published["people"].items():
        worker.refresh_from_db()
        birth = worker.birth_date
        for secret in (published["ids"][name], worker.id_number_masked, worker.phone, birth.isoformat(), birth.strftime("%Y%m%d"), f"{birth.year}年{birth.month}月{birth.day}日",
                       birth.strftime("%Y/%m/%d")):
            assert secret not in everything, secret


def test_a_studio_removed_by_its_assessment_leaves_the_public_pages(client, published):
    from decimal import Decimal

    from talent.services.studios import studio_assessment_save

    studio = published["studio"]
    studio_assessment_save(studio=studio, year=2025, assessed_on=timezone.localdate(), score=Decimal(30), grade="failed")
    assert "精密数控创新工作室" not in client.get(reverse("talent:studios")).content.decode()
    assert client.get(reverse("talent:studio", args=[studio.pk])).status_code == 404


def test_a_chief_employee_whose_term_ended_leaves_the_public_pages(client, tree):
    today = timezone.localdate()
    chief = chief_designate(tree["chaoyang"], WorkerFactory(unit=tree["chaoyang_enterprise"], name="冯期满"), public=True,
                            term_from=today - dt.timedelta(days=800), term_to=today - dt.timedelta(days=1))
    assert "冯期满" not in client.get(reverse("talent:chief_employees")).content.decode()
    assert client.get(reverse("talent:chief_employee", args=[chief.pk])).status_code == 404


def test_lists_filter_by_level_and_search(client, published, tree):
    studio_make(tree["haidian_enterprise"], level=3, name="海淀软件测试工作室", public=True)
    response = client.get(reverse("talent:studios"), {"level": "1"})
    assert [studio.name for studio in response.context["page"]] == ["精密数控创新工作室"]
    response = client.get(reverse("talent:studios"), {"q": "软件"})
    assert [studio.name for studio in response.context["page"]] == ["海淀软件测试工作室"]
    # A bad value is dropped, never an error.
    assert client.get(reverse("talent:studios"), {"level": "9", "page": "nan"}).status_code == 200


def test_the_talent_pages_load_nothing_from_outside_the_server_and_fit_a_phone(client, published):
    import re

    for url in _pages(published):
        html = client.get(url).content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', html), url
        assert 'name="viewport" content="width=device-width' in html
        assert "style=" not in html and "<style" not in html and "<script>" not in html


def test_the_site_frame_links_the_talent_network(client, tree):
    assert f'href="{reverse("talent:home")}"' in client.get(reverse("courses:menu")).content.decode()


def test_the_home_page_takes_a_fixed_number_of_queries(client, published, tree, django_assert_max_num_queries):
    for index in range(5):
        studio_make(tree["haidian_enterprise"], level=2, name=f"工作室{index}", public=True)
    with django_assert_max_num_queries(12):
        client.get(reverse("talent:home"))
