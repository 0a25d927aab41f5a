"""Chinese for the strings added by the "uploads that recover" and "no city-wide upload lock"
work (issue 6, items 8 and 9); the lead fills locale/ from it with bin/fill_translations.py."""
ZH = {
    # uploads/models.py
    "claimed at": "认领时间",
    "last sign of life": "最近心跳",
    "attempts": "运行次数",
    # uploads/pipeline.py
    "Another upload was writing this record at the same moment, so this row was not written. "
    "Upload it again in a few minutes.": "另一份上传正在同时写入这条记录，本行未写入。请过几分钟后重新上传本行。",
    "The upload stopped the process running it %(count)d times, so it was not tried again.":
        "该上传已 %(count)d 次导致处理进程中断，不再自动重试。",
    # membership/upload_kinds.py
    "Another upload registered this worker while this one was being written; upload this row again to check it "
    "against the registry": "本次写入期间，另一份上传已登记该职工；请重新上传本行，与职工库重新比对",
    # uploads/services.py
    "The background worker could not be reached, so the upload was not started. Run it again in a few minutes.":
        "无法连接后台处理服务，上传未能开始。请过几分钟后重新开始。",
    "The process running this upload stopped before it finished (it was restarted or ran out of memory); the "
    "database undid its unfinished work. You can run it again.":
        "处理该上传的进程在完成前中断（被重启或内存不足），数据库已撤销未完成的写入。可以重新开始。",
    # uploads/admin.py
    "Only an upload that failed can be run again.": "只有失败的上传可以重新开始。",
    # templates/admin/uploads/preview.html
    "Run it again": "重新开始",
    "The page lost contact with the server. Reload it to see where the upload stands.":
        "页面与服务器失去联系，请刷新页面查看上传进度。",
}
