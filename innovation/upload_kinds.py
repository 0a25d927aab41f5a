"""UPL-6: the innovation app's upload kinds, each in its own module; importing this registers them
(uploads autodiscovers `upload_kinds`)."""
from .upload_kinds_achievements import AchievementKind  # noqa: F401
