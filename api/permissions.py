from rest_framework.permissions import DjangoModelPermissions


class ModelPermissions(DjangoModelPermissions):
    """The role's model permissions, as in the admin: reading needs ``view_<model>`` too."""

    perms_map = {**DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"],
                 "HEAD": ["%(app_label)s.view_%(model_name)s"], "OPTIONS": []}

    def _queryset(self, view):
        # Only the model is read from it. DRF asks the view for its scoped queryset (the scope's
        # filter built, then built again by the view): the declared queryset's model is the same
        # (scoping filters, never changes the model: tests/api/test_permissions_model.py).
        declared = getattr(view, "queryset", None)
        if declared is not None:
            return declared
        return super()._queryset(view)
