from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.utils import timezone

from membership.crypto import encrypt_id_number, id_number_digest
from membership.identity import make_credit_code, make_id_number, mask_id_number
from membership.models import IdNumberReveal, Unit, User, Worker, WorkerTransfer
from membership import services
from uploads.models import Upload

_sequence = itertools.count(1)


def unit_create(parent: Unit, name: str | None = None, code: str | None = None, kind=Unit.Kind.ENTERPRISE_UNION) -> Unit:
    number = next(_sequence)
    region = parent.code if parent.code.isdigit() and len(parent.code) == 6 else "110105"
    code = code or make_credit_code("91", region, f"MA{number:07d}")
    parent.refresh_from_db()
    return services.unit_create(parent=parent, code=code, name=name or f"测试企业{number}工会", kind=kind)


def id_number_new(region: str = "110105") -> str:
    number = next(_sequence)
    return make_id_number(region, dt.date(1970, 1, 1) + dt.timedelta(days=number // 900), number % 900 + 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw-123456")


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    class Params:
        id_number = factory.LazyFunction(id_number_new)

    name = factory.Sequence(lambda n: f"职工{n}")
    id_number_encrypted = factory.LazyAttribute(lambda o: encrypt_id_number(o.id_number))
    id_number_digest = factory.LazyAttribute(lambda o: id_number_digest(o.id_number))
    id_number_masked = factory.LazyAttribute(lambda o: mask_id_number(o.id_number))
    birth_date = factory.LazyAttribute(lambda o: dt.date(int(o.id_number[6:10]), int(o.id_number[10:12]), int(o.id_number[12:14])))
    sex = factory.LazyAttribute(lambda o: "M" if int(o.id_number[16]) % 2 else "F")
    post = "焊工"


def _transfer(unit: Unit) -> WorkerTransfer:
    worker = WorkerFactory(unit=unit)
    return WorkerTransfer.objects.create(worker=worker, from_unit=unit, to_unit=unit)


def _reveal(unit: Unit) -> IdNumberReveal:
    return IdNumberReveal.objects.create(worker=WorkerFactory(unit=unit), user=UserFactory(unit=unit))


def _upload(unit: Unit) -> Upload:
    user = UserFactory(unit=unit)
    return Upload.objects.create(kind="workers", user=user, unit=unit, file_name="花名册.xlsx", sha256="0" * 64,
                                 status=Upload.Status.PREVIEWED)


# How to make one object of each scoped model inside a given unit. The permission matrix uses it
# for every model registered in the admin: a new scoped model needs one line here.
IN_UNIT = {
    Unit: lambda unit: unit_create(unit),
    User: lambda unit: UserFactory(unit=unit),
    Worker: lambda unit: WorkerFactory(unit=unit),
    WorkerTransfer: _transfer,
    IdNumberReveal: _reveal,
    Upload: _upload,
}
