"""The rewards service's validation messages (English, marshmallow's and its own) said in the
reader's language: the common ones are matched and translated with their numbers and names;
any other is shown as the service gave it."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

SAID = [
    (r"Must be greater than or equal to (?P<low>\S+) and less than or equal to (?P<high>\S+)\.",
     _l("Must be from %(low)s to %(high)s.")),
    (r"Must be greater than or equal to (?P<low>\S+)\.", _l("Must be at least %(low)s.")),
    (r"Must be less than or equal to (?P<high>\S+)\.", _l("Must be at most %(high)s.")),
    (r"Must be from (?P<low>\S+) to (?P<high>\S+)\.", _l("Must be from %(low)s to %(high)s.")),
    (r"Length must be between (?P<low>\d+) and (?P<high>\d+)\.",
     _l("Must have %(low)s to %(high)s characters or items.")),
    (r"Longer than maximum length (?P<high>\d+)\.", _l("At most %(high)s characters or items.")),
    (r"Shorter than minimum length (?P<low>\d+)\.", _l("At least %(low)s characters or items.")),
    (r"Missing data for required field\.", _l("Required.")),
    (r"Not a valid integer\.", _l("Must be a whole number.")),
    (r"Not a valid date\.", _l("Must be a date.")),
    (r"Not a valid string\.", _l("Must be text.")),
    (r"Must be one of: (?P<choices>.+)\.", _l("Must be one of: %(choices)s.")),
    (r"Unknown field\.", _l("Not a field of this part.")),
    (r"Unknown event type (?P<name>'[^']*')\.", _l("Unknown event type %(name)s.")),
    (r"Unknown category (?P<name>'[^']*')(: no rule uses it)?\.",
     _l("Unknown category %(name)s: no rule uses it.")),
    (r"At most two decimals\.", _l("At most two decimals.")),
    (r"Must not be before 'from'\.", _l("Must not be before the start date.")),
    (r"Give exactly one of event_type or category\.",
     _l("Give an event type or a category, not both.")),
    (r"Must be above the level before: list them lowest first\.",
     _l("Must be above the level before: list levels from the lowest.")),
    (r"Must be 1-32 characters: a-z first, then a-z, 0-9 or _\.",
     _l("Must be 1-32 characters: a-z first, then a-z, 0-9 or _.")),
    (r"Duplicate code: badge (?P<n>\d+) has it too\.",
     _l("The same code as badge %(n)s.")),
    (r"Contradicts (?P<what>cap|floor) (?P<n>\d+): same .+ and period\.",
     _l("The same target and period as row %(n)s above.")),
]  # fmt: skip
PATTERNS = [(re.compile(pattern + r"\Z"), message) for pattern, message in SAID]


def said(message: str) -> str:
    """``message`` in the reader's language when it is a known one, else as it came."""
    for pattern, translated in PATTERNS:
        found = pattern.match(message.strip())
        if found:
            values = found.groupdict()
            if "n" in values:  # rows are counted from 1 on the page
                values["n"] = str(int(values["n"]) + 1)
            return str(translated) % values
    return message
