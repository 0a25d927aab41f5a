"""Issue 12: what each staff role may do with API tokens (role keys as membership.roles declares
them). Staff of every level make and revoke tokens for their own subtree (api.services.token_check
keeps a token's role at or below its maker's); leadership reads the list and changes nothing."""
_MANAGE = ["api.view_apitoken", "api.add_apitoken", "api.change_apitoken"]

ROLES = {
    "municipal": list(_MANAGE),
    "level1": list(_MANAGE),
    "level2": list(_MANAGE),
    "leadership": ["api.view_apitoken"],
}
