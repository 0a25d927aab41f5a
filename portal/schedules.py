"""A crontab schedule described in the user's language (REP-1: staff read when the nightly run happens).

django-celery-beat's ``human_readable`` is always English; cron_descriptor has a Chinese catalogue
but leaves weekday and month names in English, so those are mapped here."""
from __future__ import annotations

from cron_descriptor import (
    ExpressionDescriptor,
    FormatException,
    MissingFieldException,
    Options,
    WrongArgumentException,
)
from django.utils.translation import get_language

WEEKDAYS_ZH = dict(zip(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
                       ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]))
MONTHS_ZH = dict(zip(["January", "February", "March", "April", "May", "June", "July", "August", "September",
                      "October", "November", "December"], [f"{n}月" for n in range(1, 13)]))


def crontab_text(crontab) -> str:
    """``0 2 * * *`` in Asia/Shanghai → "在 02:00（Asia/Shanghai）" or "At 02:00 (Asia/Shanghai)"."""
    expression = " ".join([crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year,
                           crontab.day_of_week])
    chinese = (get_language() or "zh-hans").lower().startswith("zh")
    options = Options()
    options.locale_code = "zh_CN" if chinese else "en_US"
    options.use_24hour_time_format = True
    try:
        text = ExpressionDescriptor(expression, options).get_description()
    except (FormatException, MissingFieldException, WrongArgumentException):
        text = expression
    if chinese:
        for english, zh in (WEEKDAYS_ZH | MONTHS_ZH).items():
            text = text.replace(english, zh)
        return f"{text}（{crontab.timezone}）"
    return f"{text} ({crontab.timezone})"
