"""Logging filter: no resident ID number ever reaches a log line.

Log messages can carry request paths, usernames (a recipient logs in with their ID number)
and exception text. The filter masks anything shaped like an 18-character ID number
(17 digits and a digit or X) to its first 3 and last 4 characters, after formatting.
"""

from __future__ import annotations

import logging
import re

ID_PATTERN = re.compile(r"(?<![0-9])([1-9][0-9]{2})[0-9]{11}([0-9]{3}[0-9Xx])(?![0-9])")


def mask_id_numbers(text: str) -> str:
    return ID_PATTERN.sub(lambda m: m.group(1) + "*" * 11 + m.group(2), text)


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_id_numbers(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_id_numbers(record.exc_text)
        if masked != message:
            record.msg, record.args = masked, None
        return True
