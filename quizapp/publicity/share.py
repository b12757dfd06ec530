"""WeChat share cards: a configurable hook, off by default.

Apps that read OpenGraph meta (``base.html``) need nothing more. WeChat's own share card
(title, description, image inside WeChat) needs its JS-SDK and a signature from an official
account (公众号), which this site does not hold. When the bureau has one, set:

- ``QUIZAPP_WECHAT_SHARE=1`` to turn the hook on;
- ``QUIZAPP_WECHAT_JSSDK_URL``: the JS-SDK script URL WeChat documents (``…/jweixin-1.6.0.js``);
- ``QUIZAPP_WECHAT_SIGNATURE_URL``: the official account's signing service; it receives
  ``?url=<page URL without #…>`` and answers JSON ``{"appId", "timestamp", "nonceStr", "signature"}``.

Every page then loads the SDK and ``static/wechat-share.js``, which signs the page and
hands the OpenGraph title, description and image to ``wx.updateAppMessageShareData``
and ``wx.updateTimelineShareData``; the Content-Security-Policy is widened to exactly
those two origins. With the hook off (the default) no script and no origin is added.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import Flask, current_app


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("https", "http") and parts.netloc else ""


def share_settings() -> dict | None:
    """Return ``{"jssdk_url", "signature_url"}`` when the hook is on and fully configured, else None."""
    config = current_app.config
    settings = {"jssdk_url": config.get("WECHAT_JSSDK_URL", ""), "signature_url": config.get("WECHAT_SIGNATURE_URL", "")}
    if not config.get("WECHAT_SHARE_ENABLED") or not all(_origin(url) for url in settings.values()):
        return None
    return settings


def widen_policy(policy: str, settings: dict) -> str:
    """Return the CSP *policy* with the SDK's origin added to ``script-src`` and the signer's to ``connect-src``."""
    directives = [part.strip() for part in policy.split(";") if part.strip()]
    additions = {"script-src": _origin(settings["jssdk_url"]), "connect-src": _origin(settings["signature_url"])}
    for name, origin in additions.items():
        for index, directive in enumerate(directives):
            if directive.split()[0] == name:
                directives[index] = f"{directive} {origin}"
                break
        else:
            directives.append(f"{name} 'self' {origin}")
    return "; ".join(directives)


def register(app: Flask) -> None:
    """Read the ``QUIZAPP_WECHAT_*`` settings (unless the config already has them) and install the hook."""
    app.config.setdefault("WECHAT_SHARE_ENABLED", os.environ.get("QUIZAPP_WECHAT_SHARE") == "1")
    app.config.setdefault("WECHAT_JSSDK_URL", os.environ.get("QUIZAPP_WECHAT_JSSDK_URL", ""))
    app.config.setdefault("WECHAT_SIGNATURE_URL", os.environ.get("QUIZAPP_WECHAT_SIGNATURE_URL", ""))

    @app.context_processor
    def wechat_share_context() -> dict:
        return {"wechat_share": share_settings()}

    @app.after_request
    def allow_wechat_origins(response):
        # registered before the security headers, so it runs after them and edits their policy
        settings = share_settings()
        policy = response.headers.get("Content-Security-Policy")
        if settings and policy:
            response.headers["Content-Security-Policy"] = widen_policy(policy, settings)
        return response
