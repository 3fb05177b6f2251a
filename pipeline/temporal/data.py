"""Schema of `lang/<code>/temporal.yaml` and the language-neutral meaning of its canonical keys.

Each language file maps canonical keys (`hour`, `about`, `few_hours`, `monday`, ...) to the
surface forms of that language, as dateparser's supplementary language data does. The
values those keys stand for (seconds per unit, the range a vague duration covers, the
offset of `yesterday`) are the same in every language, so they live here, once.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

UnitKey = Literal["second", "minute", "hour", "day", "week", "month", "year"]
ApproxKey = Literal["about", "nearly", "up_to", "more_than", "at_least", "less_than"]
VagueKey = Literal[
    "few_seconds",
    "few_minutes",
    "few_hours",
    "hours",
    "all_day",
    "all_night",
    "several_days",
    "several_weeks",
    "several_months",
]
MonthKey = Literal[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
WeekdayKey = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
RelativeDayKey = Literal["today", "yesterday", "day_before_yesterday", "tomorrow", "last_night"]
HolidayKey = Annotated[str, StringConstraints(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")]
PeriodKey = Literal["last_week", "this_week_earlier", "this_week", "last_month", "this_month", "last_year"]
DayPeriodKey = Literal["am", "pm", "midday", "night"]
SenseKey = Literal["weekday", "unit", "month", "none"]

UNIT_SECONDS: dict[str, int] = {
    "second": 1,
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "week": 604800,
    "month": 2592000,
    "year": 31536000,
}
"""Seconds per canonical unit (a month is 30 days, a year 365 days)."""

VAGUE_RANGES: dict[str, tuple[float, float, float]] = {
    # (seconds, min_seconds, max_seconds); these conventions are shared with the gold corpora.
    "few_seconds": (10, 2, 60),
    "few_minutes": (300, 120, 600),
    "few_hours": (10800, 7200, 32400),
    "hours": (10800, 7200, 43200),
    "all_day": (43200, 28800, 86400),
    "all_night": (28800, 14400, 43200),
    "several_days": (259200, 172800, 604800),
    "several_weeks": (1814400, 1209600, 3628800),
    "several_months": (7776000, 5184000, 15552000),
}

APPROX_BOUND: dict[str, str | None] = {
    # Which bound the stated number is: "more than N" makes N the minimum, "less than N" the
    # maximum; the other cues make N an approximate value without a bound.
    "about": None,
    "nearly": None,
    "up_to": None,
    "more_than": "min",
    "at_least": "min",
    "less_than": "max",
}

VULGAR_FRACTIONS: dict[str, float] = {"1/2": 0.5, "½": 0.5, "1/4": 0.25, "¼": 0.25, "3/4": 0.75, "¾": 0.75}
"""Fractions written after a whole number in any language ("4 1/2 hours", "2½ jam")."""

MONTH_NUMBERS: dict[str, int] = {
    key: i + 1
    for i, key in enumerate(MonthKey.__args__)  # type: ignore[attr-defined]
}
WEEKDAY_NUMBERS: dict[str, int] = {
    key: i
    for i, key in enumerate(WeekdayKey.__args__)  # type: ignore[attr-defined]
}
RELATIVE_DAY_OFFSETS: dict[str, int] = {
    "today": 0,
    "yesterday": -1,
    "day_before_yesterday": -2,
    "tomorrow": 1,
    "last_night": -1,
}


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SenseRule(_Data):
    """One context rule that picks a sense for an ambiguous word; every condition given must hold."""

    sense: SenseKey
    prev_number: bool = Field(default=False, description="A number (digits or word) comes right before.")
    prev_words: list[str] = Field(default_factory=list, description="The previous word is one of these.")
    next_words: list[str] = Field(default_factory=list, description="The next word is one of these.")
    next_date: bool = Field(default=False, description="A numeric or written date follows.")
    capitalized_mid_sentence: bool = Field(default=False, description="Capitalised and not sentence-initial.")
    capitalized: bool = Field(default=False, description="Capitalised anywhere.")


class Ambiguity(_Data):
    """A word with several temporal senses (Indonesian `minggu`: Sunday or week)."""

    senses: dict[SenseKey, str] = Field(description="Sense -> canonical key in that sense's table.")
    rules: list[SenseRule]
    default: SenseKey


class ClockPrefixes(_Data):
    """Words that introduce a clock time; a strong one makes a bare hour a time ("pukul 7")."""

    strong: list[str] = Field(default_factory=list)
    weak: list[str] = Field(default_factory=list)


class IntervalWords(_Data):
    """Words that open and join the two ends of an interval."""

    openers: list[str]
    connectors: list[str]
    between_openers: list[str]
    between_connectors: list[str]


class DayOfMonth(_Data):
    """A day of the month named without its month ("the 19th", "tanggal 19")."""

    prefixes: list[str] = Field(default_factory=list, description="Words before the day: the, tanggal.")
    ordinal: bool = Field(default=False, description="Whether the day needs an ordinal suffix ('the 19th').")
    excluded_next: list[str] = Field(default_factory=list, description="Words after that make it no day: century.")


class PastWeekday(_Data):
    """Words that make a weekday the most recent one before publication ("Senin lalu", "last Monday")."""

    prefixes: list[str] = Field(default_factory=list)
    suffixes: list[str] = Field(default_factory=list)
    week_suffixes: list[str] = Field(default_factory=list, description="'Kamis pekan lalu': that day last week.")


class ToldWeekday(_Data):
    """Words that make a weekday one the text has dated already ("that Thursday", "Kamis itu")."""

    prefixes: list[str] = Field(default_factory=list)
    suffixes: list[str] = Field(default_factory=list)


class TemporalData(_Data):
    """Schema of `lang/<code>/temporal.yaml`: surface forms for each canonical temporal key."""

    date_order: Literal["dmy", "mdy"] = Field(description="Order of an ambiguous numeric date such as 05/10/2025.")
    numbers: dict[str, float] = Field(description="Number words -> values (setengah 0.5, a couple of 2).")
    number_multipliers: dict[str, float] = Field(default_factory=dict, description="puluh 10, hundred 100.")
    number_adders: dict[str, float] = Field(default_factory=dict, description="belas: empat belas = 4 + 10.")
    number_joiners: list[str] = Field(default_factory=list, description="Words inside a number: 'and'.")
    fractions: dict[str, float] = Field(default_factory=dict, description="Added to a preceding number.")
    article_numbers: dict[str, float] = Field(default_factory=dict, description="'a'/'an' before a unit.")
    article_units_excluded: list[UnitKey] = Field(default_factory=list, description="'a second' is no duration.")
    plural_unit_forms: list[str] = Field(default_factory=list, description="Unit words an article cannot count.")
    unit_fraction_suffixes: dict[str, float] = Field(default_factory=dict, description="'an hour and a half'.")
    units: dict[UnitKey, list[str]]
    unit_abbreviations: dict[UnitKey, list[str]] = Field(default_factory=dict, description="Only after digits.")
    fused_units: dict[UnitKey, list[str]] = Field(default_factory=dict, description="One unit in a word: sejam.")
    adjective_suffixes: list[str] = Field(default_factory=list, description="'-long' in 'a 14-hour-long outage'.")
    approximation: dict[ApproxKey, list[str]]
    approximation_suffixes: dict[ApproxKey, list[str]] = Field(default_factory=dict)
    vague_durations: dict[VagueKey, list[str]]
    vague_needing_cue: list[str] = Field(
        default_factory=list,
        description="Vague lengths that also say when ('stopped working overnight'): a length only after a cue.",
    )
    range_connectors: list[str]
    ago: list[str]
    months: dict[MonthKey, list[str]]
    weekdays: dict[WeekdayKey, list[str]]
    relative_days: dict[RelativeDayKey, list[str]]
    relative_periods: dict[PeriodKey, list[str]]
    holidays: dict[HolidayKey, list[str]] = Field(
        default_factory=dict,
        description="Days named by a fixed-date holiday, by month and day: '12-24': [christmas eve].",
    )
    past_weekday: PastWeekday
    told_weekday: ToldWeekday = Field(default_factory=ToldWeekday)
    generic_weekday: list[str] = Field(
        default_factory=list,
        description="Words before a weekday that make it any such day, not a date: 'on a Sunday', 'every Monday'.",
    )
    ordinal_suffixes: list[str] = Field(default_factory=list)
    day_of_month: DayOfMonth = Field(default_factory=DayOfMonth)
    day_month_joiners: list[str] = Field(default_factory=list, description="'of' in 'the 20th of October'.")
    month_prepositions: list[str] = Field(
        default_factory=list, description="Words before a month named alone: 'in February', 'sejak Maret'."
    )
    timezones: dict[str, float | str] = Field(description="Zone name -> UTC offset in hours, or an IANA zone.")
    clock_prefixes: ClockPrefixes
    day_periods: dict[DayPeriodKey, list[str]]
    clock_words: dict[str, list[str]] = Field(default_factory=dict, description="'HH:MM' -> words (noon).")
    date_clock_joiners: list[str] = Field(description="Words allowed between a date and its clock time.")
    conversion_joiners: list[str] = Field(
        default_factory=list, description="'or' in '14.22 PST, or 05.22 WIB': the same instant in another zone."
    )
    clock_qualifiers: list[str] = Field(
        default_factory=list,
        description="Words after a clock time that name its zone without an offset ('local time', "
        "'{name} time': 'Tokyo time'); they, and a conversion in brackets, may stand between it and its date.",
    )
    interval: IntervalWords
    ambiguous: dict[str, Ambiguity] = Field(default_factory=dict)
    outage_context: list[str] = Field(description="Outage words: a time expression near one is the incident's.")
    duration_context: list[str] = Field(description="Words that introduce how long something lasted.")
    total_context: list[str] = Field(
        default_factory=list, description="Words that introduce a whole length ('lasted', 'a total of'), not a phase."
    )
    non_outage_context: list[str] = Field(description="Words that make a duration not the outage's (meeting).")
    start_context: list[str]
    end_context: list[str]
    forecast_context: list[str] = Field(
        default_factory=list,
        description="Words right before a length that make it a forecast ('could take several days'), no length.",
    )
    end_prepositions: list[str] = Field(
        default_factory=list,
        description="End words that only lead into their date ('until Monday'): after a date they end nothing.",
    )
    resolution_context: list[str] = Field(
        default_factory=list,
        description="'restored ... 90 minutes later': a length after one, before an offset word, runs from the start.",
    )
    other_incident_context: list[str] = Field(
        default_factory=list, description="'a similar outage on August 20th': a time of another incident."
    )
    report_context: list[str] = Field(default_factory=list, description="'said on Monday': when it was reported.")
    complementizers: list[str] = Field(
        default_factory=list, description="'that' in 'told a panel on Wednesday that ...': what was said follows."
    )
    offset_after: list[str] = Field(default_factory=list, description="'two hours after': an offset, no length.")
    repeat_context: list[str] = Field(
        default_factory=list, description="'and again' before an interval: another window of the same outage."
    )
