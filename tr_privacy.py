"""Chinese for the strings added or changed by the privacy work (MEM-4, UPL); the lead fills the
catalogue from it with bin/fill_translations.py."""
ZH = {
    "birth years": "出生年份段",
    "Adding a worker": "新增职工",
    "Worker roster upload": "职工花名册上传",
    "Search by full ID number": "按完整身份证号查找",
    "asked at": "查询时间",
    "asked through": "查询途径",
    "answered": "已答复",
    "ID number lookup": "身份证号登记查询",
    "ID number lookups": "身份证号登记查询",
    "You have had today's allowance of answers about ID numbers outside your units; no more are given today. Municipal staff can help if you need more.":
        "您今天查询管辖范围以外身份证号登记情况的次数已用完，今天不再答复此类查询；如确有需要，请联系市总工会工作人员。",
    "A search by full ID number in the address is not answered; use the form “Find by full ID number” above the list.":
        "不受理在网址中按完整身份证号查找；请使用列表上方的“按完整身份证号查找”表单。",
    "Find by full ID number": "按完整身份证号查找",
    "Find": "查找",
    "Each search by a full ID number is recorded and counts against your daily allowance.":
        "每次按完整身份证号查找都会被记录，并计入您当天的查询次数。",
    "rejected rows reveal": "未通过行完整身份证号查看",
    "rejected rows reveals": "未通过行完整身份证号查看记录",
    "This ID number is not among the workers of the units you manage; upload them in the worker roster first":
        "该身份证号不在您管辖单位的职工中；请先通过职工花名册上传该职工",
}
