"""The WeChat share-card hook: off by default; when configured, the SDK and signer are loaded and allowed by the CSP."""

from __future__ import annotations

SDK = "https://sdk.example.cn/jweixin-1.6.0.js"
SIGNER = "https://sign.example.cn/wechat/signature"


def test_off_by_default(client):
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert "wechat-share.js" not in page
    assert "sdk.example.cn" not in response.headers["Content-Security-Policy"]


def test_when_configured_pages_load_the_sdk_and_the_policy_allows_exactly_its_origins(app, client):
    app.config.update(WECHAT_SHARE_ENABLED=True, WECHAT_JSSDK_URL=SDK, WECHAT_SIGNATURE_URL=SIGNER)
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert f'<script src="{SDK}"></script>' in page and f'data-signature-url="{SIGNER}"' in page
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' https://sdk.example.cn" in policy
    assert "connect-src 'self' https://sign.example.cn" in policy


def test_an_incomplete_configuration_stays_off(app, client):
    app.config.update(WECHAT_SHARE_ENABLED=True, WECHAT_JSSDK_URL=SDK, WECHAT_SIGNATURE_URL="")
    assert "wechat-share.js" not in client.get("/").get_data(as_text=True)
