"""Chinese for the strings the credits helper added (issue 8, credit bank); the lead fills the catalogue."""
ZH = {
    "My enrolments": "我的报名",
}
