"""What training offers the public portal: open courses as frozen dataclasses (no personal data).

The portal (``cms``) calls only this module of training.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from training import selectors as _selectors


@dataclass(frozen=True)
class PublicCourse:
    """An upcoming course with places left. ``occupation`` may be empty; ``course_type_label``
    is in the active language."""

    id: int
    title: str
    course_type_label: str
    occupation: str
    provider: str
    region_code: str
    region_name: str
    place: str
    starts_on: dt.date
    ends_on: dt.date | None
    capacity: int
    places_left: int
    description: str


def open_courses(region_code: str | None = None, as_of: dt.date | None = None, limit: int = 50) -> list[PublicCourse]:
    """Upcoming open courses held in, inside or above ``region_code`` (see
    ``training.selectors.open_courses``), soonest first; [] for an unknown region."""
    rows = _selectors.open_courses(region_code=region_code, as_of=as_of)[:limit]
    return [
        PublicCourse(
            id=row["id"],
            title=row["title"],
            course_type_label=row["course_type_label"],
            occupation=row["occupation"] or "",
            provider=row["provider"],
            region_code=row["region_code"],
            region_name=row["region_name"],
            place=row["place"] or "",
            starts_on=row["starts_on"],
            ends_on=row["ends_on"],
            capacity=row["capacity"],
            places_left=row["places_left"],
            description=row["description"] or "",
        )
        for row in rows
    ]
