"""Chinese for the msgids helper "coursework" introduced (issue 8, items: course revisions,
courseware player, activity cancellation and results, member resource requests)."""
ZH = {
    # Activity cancellation and results
    "score": "成绩",
    "score %(score)s": "成绩 %(score)s",
    "You have no registration for this activity that can be cancelled.": "您没有可以取消的本活动报名。",
    "This activity is over: its registration can no longer be cancelled.": "本活动已结束，报名不能再取消。",
    "Your registration for %(title)s was cancelled.": "您对“%(title)s”的报名已取消。",
    "My activity registrations": "我的活动报名",
    "Result": "结果",
    "Cancel your registration for this activity? Your place goes to others.": "确定取消本活动的报名吗？名额将让给其他职工。",
    "Cancel registration": "取消报名",
}
