"""Chinese for the strings added or changed by the web hardening (issue 6, items 5, 12, 13, 15)."""
ZH = {
    "The address contains a NUL character.": "网址中含有空字符（NUL），无法处理。",
}
