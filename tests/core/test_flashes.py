"""Both base templates (public and workspace) show flashed messages through the one ``_flashes.html``."""

from __future__ import annotations

import pytest
from flask import flash, render_template_string


@pytest.mark.parametrize("base", ["base.html", "workspace/base.html"])
def test_each_base_template_shows_each_flash_with_its_category(app, base):
    with app.test_request_context("/"):
        app.preprocess_request()  # the login manager's anonymous user, as in a request
        flash("已保存", "success")
        flash("页面已过期，请重试", "error")
        page = render_template_string(f'{{% extends "{base}" %}}{{% block content %}}<p id="body">正文</p>{{% endblock %}}')
    assert '<p class="flash flash-success" role="status">已保存</p>' in page
    assert '<p class="flash flash-error" role="status">页面已过期，请重试</p>' in page
    assert page.index("已保存") < page.index("页面已过期") < page.index('<p id="body">')
