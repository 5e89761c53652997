"""Parameters that change with the calendar: a :class:`Series` of values by year, and the
schedules every run starts with."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .vocabulary import Group, Year


class Series(Group):
    """A parameter that changes with the calendar: values by year, as steps or linear in between.

    Before the first year the first value holds; after the last, the last. Values apply from each
    1 January (the model reads parameters once a year).
    """
    series: dict[Year, float | bool] = Field(min_length=1, max_length=200, description="value by calendar year")
    interpolation: Literal["step", "linear"] = Field("step", description="step: hold each value until the "
                                                     "next year given; linear: straight line between them")

    def value(self, year: float):
        years = sorted(self.series)
        past = [y for y in years if y <= year]
        if not past:
            return self.series[years[0]]
        y0 = past[-1]
        later = [y for y in years if y > year]
        v0 = self.series[y0]
        if self.interpolation == "step" or not later or isinstance(v0, bool):
            return v0
        y1 = later[0]
        return v0 + (self.series[y1] - v0) * (year - y0) / (y1 - y0)


DEFAULT_SCHEDULES = {
    # the feeder grades' establishment follows the published workforce statistics (ESTABLISHMENT_SOURCE)
    "workforce.middle_managers": Series(series={2010: 24487, 2016: 20986, 2017: 21700, 2019: 22137, 2022: 23966,
                                                2024: 25500}, interpolation="linear"),
    "workforce.senior_managers": Series(series={2010: 11209, 2016: 9606, 2017: 10300, 2019: 10981, 2022: 12698,
                                                2024: 13500}, interpolation="linear"),
    "turnover.recycled_share": Series(series={1998: 0.3, 2024: 0.15}),
    # who enters: the workforce's ethnic mix (WRES indicator 1) and women among consultants (NHS Digital)
    "workforce.ethnic_minority_share": Series(series={2016: 0.177, 2017: 0.18, 2019: 0.197, 2021: 0.224, 2022: 0.242,
                                                      2023: 0.264, 2024: 0.286}, interpolation="linear"),
    "workforce.women_share.doctor": Series(series={2009: 0.30, 2017: 0.36}, interpolation="linear"),
}
