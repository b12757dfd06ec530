"""Static assets: versioned URLs and cache headers.

Every ``url_for("static", filename=…)`` gets ``?v=<first 12 hex digits of the file's SHA-256>``.
A request whose ``v`` matches the file as it is now is answered with
``Cache-Control: public, max-age=31536000, immutable`` (a new deploy changes the hash and so the
URL); any other request (no ``v``, an old ``v``) gets the short ``SEND_FILE_MAX_AGE_DEFAULT``
(300 s). Flask's ``send_file`` adds the ETag and answers ``If-None-Match`` with 304 either way.
nginx may serve ``/static/`` itself with the same headers (see docs/deploy.md).
"""

from __future__ import annotations

import hashlib
import os

from flask import Flask, request

#: One year, the longest lifetime caches honour (RFC 9111 §5.2.2.1; ``immutable``: RFC 8246).
VERSIONED_MAX_AGE_S = 365 * 24 * 3600
VERSION_ARG = "v"


class AssetVersions:
    """Content hashes of the files of one static folder, recomputed when a file's mtime changes."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._known: dict[str, tuple[float, str]] = {}

    def version(self, filename: str) -> str | None:
        """Return the 12-hex-digit SHA-256 prefix of *filename* (relative to the folder), or None if it is missing."""
        path = os.path.join(self.folder, filename)
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            return None
        known = self._known.get(filename)
        if known is not None and known[0] == mtime:
            return known[1]
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()[:12]
        self._known[filename] = (mtime, digest)
        return digest


def register(app: Flask) -> None:
    """Add ``?v=<hash>`` to static URLs and long-lived cache headers to matching responses."""
    if not app.static_folder:
        return
    versions = AssetVersions(app.static_folder)

    @app.url_defaults
    def add_asset_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and VERSION_ARG not in values and "filename" in values:
            digest = versions.version(values["filename"])
            if digest:
                values[VERSION_ARG] = digest

    @app.after_request
    def cache_versioned_assets(response):
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        wanted = request.args.get(VERSION_ARG)
        filename = (request.view_args or {}).get("filename")
        if wanted and filename and wanted == versions.version(filename):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = VERSIONED_MAX_AGE_S
            response.cache_control.immutable = True
            response.expires = None
        return response
