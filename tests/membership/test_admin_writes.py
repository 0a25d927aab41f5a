from __future__ import annotations

from django.core.management import call_command
from django.urls import reverse

from membership.models import Unit, User, Worker, WorkerTransfer
from tests.factories import WorkerFactory


def _unit_form(parent, **overrides):
    data = {"name": "北京朝阳新材料有限公司工会", "code": "91110105MA01CY004", "kind": Unit.Kind.ENTERPRISE_UNION,
            "industry": "", "district": "", "member_level": "", "membership_status": "none",
            "membership_since": "", "worker_count": "", "parent": parent.pk}
    data.update(overrides)
    return data


def test_level2_unit_code_must_be_a_valid_credit_code(client, tree, chaoyang_officer):
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:membership_unit_add"), _unit_form(tree["chaoyang"], code="91110105MA01CY0049"))
    assert response.status_code == 200 and "校验位" in response.content.decode()
    assert not Unit.objects.filter(name="北京朝阳新材料有限公司工会").exists()
    from core.identity import uscc_check_character

    code = "91110105MA01CY004" + uscc_check_character("91110105MA01CY004")
    response = client.post(reverse("admin:membership_unit_add"), _unit_form(tree["chaoyang"], code=code.lower()))
    assert response.status_code == 302
    unit = Unit.objects.get(code=code)
    assert unit.get_parent() == tree["chaoyang"] and unit.district == "朝阳"


def test_officer_cannot_place_a_unit_under_another_district(client, tree, chaoyang_officer):
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:membership_unit_add"), _unit_form(tree["haidian"], code="91110105MA01CY004"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"]
    assert not Unit.objects.filter(name="北京朝阳新材料有限公司工会").exists()


def test_officer_cannot_delete_or_move_their_own_unit(client, tree, chaoyang_officer):
    client.force_login(chaoyang_officer)
    assert client.post(reverse("admin:membership_unit_delete", args=[tree["chaoyang"].pk]), {"post": "yes"}).status_code == 403
    form = client.get(reverse("admin:membership_unit_change", args=[tree["chaoyang"].pk])).context["adminform"].form
    assert form.fields["parent"].disabled


def test_officer_saves_their_own_unit_which_keeps_its_place(client, tree, chaoyang_officer):
    chaoyang = tree["chaoyang"]
    client.force_login(chaoyang_officer)
    data = _unit_form(chaoyang, name="北京市朝阳区总工会（新）", code=chaoyang.code, kind=chaoyang.kind,
                      district=chaoyang.district, membership_status=chaoyang.membership_status)
    # A disabled field is not posted by the browser; its value comes from the form's initial data.
    del data["parent"]
    response = client.post(reverse("admin:membership_unit_change", args=[chaoyang.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    chaoyang.refresh_from_db()
    assert chaoyang.name == "北京市朝阳区总工会（新）" and chaoyang.get_parent() == tree["root"]
    # A forged parent is ignored: the field is disabled, so the officer's unit cannot move.
    response = client.post(reverse("admin:membership_unit_change", args=[chaoyang.pk]),
                           {**data, "parent": tree["haidian"].pk})
    assert response.status_code == 302
    chaoyang.refresh_from_db()
    assert chaoyang.get_parent() == tree["root"]


def test_unit_add_form_does_not_inherit_a_parent_from_an_earlier_change_form(client, tree, municipal):
    client.force_login(municipal)
    client.get(reverse("admin:membership_unit_change", args=[tree["chaoyang_enterprise"].pk]))
    form = client.get(reverse("admin:membership_unit_add")).context["adminform"].form
    assert form["parent"].value() is None and not form.fields["parent"].disabled


def test_worker_added_in_admin_is_encrypted_and_unique(client, tree, chaoyang_officer):
    client.force_login(chaoyang_officer)
    data = {"id_number": "11010519491231002x", "name": "王秀兰", "unit": tree["chaoyang_enterprise"].pk, "post": "",
            "education": "", "phone": "", "joined_union_on": "", "transfers-TOTAL_FORMS": "0", "transfers-INITIAL_FORMS": "0"}
    assert client.post(reverse("admin:membership_worker_add"), data).status_code == 302
    worker = Worker.objects.get()
    assert worker.id_number_masked == "110105********002X" and "11010519491231002X" not in worker.id_number_encrypted
    again = client.post(reverse("admin:membership_worker_add"), data)
    assert again.status_code == 200 and Worker.objects.count() == 1


def test_moving_a_worker_in_admin_records_a_transfer(client, tree, municipal):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    client.force_login(municipal)
    response = client.post(reverse("admin:membership_worker_change", args=[worker.pk]), {
        "name": worker.name, "unit": tree["haidian_enterprise"].pk, "post": worker.post, "education": "",
        "phone": "", "joined_union_on": "", "transfers-TOTAL_FORMS": "0", "transfers-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    transfer = WorkerTransfer.objects.get(worker=worker)
    assert (transfer.from_unit, transfer.to_unit, transfer.moved_by) == (tree["chaoyang_enterprise"], tree["haidian_enterprise"], municipal)
    assert Worker.objects.count() == 1


def test_officer_cannot_make_anyone_superuser(client, tree, chaoyang_all_permissions):
    client.force_login(chaoyang_all_permissions)
    form = client.get(reverse("admin:membership_user_change", args=[chaoyang_all_permissions.pk])).context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields


def test_seed_demo_creates_the_tree_the_log_ins_and_workers(db, capsys):
    call_command("seed_demo", "--workers", "300", "--seed", "7")
    out = capsys.readouterr().out
    for username in ("admin", "chaoyang", "haidian", "leader", "worker"):
        assert f"log-in: {username} /" in out
        assert User.objects.filter(username=username).exists()
    assert Unit.objects.filter(code="110105", name="朝阳区总工会").exists()
    assert Unit.objects.filter(depth=2).count() == 16 + 7
    for level1 in Unit.objects.filter(depth=2):
        assert Unit.objects.filter(path__startswith=level1.path, depth=3).exists(), level1.name
    assert Worker.objects.count() == 300
    masked = list(Worker.objects.order_by("id").values_list("id_number_masked", "name"))
    call_command("seed_demo", "--workers", "300", "--seed", "7")  # again: nothing doubles
    assert Worker.objects.count() == 300
    assert list(Worker.objects.order_by("id").values_list("id_number_masked", "name")) == masked
    assert User.objects.get(username="chaoyang").unit.code == "110105"
    assert User.objects.get(username="worker").worker is not None
