"""URL converters shared by every blueprint."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

#: The largest value of a PostgreSQL ``integer`` (and our primary keys).
MAX_ID = 2**31 - 1


def decimal_at_most(limit: int) -> str:
    r"""Return a regex (a non-capturing group) matching the unsigned decimals 0 … *limit*.

    Shorter numbers match any digits (leading zeros allowed, as ``int()`` reads them); a number
    with as many digits as *limit* matches when it is not larger, digit by digit: for 2147483647
    ``\d{1,9}|1\d{9}|20\d{8}|21[0-3]\d{7}|…|214748364[0-6]|2147483647`` (as a group).
    """
    digits = str(limit)
    width = len(digits)
    alternatives = [rf"\d{{1,{width - 1}}}"] if width > 1 else []
    for position, digit in enumerate(map(int, digits)):
        lowest = 1 if position == 0 and width > 1 else 0  # a full-width number does not start with 0
        if digit > lowest:
            rest = width - position - 1
            smaller = str(lowest) if digit - 1 == lowest else f"[{lowest}-{digit - 1}]"
            alternatives.append(digits[:position] + smaller + (rf"\d{{{rest}}}" if rest else ""))
    alternatives.append(digits)
    return "(?:" + "|".join(alternatives) + ")"


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` that only matches 0…2³¹−1, so a huge id is a 404, never a database overflow.

    The bound is in the regex, not only in ``max``: Werkzeug checks a rule's methods before its
    converters, so when the path matched a GET rule and the POST rule of the same path then
    failed ``max``, the answer was 405 instead of 404 (``POST /competitions/<2³¹>/start``,
    ``/attempts/<2³¹>/q/<n>`` and ``/attempts/<2³¹>/submit``). A number the regex refuses
    matches no rule at all, whatever the method.
    """

    def __init__(self, url_map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID, signed: bool = False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
        if max is not None and max >= 0 and not signed and not fixed_digits:
            self.regex = decimal_at_most(max)
