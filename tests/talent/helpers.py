"""Builders for the talent tests, through the services."""
from __future__ import annotations

import datetime as dt
import itertools

from membership.models import Industry
from talent.models import Occupation
from talent.services import certificates, competitions

_numbers = itertools.count(1)


def certificate_make(worker, level: int, issued_on: dt.date = dt.date(2012, 6, 1), valid_until=None,
                     occupation: str = "焊工", number: str | None = None):
    return certificates.skill_certificate_create(
        worker=worker, occupation=Occupation.objects.get(name=occupation), level=level,
        number=number or f"Z{next(_numbers):09d}", issuer="北京市职业技能鉴定指导中心", issued_on=issued_on,
        valid_until=valid_until)


def industry_division(code: str = "34"):
    found = Industry.objects.filter(code=code).first()
    if found is None:
        section = Industry.objects.get_or_create(code="C", defaults={"name": "制造业"})[0]
        found = Industry.objects.create(code=code, name="通用设备制造业", section=section)
    return found


def competition_make(organiser, *, level: str = "municipal", year: int = 2012, code: str | None = None,
                     occupation: str = "焊工", is_public: bool = False, name: str = "北京市职工焊工技能大赛"):
    return competitions.competition_create(
        code=code or f"{organiser.code}-{next(_numbers)}", name=name, level=level, organiser=organiser,
        industry=industry_division(), occupation=Occupation.objects.get(name=occupation), year=year,
        co_organisers="市人力社保局", series="国际焊接对抗赛", is_public=is_public)
