"""The innovation app's upload kinds (UPL-6), one module per area; the uploads app registers them."""
from uploads.kinds import register

from .proposals.upload_kind import ProposalKind

register(ProposalKind)
