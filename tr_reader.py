"""Chinese for the strings added by the reader helper (issue 6, items 6 and 7)."""
ZH = {
    "Row %(row)d is larger than a row of an upload may be (%(max)d characters). Delete what does not "
    "belong to the roster, or look for a quotation mark that is never closed.":
        "第 %(row)d 行超过上传表格一行允许的大小（%(max)d 个字符）。请删除与名册无关的内容，或检查是否有未闭合的引号。",
    "The file has a cell of more than %(max)d characters, more than a spreadsheet cell holds. Shorten it.":
        "文件中有单元格超过 %(max)d 个字符，超出电子表格单元格的容量。请缩短其内容。",
    "Row %(row)d has a cell of more than %(max)d characters, more than a spreadsheet cell holds. Shorten it, "
    "or look for a quotation mark that is never closed.":
        "第 %(row)d 行有单元格超过 %(max)d 个字符，超出电子表格单元格的容量。请缩短其内容，或检查是否有未闭合的引号。",
    "The file is larger than %(limit)d MB, the most this page accepts; nothing of it was kept.":
        "文件大于 %(limit)d MB，超出本页面允许的上限；文件未被保存。",
    "The file holds more distinct texts than an upload may (%(max)d, or their length in all). "
    "Split it into smaller files.":
        "文件中不同文本的数量（或总长度）超出上传允许的上限（%(max)d 个）。请拆分为较小的文件。",
}
