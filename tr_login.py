"""Chinese for the strings added or changed by the log-in and account-claim work (issue 6, items 10-11)."""
ZH = {
    "Too many failed log-in attempts. Try again in 15 minutes, or ask your union to unlock your account.":
        "登录失败次数过多。请15分钟后再试，或请所在工会为您解除锁定。",
    "%(name)s is outside your units: not unlocked.": "%(name)s 不在您管辖的单位内，未解除锁定。",
    "Failed log-ins cleared for %(count)d accounts.": "已为 %(count)d 个账号清除登录失败记录。",
    "Unlock the log-in of the selected workers' accounts": "解除所选职工账号的登录锁定",
    "Unlock the log-in of the selected accounts": "解除所选账号的登录锁定",
    "Mobile number": "手机号码",
    "The mobile number your union registered for you. We send a code to it.": "工会为您登记的手机号码，验证码将发送到该号码。",
    "Code from the SMS": "短信验证码",
    "If the details match our records, a code has been sent to the mobile number. It is valid for 10 minutes.":
        "如果您填写的信息与登记信息一致，验证码已发送到该手机号码，10分钟内有效。",
    "Your account is ready. Your log-in name is %(username)s: write it down, you need it with your password.":
        "账号已开通。您的登录名是 %(username)s，请记下，登录时需与密码一起使用。",
    "The code is wrong or has expired. Ask for a new code if you need one.": "验证码错误或已过期，如有需要请重新获取验证码。",
    "Your registration code for the workers' learning portal is %(code)s. It is valid for 10 minutes. If you did not ask for it, ignore this message.":
        "您在职工学习平台的注册验证码为 %(code)s，10分钟内有效。如非本人操作，请忽略本短信。",
    "Your union has registered you. Give your name, ID number and mobile number as registered; we send a code to that mobile number.":
        "您的工会已为您登记。请填写登记时的姓名、身份证号码和手机号码，我们将向该手机号码发送验证码。",
    "Send me a code": "获取验证码",
    "Enter the code from the SMS and choose a password. We choose your log-in name and show it once your account is ready.":
        "请输入短信验证码并设置密码。登录名由系统分配，账号开通时显示。",
    "Make my account": "开通账号",
    "No code? Check your details and ask again.": "没有收到验证码？请核对信息后重新获取。",
}
