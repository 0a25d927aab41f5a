"""Chinese for the strings added or changed by the privacy work (MEM-4, UPL); the lead fills the
catalogue from it with bin/fill_translations.py."""
ZH = {
    "birth years": "出生年份段",
}
