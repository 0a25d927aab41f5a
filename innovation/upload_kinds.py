"""UPL-6: the innovation app's upload kinds, each in its own module; importing this registers them
(uploads autodiscovers `upload_kinds`)."""
from uploads.kinds import register

from .proposals.upload_kind import ProposalKind
from .upload_kinds_achievements import AchievementKind  # noqa: F401

register(ProposalKind)
