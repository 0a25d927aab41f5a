"""Chinese for the strings issue 8's "no dead ends, no English" part adds (the lead fills locale/ from it)."""
ZH = {
    "Back to the course menu": "返回课程菜单",
    "Back to the administration": "返回管理首页",
    "Back to the log-in": "返回登录",
    "Server error": "服务器错误",
    "Something went wrong on our side. The error has been recorded; please try again in a few minutes.":
        "系统出现错误，已记录在案，请几分钟后再试。",
    "Access denied": "无权访问",
    "Your account may not open this page. If you think it should, ask your union.":
        "您的账号无权打开此页面。如认为应有权限，请联系所在工会。",
    "Page not found": "页面不存在",
    "The page you asked for does not exist or has moved.": "您要访问的页面不存在或已移动。",
    "Login security": "登录安全",
    "Change history": "变更历史",
    "position in the unit tree": "在单位树中的位置",
    "Can add %(model)s": "可以增加%(model)s",
    "Can change %(model)s": "可以修改%(model)s",
    "Can delete %(model)s": "可以删除%(model)s",
    "Can view %(model)s": "可以查看%(model)s",
    "context": "上下文",
    "events": "事件",
    "middleware events": "中间件事件",
    "Select all": "全选",
    # Django 5.2 strings its zh_Hans catalogue lacks (portal/third_party_strings.py).
    "Model name": "模型名称",
    "Add link": "增加链接",
    "Change or view list link": "修改或查看列表链接",
    "After you’ve created a user, you’ll be able to edit more user options.": "创建用户后，您可以编辑更多用户选项。",
    "Error:": "错误：",
    "Forgotten your login credentials?": "忘记了您的登录信息？",
    "In case you’ve forgotten, you are:": "提醒一下，您是：",
    "%(model)s instance with %(field)s %(value)r is not a valid choice.": "%(field)s 为 %(value)r 的%(model)s不是有效的选项。",
    "Account locked: too many login attempts. Please try again later.": "账号已锁定：登录失败次数过多，请稍后再试。",
    "Account locked: too many login attempts. Contact an admin to unlock your account.":
        "账号已锁定：登录失败次数过多，请联系管理员解锁。",
    # A plural msgid (msgid_plural "…at least %d characters."); zh_Hans has one form, msgstr[0].
    "This password is too short. It must contain at least %d character.": "密码太短，至少需要包含 %d 个字符。",
}

# The admin's JavaScript (domain djangojs: the selector widgets' "Choose all %s" etc.), which
# Django 5.2's zh_Hans djangojs catalogue lacks. They belong in a new locale/zh_Hans/LC_MESSAGES/
# djangojs.po (header Plural-Forms: nplurals=1; plural=0;): the admin's jsi18n view, a
# JavaScriptCatalog of django.contrib.admin, merges LOCALE_PATHS catalogues of its domain, and
# compile_catalogs already compiles every *.po there.
ZH_JS = {
    'Choose %s by selecting them and then select the "Choose" arrow button.': "选择%s，然后点击“选择”箭头按钮。",
    "Choose all %s": "全选%s",
    "Choose selected %s": "选择所选%s",
    "Remove selected %s": "删除所选%s",
    'Remove %s by selecting them and then select the "Remove" arrow button.': "选中要删除的%s，然后点击“删除”箭头按钮。",
    "(click to clear)": "（点击清除）",
    "Remove all %s": "删除全部%s",
}
