"""Staff accounts: login, roles (admin, editor, reviewer), throttling and user management."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/staff", template_folder="templates")

#: The staff roles; a person may hold several.
ROLES = ("admin", "editor", "reviewer")
ROLE_LABELS = {"admin": "管理员", "editor": "编辑", "reviewer": "审核员"}
