"""Chinese for the strings issue 7 item 3 (each app its own public pages) added or changed.

None: the pages moved with their strings unchanged (the certificate check keeps its title
"Check a certificate"; only its address and URL name changed)."""
ZH: dict[str, str] = {}
