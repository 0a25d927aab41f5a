"""Chinese for the strings added or changed by the log-in and account-claim work (issue 6, items 10-11)."""
ZH = {
    "Too many failed log-in attempts. Try again in 15 minutes, or ask your union to unlock your account.":
        "登录失败次数过多。请15分钟后再试，或请所在工会为您解除锁定。",
    "%(name)s is outside your units: not unlocked.": "%(name)s 不在您管辖的单位内，未解除锁定。",
    "Failed log-ins cleared for %(count)d accounts.": "已为 %(count)d 个账号清除登录失败记录。",
    "Unlock the log-in of the selected workers' accounts": "解除所选职工账号的登录锁定",
    "Unlock the log-in of the selected accounts": "解除所选账号的登录锁定",
}
