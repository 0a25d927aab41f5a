"""Chinese for the msgids added by the issue 6 review fixes (the lead fills locale/ from this)."""
ZH = {
    "The cell holds an invisible control character (such as NUL) that cannot be saved; type the cell again":
        "该单元格含有无法保存的不可见控制字符（如 NUL），请重新输入该单元格",
    "queued at": "排队时间",
}
