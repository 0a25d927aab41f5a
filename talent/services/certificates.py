"""TAL-1: writes of skill certificates. Every path (the admin's form, the upload, the demo seed)
ends here, so each new or changed certificate earns its credits (EDU-9, courses.ledger) and fulfils
the worker's open fast-track recommendations (TAL-6) in the same transaction."""
from __future__ import annotations

import datetime as dt

from django.db import router, transaction
from django.db.models.base import ModelState
from django.utils import timezone

from courses import ledger
from courses.models import CreditEntry
from uploads import bulk

from ..models import Occupation, SkillCertificate, SkillLevel
from . import competitions

CERTIFICATE_FIELDS = ("worker", "unit", "occupation", "level", "number", "issuer", "issued_on", "valid_until",
                      "upload")
# What a re-upload or an edit may change; the worker and the unit at the time stay.
CERTIFICATE_CHANGEABLE = ("occupation_id", "level", "issuer", "issued_on", "valid_until")
# The same, as the admin's form names them.
FORM_CHANGEABLE = ("occupation", "level", "issuer", "issued_on", "valid_until")


def skill_certificate_create(*, worker, occupation: Occupation, level: int, number: str, issuer: str,
                             issued_on: dt.date, valid_until: dt.date | None = None, upload=None) -> SkillCertificate:
    """TAL-1: record a certificate; the worker's unit of today is the fact's unit (MEM-2)."""
    with transaction.atomic():
        certificate = SkillCertificate(worker=worker, unit_id=worker.unit_id, occupation=occupation, level=level,
                                       number=number, issuer=issuer, issued_on=issued_on, valid_until=valid_until,
                                       upload=upload)
        certificate.full_clean()
        certificate.save()
        skill_certificates_after_write(certificates=[certificate])
    return certificate


def skill_certificate_update(*, certificate: SkillCertificate, **fields) -> SkillCertificate:
    """TAL-1: staff correct a certificate; a better level may now fulfil a recommendation."""
    changed = [name for name, value in fields.items() if getattr(certificate, name) != value]
    if not changed:
        return certificate
    with transaction.atomic():
        for name in changed:
            setattr(certificate, name, fields[name])
        certificate.full_clean()
        certificate.save(update_fields=[*changed, "updated_at"])
        skill_certificates_after_write(certificates=[certificate])
    return certificate


def skill_certificates_write(*, new: list[dict], updated: list[tuple[int, dict]], upload=None) -> int:
    """UPL-6 `certificates`: the bulk form for the upload, whose rows were validated and
    classified by the upload kind: ``new`` as dicts (ids for worker, unit and occupation),
    ``updated`` as (certificate id, CERTIFICATE_CHANGEABLE fields). COPY and one UPDATE per batch."""
    now = timezone.now().isoformat()
    upload_id = upload.pk if upload is not None else None
    written = bulk.insert_rows(SkillCertificate, (*CERTIFICATE_FIELDS, "created_at", "updated_at"), [
        (row["worker_id"], row["unit_id"], row["occupation_id"], row["level"], row["number"], row["issuer"],
         row["issued_on"], row["valid_until"], upload_id, now, now) for row in new])
    if updated:
        names = tuple(updated[0][1])
        written += bulk.update_rows(SkillCertificate, ("updated_at", *names), [
            (pk, now, *(fields[name] for name in names)) for pk, fields in updated])
    numbers = [row["number"] for row in new]
    ids = [pk for pk, _fields in updated]
    if numbers or ids:
        # COPY returns no ids: the batch is read back in one query by its natural key (an array
        # parameter, not thousands of bound ones), as light instances for the ledger's entries.
        found = bulk.fetch_by_keys(SkillCertificate, "number", numbers, _AFTER_WRITE_FIELDS)
        if ids:
            found += list(SkillCertificate.objects.filter(pk__in=ids).values_list("id", *_AFTER_WRITE_FIELDS))
        occupations = dict(Occupation.objects.values_list("id", "name"))
        db = router.db_for_write(SkillCertificate)
        skill_certificates_after_write(certificates=[_light_certificate(
            db, id=pk, worker_id=worker_id, unit_id=unit_id, occupation_id=occupation_id, level=level, number=number,
            issued_on=issued_on, _occupation_name=occupations[occupation_id])
            for _key, pk, worker_id, unit_id, occupation_id, level, number, issued_on in found])
    return written


_AFTER_WRITE_FIELDS = ("id", "worker_id", "unit_id", "occupation_id", "level", "number", "issued_on")


def _light_certificate(db: str, **attributes) -> SkillCertificate:
    """A saved certificate as the ledger and the fast track read it (its id, worker, unit, level,
    number, dates), built as Django builds a row read with .only(): without Model.__init__, which
    walks every field and was a sixth of a 20,000-row upload's time (cProfile). A field not given
    is loaded from the database on first access, as a deferred one."""
    certificate = SkillCertificate.__new__(SkillCertificate)
    certificate._state = ModelState()
    certificate._state.adding, certificate._state.db = False, db
    certificate.__dict__.update(attributes)
    return certificate


def skill_certificates_after_write(*, certificates: list[SkillCertificate]) -> None:
    """What follows every new or changed certificate, set-based for a batch: EDU-9 credits where a
    certificate rule is in force (a certificate earns once, on its issue date), and TAL-6 the
    fulfilment of fast-track recommendations."""
    if not certificates:
        return
    # One translated label per level, not one lazy translation per row (an upload's batch).
    levels = {level: str(label) for level, label in SkillLevel.choices}
    ledger.credit_entries_record_bulk(source_kind=CreditEntry.Source.CERTIFICATE, earnings=[
        ledger.Earning(worker_id=certificate.worker_id, source=certificate, earned_on=certificate.issued_on,
                       cause=f"{_occupation_name(certificate)} {levels[certificate.level]} {certificate.number}")
        for certificate in certificates])
    competitions.fast_track_fulfil(certificates=certificates)


def _occupation_name(certificate: SkillCertificate) -> str:
    name = getattr(certificate, "_occupation_name", None)
    return name if name is not None else certificate.occupation.name
