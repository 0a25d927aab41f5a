"""Chinese for the msgids the API infrastructure (issue 12: tokens admin, bulk endpoints) adds."""
ZH = {
    "Revoke the selected tokens": "吊销所选令牌",
    "%(count)d tokens were revoked.": "已吊销 %(count)d 个令牌。",
    "Revoke API tokens": "吊销数据接口令牌",
    "The token %(token)s was revoked.": "令牌 %(token)s 已吊销。",
    "The token's key": "令牌密钥",
    "The token for %(name)s (%(unit)s, %(role)s) has been made.": "已为 %(name)s（%(unit)s，%(role)s）创建令牌。",
    "Copy the key now and hand it to the system's administrator: it is shown only on this page and never again. "
    "The portal keeps only a hash of it; if the key is lost, revoke the token and make a new one.":
        "请现在复制密钥并交给该系统的管理员：密钥只在本页显示这一次，以后不会再显示。门户只保存密钥的哈希值；"
        "密钥丢失时，请吊销该令牌并重新创建。",
    "Key": "密钥",
    "The system sends it in every request's header:": "系统在每个请求的请求头中发送：",
    "Go to the token": "查看该令牌",
    "API documentation": "接口文档",
    "These tokens will stop working at once. Systems that use them will be refused until they are given a new "
    "token. This cannot be undone.": "这些令牌将立即失效，使用它们的系统在拿到新令牌之前都会被拒绝。此操作无法撤销。",
    "Yes, revoke": "确定吊销",
    "No, take me back": "不，返回",
    "No active token was selected.": "没有选中有效的令牌。",
    "Back to the tokens": "返回令牌列表",
    "Revoke this token": "吊销此令牌",
    "Each row must be an object of column name and value.": "每一行须是由列名和值组成的对象。",
    "Unknown columns %(columns)s; the columns are %(headers)s.": "未知的列：%(columns)s；可用的列为：%(headers)s。",
    "A value must be text, a number, true/false or null.": "值须为文本、数字、true/false 或 null。",
    "Send at least one row.": "请至少发送一行。",
    "Send at most %(count)d rows in one request; split the rest into further requests.":
        "每次请求最多 %(count)d 行，其余的请分成多次请求发送。",
    "rows of the sheet": "表格各行",
    "commit": "写入",
}
