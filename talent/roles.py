"""TAL-1…7: what the talent app's models allow each staff role (membership.seed merges every
app's ROLES). Each area adds its own list below and joins it into ROLES."""
from __future__ import annotations


def _crud(*models: str) -> list[str]:
    return [f"talent.{action}_{model}" for model in models for action in ("add", "change", "delete", "view")]


def _view(*models: str) -> list[str]:
    return [f"talent.view_{model}" for model in models]


# TAL-3, TAL-4, TAL-5, TAL-7: chief employees, studios, bases, 职工技协, forums and observation events.
_PROGRAMME_MODELS = ("chiefemployee", "chiefevaluation", "studio", "studiorecognition", "studioactivity",
                     "studioassessment", "demonstrationbase", "techassociation", "talentevent")
_PROGRAMME_STAFF = [*_crud(*_PROGRAMME_MODELS), "talent.view_talenteventregistration",
                    "talent.change_talenteventregistration"]
_PROGRAMME_LEADERSHIP = _view(*_PROGRAMME_MODELS, "talenteventregistration")

# TAL-1, TAL-2, TAL-6: certificates, the talent database, competitions, results and the fast track.
# Occupations and qualifying awards are city-wide reference data that only municipal staff edit.
_CERTIFICATE_STAFF = [*_crud("skillcertificate", "competition", "competitionresult"),
                      "talent.view_fasttrackrecommendation", "talent.view_occupation", "talent.view_qualifyingaward",
                      "talent.view_talentrecord"]
# MEM-4: the talent database's export, like the worker export, is for municipal and level-1 staff.
_CERTIFICATE_EXPORT = ["talent.export_talentrecord"]
_CERTIFICATE_MUNICIPAL = [*_CERTIFICATE_STAFF, *_CERTIFICATE_EXPORT, *_crud("occupation", "qualifyingaward")]
_CERTIFICATE_LEADERSHIP = _view("skillcertificate", "talentrecord", "competition", "competitionresult", "fasttrackrecommendation",
                                "occupation", "qualifyingaward")

ROLES = {
    "municipal": [*_PROGRAMME_STAFF,
                  *_CERTIFICATE_MUNICIPAL],
    "level1": [*_PROGRAMME_STAFF,
               *_CERTIFICATE_STAFF, *_CERTIFICATE_EXPORT],
    "level2": [*_PROGRAMME_STAFF,
               *_CERTIFICATE_STAFF],
    # REP-3: leadership reads everything and changes nothing.
    "leadership": [*_PROGRAMME_LEADERSHIP,
                   *_CERTIFICATE_LEADERSHIP],
}
