ZH = {
    "about %(count)s": "约 %(count)s 条",
    "more than %(count)s": "超过 %(count)s 条",
}
