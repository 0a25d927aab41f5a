"""Issue 10 INN-6 with issue 9 TAL-1: beside each ladder candidate stand their skill certificates
(the talent app's provider) and their adopted proposals (the proposals part's provider), each
limited to what the viewer may see."""
from __future__ import annotations

import datetime as dt

from innovation.models import ProposalState
from innovation.proposals.ladder_evidence import adopted_proposals
from innovation.selectors import honours as selectors
from innovation.selectors.honours import honours_ladder
from talent.ladder_evidence import skill_certificates
from talent.models import SkillLevel
from tests.factories import WorkerFactory, honour_create, proposal_create, skill_certificate_make


def _candidate(steps, name):
    return next(c for step in steps for c in step.candidates if c.name == name)


def test_the_ladder_shows_each_candidates_skill_certificates_and_adopted_proposals(tree, chaoyang_officer):
    unit = tree["chaoyang_enterprise"]
    worker = WorkerFactory(unit=unit, name="候选人甲")
    honour_create("innovation_star", worker=worker, awarded_on=dt.date(2011, 4, 28))
    first = skill_certificate_make(worker, level=2, issued_on=dt.date(2010, 5, 1), occupation="焊工")
    expired = skill_certificate_make(worker, level=4, issued_on=dt.date(2005, 5, 1), occupation="电工",
                                     valid_until=dt.date(2009, 5, 1))
    adopted = proposal_create(unit, state="implemented", worker=worker, title="焊缝自动检测",
                              submitted_on=dt.date(2011, 3, 1))
    proposal_create(unit, state="rejected", worker=worker, title="未采纳的建议", submitted_on=dt.date(2011, 3, 2))
    proposal_create(unit, state="reviewing", worker=worker, title="评审中的建议", submitted_on=dt.date(2011, 3, 3))

    candidate = _candidate(honours_ladder(user=chaoyang_officer, day=dt.date(2013, 1, 1)), "候选人甲")
    certificates = candidate.evidence["skill_certificates"]
    assert len(certificates) == 2
    assert certificates[0] == f"焊工 · {SkillLevel(2).label}（{first.number}）"
    assert certificates[1].startswith(f"电工 · {SkillLevel(4).label}（{expired.number}） ")
    assert "2009-05-01" in certificates[1]  # the date it expired, in whatever word order the language has
    assert candidate.evidence["adopted_proposals"] == [
        f"2011 焊缝自动检测（{adopted.code} · {ProposalState.IMPLEMENTED.label}）"]
    keys = [key for key, _label in selectors.ladder_evidence_columns()]
    assert {"skill_certificates", "adopted_proposals"} <= set(keys)
    assert candidate.evidence_cells[keys.index("adopted_proposals")] == candidate.evidence["adopted_proposals"]


def test_the_export_has_a_column_for_certificates_and_for_adopted_proposals(tree, chaoyang_officer):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="候选人乙")
    honour_create("innovation_star", worker=worker, awarded_on=dt.date(2011, 4, 28))
    skill_certificate_make(worker, level=3, issued_on=dt.date(2010, 5, 1))
    proposal_create(tree["chaoyang_enterprise"], state="adopted", worker=worker, title="节能改造",
                    submitted_on=dt.date(2012, 1, 5))
    headers, rows = selectors.ladder_rows(honours_ladder(user=chaoyang_officer, day=dt.date(2013, 1, 1)))
    [row] = rows
    labels = dict(selectors.ladder_evidence_columns())
    cells = dict(zip(headers, row))
    assert cells[str(labels["skill_certificates"])].startswith("焊工 · ")
    assert cells[str(labels["adopted_proposals"])].startswith("2012 节能改造（")


def test_the_providers_read_only_what_the_viewer_may_see(tree, chaoyang_officer):
    """A 朝阳 officer is not shown a 海淀 worker's certificates, nor a proposal 海淀 owns by a worker
    who has since joined 朝阳."""
    haidian_worker = WorkerFactory(unit=tree["haidian_enterprise"])
    skill_certificate_make(haidian_worker, level=1, issued_on=dt.date(2010, 5, 1))
    mover = WorkerFactory(unit=tree["chaoyang_enterprise"])
    proposal_create(tree["haidian_enterprise"], state="rewarded", worker=mover, submitted_on=dt.date(2011, 1, 1))
    own = proposal_create(tree["chaoyang_enterprise"], state="adopted", worker=mover, submitted_on=dt.date(2012, 1, 1))

    assert dict(skill_certificates([haidian_worker.pk], chaoyang_officer)) == {}
    assert dict(adopted_proposals([mover.pk], chaoyang_officer)) == {
        mover.pk: [f"2012 {own.title}（{own.code} · {ProposalState.ADOPTED.label}）"]}
