"""Checks on short free text people type (names, 单位, display names, prize names).

Unicode categories (UAX #44): control (Cc), format (Cf — zero-width spaces, bidirectional
overrides such as U+202E), surrogates (Cs), private use (Co), unassigned (Cn) and line or
paragraph separators (Zl, Zp) never belong in a name: they hide it or reverse how it reads.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters refused in names and free-text 单位: markup and quoting, never part of a real name.
FORBIDDEN_TEXT = re.compile(r"[<>&\"'\\/\x00-\x1f\x7f]")
MAX_COMBINING_RUN = 2
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def normalise_text(text: str | None) -> str:
    """Return *text* NFC-normalised with surrounding whitespace removed ("" for None)."""
    return unicodedata.normalize("NFC", text or "").strip()


def normalise_newlines(text: str | None) -> str:
    """Return *text* with CRLF and lone CR turned into LF ("" for None).

    Browsers post a textarea's line breaks as CRLF (HTML, "textarea wrapping transformation");
    stored text uses LF, so an unchanged text compares equal and a blank line splits paragraphs.
    """
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def has_hidden_characters(text: str) -> bool:
    """Return whether *text* has an invisible or direction-changing character, or nothing visible.

    A leading combining mark (category Mn/Me) counts as hidden: it would attach to whatever
    the page prints before the name; so do more than two marks in a row (stacked "zalgo"
    text; real scripts such as Thai stack at most a vowel and a tone mark).
    """
    if any(unicodedata.category(ch) in HIDDEN_CATEGORIES for ch in text):
        return True
    if text and unicodedata.category(text[0]) in ("Mn", "Me"):
        return True
    run = 0
    for ch in text:
        run = run + 1 if unicodedata.category(ch) in ("Mn", "Me") else 0
        if run > MAX_COMBINING_RUN:
            return True
    return not any(not ch.isspace() and unicodedata.category(ch)[0] in "LNPS" for ch in text)
