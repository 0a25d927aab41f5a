"""Chinese for the strings issue 7 item 1 (scoping by several owners) adds; the lead fills the
catalogue from it (bin/fill_translations.py)."""
ZH = {
    "unit at the time": "当时所在单位",
    "This training was recorded by the worker's former unit; only that unit may change it":
        "该培训记录由职工原所在单位登记，只能由原单位修改",
}
