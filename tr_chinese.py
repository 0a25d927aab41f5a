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
}
