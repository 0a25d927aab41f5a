"""Chinese for the msgids the integrate work introduced (the lead compiles them into locale/)."""
ZH = {
    "Adopted proposals": "已采纳的建议",
    "expired %(day)s": "已于 %(day)s 过期",
    "expired": "已过期",
    "No skill certificates.": "暂无技能证书。",
    "No proposals.": "暂无合理化建议。",
    "No innovation achievements.": "暂无创新成果。",
}
