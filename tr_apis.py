"""Chinese for the user-visible strings issue 7 items 4-6 added or changed (helper "apis").

None: the worker directory, the duplicate check and the new services reuse msgids already in the
catalogue ("This ID number is not among the workers of the units you manage; …", "The name differs
from the registry's name for this ID number", "A worker with this ID number is already registered;
if they changed units, their current unit transfers them."). The service's shorter "A worker with
this ID number is already registered." is no longer used; makemessages will mark it obsolete."""
ZH: dict[str, str] = {}
