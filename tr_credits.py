"""Chinese for the strings the credits helper added (issue 8, credit bank); the lead fills the catalogue."""
ZH = {
    "My enrolments": "我的报名",
    "issued at": "开具时间",
    "content digest": "内容摘要",
    "issued transcript": "已开具的学习档案",
    "issued transcripts": "已开具的学习档案",
    "Verification code %(code)s: check it at %(url)s": "验证码 %(code)s，可在 %(url)s 查验",
    "Valid: a lifelong learning record of %(name)s, issued %(date)s.": "有效：%(name)s 的终身学习档案，开具于 %(date)s。",
    "The PDF carries a verification code that anyone can check:": "PDF 档案附有验证码，任何人均可查验：",
    "Check a certificate or transcript": "证书与学习档案查验",
}
