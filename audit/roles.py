"""Item 16 of issue 6: staff read the change trail of their own subtree (scoped like every list)."""
AUDIT_VIEW = [
    "audit.view_workerevent", "audit.view_unitevent", "audit.view_courseevent", "audit.view_courseclassevent",
    "audit.view_enrolmentevent", "audit.view_trainingrecordevent", "audit.view_creditconversionevent",
]

ROLES = {"municipal": AUDIT_VIEW, "level1": AUDIT_VIEW, "level2": AUDIT_VIEW, "leadership": AUDIT_VIEW}
