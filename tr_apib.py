"""Chinese for the msgids the API endpoints (issue 12) add; the lead merges them into locale/."""
ZH = {
    "A search by full ID number is not answered.": "不受理按完整身份证号的搜索。",
    "Revealing full ID numbers needs the reveal permission.": "查看完整身份证号需要“查看完整身份证号”权限。",
    "completed from": "完成日期自",
    "completed until": "完成日期至",
    "organiser": "主办单位",
    "unit code, with its subordinate units": "单位代码（含下级单位）",
}
