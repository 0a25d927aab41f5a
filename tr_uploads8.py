"""Chinese for the msgids issue 8's registry and upload-pipeline work introduced (helper uploads8)."""
ZH = {
    # uploads/pipeline.py, uploads/kinds.py
    "The cell is a formula whose result is the error %(error)s; correct the formula or type the value":
        "该单元格是公式，计算结果为错误值 %(error)s；请修正公式或直接填写数值",
    "The cell is a formula without a value: the file does not hold its result. Open the file in Excel or WPS "
    "and save it again, or paste the column as values":
        "该单元格是公式，文件中没有保存它的计算结果。请用 Excel 或 WPS 打开文件重新保存，或将该列“粘贴为数值”",
    "A text beginning with =, +, - or @ is run as a formula by spreadsheets; this column must not begin with one":
        "以 =、+、-、@ 开头的文字会被电子表格当作公式执行，本列不能以这些符号开头",
    "(empty)": "（空）",
    "%(header)s (may be left out)": "%(header)s（可省略）",
    "changes": "变更内容",
    # templates/admin/uploads/preview.html
    "Rows to be updated": "将要更新的行",
    "record": "记录",
    "before": "修改前",
    "after": "修改后",
    # membership: leavers
    "leaving date": "离会日期",
    "leaving reason": "离会原因",
    "A leaving date needs a leaving reason, and a reason needs a date.": "填写离会日期时须同时填写离会原因，反之亦然。",
    "A leaving date needs a leaving reason: 离职、退休 or 其他": "有离会日期时须填写离会原因：离职、退休或其他",
    "A leaving reason needs a leaving date": "有离会原因时须填写离会日期",
    "Write one of 离职、退休、其他": "请填写 离职、退休、其他 之一",
    "on the roll": "在册情况",
    "Current workers": "在册职工",
    "Leavers": "已离会职工",
    "All": "全部",
    # membership: transfers
    "effective date": "生效日期",
    "release date": "调出日期",
    "released by": "调出经办人",
    "recorded at": "登记时间",
    "taken in at": "调入时间",
    "transfer date": "调动日期",
    "transfer out (调出)": "调出",
    "When the unit is changed: the day the move takes effect (today if empty).": "更改所在单位时：调动生效的日期（不填为今天）。",
    "The day the worker leaves this unit.": "职工离开本单位的日期。",
    "The day the move takes effect (the release date if empty).": "调动生效的日期（不填时取调出日期）。",
    "Release (调出)…": "办理调出…",
    "Cancel the release…": "撤销调出…",
    "Released from %(date)s; waiting for the receiving unit": "已于 %(date)s 调出，等待调入单位接收",
    "Release (调出) a worker": "办理职工调出",
    "Take in a released worker (调入)": "接收调入职工",
    "The release of %(name)s was cancelled.": "已撤销 %(name)s 的调出。",
    "%(name)s was released; an officer of the receiving unit can now take them in.":
        "%(name)s 已调出；调入单位的工作人员现在可以办理接收。",
    "%(name)s was taken in.": "已接收 %(name)s 调入。",
    "The transfer date lies in the future": "调动日期晚于今天",
    "The release date lies in the future": "调出日期晚于今天",
    "The transfer date is before the worker's last transfer (%(date)s)": "调动日期早于该职工上一次调动的日期（%(date)s）",
    "The transfer date is before the release date (%(date)s)": "调动日期早于调出日期（%(date)s）",
    "This worker has already been released.": "该职工已办理调出。",
    "No worker with this ID number and name has been released by their unit; their unit must release (调出) them first":
        "没有与该身份证号和姓名相符且已办理调出的职工；须先由其所在单位办理调出",
    "The worker already belongs to this unit": "该职工已在此单位",
    # templates/admin/membership/worker/release.html, take_in.html
    "%(name)s was released from %(date)s and waits for the receiving unit to take them in. Cancel the release?":
        "%(name)s 已于 %(date)s 调出，正等待调入单位接收。要撤销调出吗？",
    "Cancel the release": "撤销调出",
    "Back": "返回",
    "Release %(name)s (调出): the worker stays on your unit's roll until an officer of the receiving unit takes them "
    "in with their ID number.": "为 %(name)s 办理调出：在调入单位的工作人员凭身份证号办理接收之前，该职工仍在本单位名册中。",
    "Release": "调出",
    "A worker whose unit has released them (调出) joins one of your units. Give their full ID number and their name "
    "as registered; a roster upload with their new unit code does the same.":
        "已由原单位办理调出的职工调入本单位。请填写其完整身份证号和登记的姓名；在职工花名册中填写新的单位代码上传，效果相同。",
    "Take in": "接收调入",
}
