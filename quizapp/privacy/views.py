"""The personal-information rules page (个人信息保护规则)."""

from flask import render_template

from quizapp.privacy import bp


@bp.get("/privacy")
def rules():
    """Show how the site collects, uses, keeps and erases personal information."""
    return render_template("privacy/rules.html")
