"""Issue 12: a system pushes a sheet's rows as JSON through the upload pipeline: a dry run unless
commit is true, recorded as an upload, idempotent on the natural keys, scoped like the upload page."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from courses.models import TrainingRecord
from membership.models import Worker
from tests.api.conftest import auth
from tests.factories import WorkerFactory, api_token_create, id_number_new
from uploads.models import Upload

URL = "/api/v1/uploads/training/"


@pytest.fixture
def two_workers(tree):
    numbers = [id_number_new(), id_number_new()]
    for number, name in zip(numbers, ["王建国", "李秀英"]):
        WorkerFactory(unit=tree["chaoyang_enterprise"], id_number=number, name=name)
    return numbers


def _day(numbers):
    day = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    return [
        {"身份证号": numbers[0], "姓名": "王建国", "培训项目名称": "数控车床操作提升班", "培训类型": "技能培训",
         "学时": 16, "完成日期": day, "成绩": "合格", "培训机构": "北京市技师学院"},
        {"身份证号": numbers[1], "姓名": "李秀英", "培训项目名称": "护理技能", "培训类型": "技能培训",
         "学时": "8", "完成日期": day},
        # The bad row: a kind of training the plan does not have.
        {"身份证号": numbers[1], "姓名": "李秀英", "培训项目名称": "按摩", "培训类型": "按摩", "学时": 2,
         "完成日期": day},
    ]


def _post(client, key, body):
    return client.post(URL, body, content_type="application/json", **auth(key))


def test_a_days_completions_dry_run_then_commit_then_again_unchanged(client, tree, two_workers):
    _token, key = api_token_create(tree["chaoyang_enterprise"])
    rows = _day(two_workers)

    dry = _post(client, key, {"rows": rows})
    assert dry.status_code == 200, dry.content
    body = dry.json()
    assert (body["commit"], body["status"], body["rows"], body["new"], body["written"], body["rejected_count"]) \
        == (False, "previewed", 3, 2, 0, 1)
    [bad] = body["rejected"]
    assert (bad["row"], bad["index"], bad["column"]) == (4, 2, "培训类型")
    assert any("\u4e00" <= char <= "\u9fff" for char in bad["reason"])  # the reason is Chinese
    assert not TrainingRecord.objects.exists()
    upload = Upload.objects.get(pk=body["upload"])
    assert (upload.kind, upload.status, upload.user.api_token.prefix) == ("training", "previewed", key[:12])

    done = _post(client, key, {"rows": rows, "commit": True})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["new"], done.json()["written"]) == ("committed", 2, 2)
    assert TrainingRecord.objects.count() == 2

    again = _post(client, key, {"rows": rows, "commit": True}).json()
    assert (again["new"], again["updated"], again["unchanged"], again["written"], again["rejected_count"]) \
        == (0, 0, 2, 0, 1)
    # The same day pushed again is a commit that wrote nothing, not a preview left waiting for a
    # confirmation nobody will give (a system checks status == "committed").
    assert again["status"] == "committed"
    assert Upload.objects.get(pk=again["upload"]).status == Upload.Status.COMMITTED
    assert TrainingRecord.objects.count() == 2
    assert Upload.objects.filter(kind="training").count() == 3


def test_an_out_of_subtree_unit_code_is_rejected(client, tree):
    _token, key = api_token_create(tree["chaoyang"], role="level1")
    row = {"姓名": "刘洋", "身份证号": id_number_new("110108"), "单位代码": tree["haidian_enterprise"].code}
    response = client.post("/api/v1/uploads/workers/", {"rows": [row], "commit": True},
                           content_type="application/json", **auth(key))
    assert response.status_code == 200
    body = response.json()
    assert (body["new"], body["written"], body["rejected_count"]) == (0, 0, 1)
    assert body["rejected"][0]["column"] == "单位代码"
    assert not Worker.objects.exists()


def test_a_token_without_the_upload_permission_is_refused(client, tree, two_workers):
    _token, key = api_token_create(tree["root"], role="leadership")
    response = _post(client, key, {"rows": _day(two_workers), "commit": True})
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "errors"}
    assert not Upload.objects.exists()


def test_unknown_columns_and_shapes_answer_400_in_the_error_shape(client, tree, two_workers):
    _token, key = api_token_create(tree["chaoyang_enterprise"])
    with translation.override("en"):
        response = _post(client, key, {"rows": [{"身份证号": two_workers[0], "名字": "王建国"}]})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "rows[0]" and "名字" in error["message"]
    assert _post(client, key, {"rows": []}).status_code == 400
    assert _post(client, key, {"rows": "x"}).status_code == 400
    assert _post(client, key, {"rows": [{"姓名": ["a"]}]}).status_code == 400
    assert not Upload.objects.exists()


def test_session_users_need_csrf(tree, chaoyang_officer, two_workers):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(chaoyang_officer)
    response = client.post(URL, {"rows": _day(two_workers)}, content_type="application/json")
    assert response.status_code == 403
