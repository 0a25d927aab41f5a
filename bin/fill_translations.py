"""Developer tool: after `manage.py makemessages -l zh_Hans -l en`, fill zh_Hans msgstr from a
dict file (msgid -> Chinese) and report what is still untranslated.
Usage: python bin/fill_translations.py path/to/dict.py"""
import runpy
import sys

import polib

table = runpy.run_path(sys.argv[1])["ZH"]
po = polib.pofile("locale/zh_Hans/LC_MESSAGES/django.po")
for entry in po:
    if entry.msgid in table:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: table[entry.msgid]}  # Chinese has one plural form
        else:
            entry.msgstr = table[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    elif "fuzzy" in entry.flags:
        # makemessages guesses from similar strings: a guess is worse than the English source.
        entry.msgstr = ""
        entry.msgstr_plural = {0: ""} if entry.msgid_plural else {}
        entry.flags.remove("fuzzy")
po.save()
missing = [e.msgid for e in po if not e.obsolete and not (e.msgstr or any(e.msgstr_plural.values()))]
print(f"{len(po) - len(missing)}/{len(po)} translated")
for msgid in missing:
    print("  missing:", msgid)
