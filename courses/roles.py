"""EDU-1…9: what the courses app's models allow each staff role, and the review committee, a role
the courses app owns (EDU-3)."""
from __future__ import annotations

REVIEWER = "reviewer"
# A group name is data staff read in the admin, so it is Chinese.
REVIEWER_GROUP = "课程评审委员"

GROUPS = {REVIEWER: REVIEWER_GROUP}

_COURSE_STAFF = [
    "courses.add_course", "courses.change_course", "courses.view_course", "courses.add_coursemodule",
    "courses.change_coursemodule", "courses.delete_coursemodule", "courses.view_coursemodule",
    "courses.add_courseclass", "courses.change_courseclass", "courses.view_courseclass",
    "courses.add_place", "courses.change_place", "courses.view_place", "courses.add_teacher",
    "courses.change_teacher", "courses.view_teacher", "courses.view_enrolment", "courses.add_enrolment",
    "courses.change_enrolment", "courses.view_certificate", "courses.add_certificate", "courses.view_targetgroup",
    "courses.view_coursereview", "courses.add_trainingrecord", "courses.change_trainingrecord",
    "courses.view_trainingrecord", "courses.add_activity", "courses.change_activity", "courses.view_activity",
    "courses.change_activityregistration", "courses.view_activityregistration", "courses.add_courseware",
    "courses.change_courseware", "courses.view_courseware", "courses.view_coursewareprogress",
    "courses.add_classsession", "courses.change_classsession", "courses.delete_classsession", "courses.view_classsession",
    "courses.add_attendance", "courses.change_attendance", "courses.view_attendance", "courses.view_dependant",
    "courses.view_coursewarecompletion", "courses.view_courserevision",
    # MEM-3: the worker page shows an officer the worker's credit ledger.
    "courses.view_creditentry",
]

ROLES = {
    "municipal": [
        *_COURSE_STAFF, "courses.assign_reviewers", "courses.decide_course", "courses.add_reviewcriterion",
        "courses.change_reviewcriterion", "courses.view_reviewcriterion", "courses.add_targetgroup",
        "courses.change_targetgroup", "courses.add_creditrule", "courses.change_creditrule", "courses.view_creditrule",
        "courses.add_creditconversion", "courses.change_creditconversion", "courses.view_creditconversion",
        "courses.add_creditpilot", "courses.change_creditpilot", "courses.view_creditpilot",
    ],
    "level1": _COURSE_STAFF,
    "level2": _COURSE_STAFF,
    # REP-3: leadership reads everything and changes nothing.
    "leadership": [
        "courses.view_course", "courses.view_courseclass", "courses.view_enrolment", "courses.view_place",
        "courses.view_teacher", "courses.view_certificate", "courses.view_classsession", "courses.view_attendance", "courses.view_courserevision", "courses.view_trainingrecord", "courses.view_creditentry",
    ],
    REVIEWER: ["courses.view_coursereview", "courses.change_coursereview", "courses.view_reviewcriterion"],
}
