"""What the upload pages allow each staff role (role keys as membership.roles declares them; uploads
names no group and imports no app)."""
ROLES = {
    "municipal": ["uploads.view_upload", "uploads.view_rejectedrowsreveal", "uploads.export_upload"],
    "level1": ["uploads.view_upload"],
    "level2": ["uploads.view_upload"],
    "leadership": ["uploads.view_upload"],
}
