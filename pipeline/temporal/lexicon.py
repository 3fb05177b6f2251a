"""One language's temporal vocabulary, compiled once: surface -> canonical lookups and regexes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from pipeline.lang.loader import LANG_DIR, load_lang_file
from pipeline.temporal.data import Ambiguity, TemporalData

FLAGS = re.IGNORECASE | re.UNICODE
DIGITS = r"\d+(?:[.,]\d+)?"
SPACE = re.compile(r"\s+")


REPORT_BEFORE, REPORT_AFTER = 15, 12
"""Characters before and after a date in which a reporting verb (`report_context`) makes it the day of a
statement ("said on Monday")."""
HISTORY = dt.timedelta(days=60)
"""A date this much older than the document's latest date is background, not the incident."""


def norm(surface: str) -> str:
    """The lookup form of a surface string: lower case, single spaces."""
    return SPACE.sub(" ", surface.strip().lower())


def alt(words: Iterable[str], *, case_sensitive: bool = False, left: bool = True) -> str:
    """A non-capturing alternation of `words` as a trie, longest first, with word boundaries at word ends.

    Spaces inside a word match any run of whitespace; symbols such as "±" get no boundary, so
    "±14" matches. `left=False` drops the left boundary, for suffixes glued to digits ("24h", "20th").
    The trie shares prefixes, so a regex of hundreds of words tries one branch per first
    character instead of every word at every position.
    """
    items = {(w if case_sensitive else w.lower()) for w in words if w}
    if not items:
        return r"(?!x)x"
    bounded = sorted(w for w in items if left and w[0].isalnum())
    free = sorted(w for w in items if not (left and w[0].isalnum()))
    parts = []
    if bounded:
        parts.append(r"(?<!\w)" + _trie_regex(_trie(bounded)))
    if free:
        parts.append(_trie_regex(_trie(free)))
    body = "|".join(parts)
    return f"(?-i:{body})" if case_sensitive else f"(?:{body})"


_END = ""
_NAME = r"(?-i:[A-Z][\w.-]+)"


def _templates(words: Iterable[str]) -> str:
    """An alternation of phrases where "{name}" stands for one capitalised word ("Tokyo time")."""
    parts = [
        r"(?<!\w)" + r"\s+".join(_NAME if w == "{name}" else re.escape(w) for w in phrase.split()) + r"(?!\w)"
        for phrase in words
    ]
    return "|".join(sorted(parts, key=len, reverse=True)) or r"(?!x)x"


def _trie(words: list[str]) -> dict:
    root: dict = {}
    for word in words:
        node = root
        for char in SPACE.sub(" ", word):
            node = node.setdefault(char, {})
        node[_END] = word[-1].isalnum()
    return root


def _trie_regex(node: dict) -> str:
    branches = []
    for char in sorted(k for k in node if k != _END):
        piece = r"\s+" if char == " " else re.escape(char)
        branches.append(piece + _trie_regex(node[char]))
    if _END in node:
        # Ending here is the last choice, so the longest word wins; a word ending in a letter
        # or digit must not run on into the next word.
        branches.append(r"(?!\w)" if node[_END] else "")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def invert(table: dict[str, list[str]]) -> dict[str, str]:
    """Surface form -> canonical key, from canonical key -> surface forms."""
    return {norm(surface): key for key, surfaces in table.items() for surface in surfaces}


@dataclass
class Lexicon:
    """Lookups and compiled patterns for one language; built by `get_lexicon`."""

    code: str
    data: TemporalData
    numbers: dict[str, float] = field(default_factory=dict)
    multipliers: dict[str, float] = field(default_factory=dict)
    adders: dict[str, float] = field(default_factory=dict)
    joiners: frozenset[str] = frozenset()
    units: dict[str, str] = field(default_factory=dict)
    fused: dict[str, str] = field(default_factory=dict)
    plural_units: frozenset[str] = frozenset()
    vague_needing_cue: frozenset[str] = frozenset()
    approx: dict[str, str] = field(default_factory=dict)
    approx_suffix: dict[str, str] = field(default_factory=dict)
    vague: dict[str, str] = field(default_factory=dict)
    months: dict[str, str] = field(default_factory=dict)
    weekdays: dict[str, str] = field(default_factory=dict)
    relative_days: dict[str, str] = field(default_factory=dict)
    holidays: dict[str, str] = field(default_factory=dict)
    periods: dict[str, str] = field(default_factory=dict)
    day_periods: dict[str, str] = field(default_factory=dict)
    clock_words: dict[str, str] = field(default_factory=dict)
    timezones: dict[str, float | str] = field(default_factory=dict)
    ambiguous: dict[str, Ambiguity] = field(default_factory=dict)
    re_number: str = ""
    re_zone: str = ""
    re_cues: str = ""
    patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)

    def pattern(self, name: str) -> re.Pattern[str]:
        """A compiled pattern by name (see `_compile`)."""
        return self.patterns[name]


@lru_cache(maxsize=64)
def has_language(code: str) -> bool:
    """Whether `code` has a temporal data file."""
    return (LANG_DIR / code / "temporal.yaml").is_file()


@cache
def get_lexicon(code: str) -> Lexicon:
    """The compiled lexicon of language `code` (loaded and compiled once per process)."""
    data = load_lang_file(code, "temporal", TemporalData)
    lex = Lexicon(code=code, data=data)
    lex.numbers = {norm(k): v for k, v in data.numbers.items()}
    for table in (data.number_multipliers, data.number_adders, data.fractions):
        lex.numbers.update({norm(k): v for k, v in table.items()})
    lex.multipliers = {norm(k): v for k, v in data.number_multipliers.items()}
    lex.adders = {norm(k): v for k, v in data.number_adders.items()}
    lex.joiners = frozenset(norm(j) for j in data.number_joiners)
    lex.units = invert(data.units) | invert(data.unit_abbreviations)
    lex.fused = invert(data.fused_units)
    lex.plural_units = frozenset(norm(w) for w in data.plural_unit_forms)
    lex.approx = invert(data.approximation)
    lex.approx_suffix = invert(data.approximation_suffixes)
    lex.vague = invert(data.vague_durations)
    lex.vague_needing_cue = frozenset(norm(w) for w in data.vague_needing_cue)
    lex.months = invert(data.months)
    lex.weekdays = invert(data.weekdays)
    lex.relative_days = invert(data.relative_days)
    lex.periods = invert(data.relative_periods)
    lex.holidays = invert(data.holidays)
    lex.day_periods = invert(data.day_periods)
    lex.clock_words = invert(data.clock_words)
    lex.timezones = {SPACE.sub(" ", k): v for k, v in data.timezones.items()}
    lex.ambiguous = {norm(k): v for k, v in data.ambiguous.items()}
    _compile(lex)
    return lex


def _compile(lex: Lexicon) -> None:
    d = lex.data
    word_numbers = list(d.numbers) + list(d.number_multipliers) + list(d.number_adders) + list(d.fractions)
    num_word = alt(word_numbers)
    joiner = alt(d.number_joiners)
    # Bounded repetition: a run of number words is short, and an unbounded one backtracks
    # quadratically on degenerate input ("satu satu satu ...").
    # "1x24": x may precede digits; "4 1/2", "4½": a fraction may follow a whole number.
    digits = rf"(?<![.,:/])(?<![^\Wx×]){DIGITS}(?:\s?[13]/[24](?![\d/])|[½¼¾])?(?![\d])"
    lex.re_number = rf"(?:{digits}|{num_word}(?:(?:\s+{joiner}\s+|[\s-]+){num_word}){{0,6}})"
    num = lex.re_number
    unit = alt(w for ws in d.units.values() for w in ws)
    abbr = alt((w for ws in d.unit_abbreviations.values() for w in ws), left=False)
    article = alt(d.article_numbers)
    fraction = alt(d.fractions)
    fused = alt(w for ws in d.fused_units.values() for w in ws)
    lex.re_cues = alt(w for ws in d.approximation.values() for w in ws)
    cues = rf"(?P<cues>(?:{lex.re_cues}\s*){{1,3}})?"
    ranges = alt(d.range_connectors)
    between = alt(d.interval.between_openers)
    between_conn = alt(d.interval.between_connectors)
    suffixes = alt(w for ws in d.approximation_suffixes.values() for w in ws)
    ufs = alt(d.unit_fraction_suffixes)
    adjective = alt(d.adjective_suffixes)
    head = (
        rf"(?:(?:(?P<mul>(?<![\w.,:/])\d{{1,3}})\s*[x×]\s*)?(?P<n1>{num})(?P<plus>\+)?(?:\s*(?P<rc>{ranges})\s*(?P<n2>{num}))?[\s-]*(?P<unit>{unit})"
        rf"|(?P<dn>(?<![\w.,:/]){DIGITS})\s?(?P<abbr>{abbr})"
        rf"|{between}\s+(?P<bn1>{num})\s+{between_conn}\s+(?P<bn2>{num})[\s-]*(?P<bunit>{unit})"
        rf"|(?:(?P<fr>{fraction})\s+)?(?P<art>{article})[\s-]+(?P<aunit>{unit})"
        rf"|(?P<fused>{fused}))"
    )
    tail = rf"(?:\s+(?P<ufs>{ufs}))?(?P<adj>{adjective})?(?:\s*(?P<suf>{suffixes}))?"
    # Every expression starts at a word start: one cheap check first spares the engine trying
    # each branch inside words.
    lex.patterns["duration"] = re.compile(r"(?<!\w)" + cues + head + tail, FLAGS)
    lex.patterns["piece"] = re.compile(
        rf"\s*,?\s*(?:{joiner}\s+)?(?P<n>{num})[\s-]*(?P<unit>{unit})|(?P<dn>(?<![\w.,:/]){DIGITS})(?P<abbr>{abbr})",
        FLAGS,
    )
    lex.patterns["vague"] = re.compile(rf"(?P<v>{alt(w for ws in d.vague_durations.values() for w in ws)})", FLAGS)
    lex.patterns["ago"] = re.compile(rf"\s+(?P<ago>{alt(d.ago)})", FLAGS)
    lex.patterns["range_gap"] = re.compile(rf"\s*{ranges}\s*$", FLAGS)
    lex.patterns["range_lead"] = re.compile(rf"\s*{ranges}\s*", FLAGS)

    abbreviations = [z for z in lex.timezones if z.isupper()]
    names = [z for z in lex.timezones if not z.isupper()]
    lex.re_zone = (
        r"(?P<utc>(?-i:UTC|GMT))\s?(?P<osign>[+\-−])\s?(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?(?!\d)"
        rf"|(?P<zone>{alt(abbreviations, case_sensitive=True)}|{alt(names, case_sensitive=True)})"
    )
    strong = alt(d.clock_prefixes.strong)
    weak = alt(d.clock_prefixes.weak)
    period = alt((w for ws in d.day_periods.values() for w in ws), left=False)
    clock_word = alt(w for ws in d.clock_words.values() for w in ws)
    zone_part = rf"(?:\s*(?P<zp>\(\s*)?(?:{lex.re_zone})(?(zp)\s*\)))?"
    lex.patterns["clock"] = re.compile(
        rf"(?<!\w)(?:(?P<sp>{strong})\s*|(?P<wp>{weak})\s+)?"
        rf"(?:(?<![\w.,:/])(?P<h>\d{{1,2}})(?:(?P<sep>[:.])(?P<m>\d{{2}})(?:[:.](?P<s>\d{{2}}))?)?(?![\d])"
        rf"(?:\s*(?P<per>{period}))?|(?P<cw>{clock_word}))" + zone_part,
        FLAGS,
    )

    month = alt(w for ws in d.months.values() for w in ws)
    ordinal = rf"(?:{alt(d.ordinal_suffixes, left=False)})?"
    of = rf"(?:\s+{alt(d.day_month_joiners)})?" if d.day_month_joiners else ""
    year = r"(?P<{}>(?:1[89]|2\d)\d\d)(?!\d)"
    day = r"(?<![\w.,:/])(?P<{}>[0-3]?\d)" + ordinal
    # A range of days in one month: "20-22 Oktober", "between 3 and 5 March", "dari 27 hingga 29
    # Oktober", "October 27 to 29" (not "March 3 to 5 p.m.": a clock time follows).
    day_link = alt([*d.interval.connectors, *d.interval.between_connectors])
    no_clock = rf"(?!\s*(?:{period}|[:.]\d))"
    lex.patterns["date_dmy"] = re.compile(
        day.format("d") + rf"(?:\s*{day_link}\s*{day.format('dd')})?{of}\s+(?P<mon>{month})"
        rf"(?:\.?,?\s+{year.format('y')})?",
        FLAGS,
    )
    lex.patterns["date_mdy"] = re.compile(
        rf"(?<!\w)(?P<mon>{month})\.?\s+{day.format('d')}(?:\s*{day_link}\s*{day.format('dd')}{no_clock})?(?![\d:.]\d)"
        rf"(?:,?\s+{year.format('y')})?",
        FLAGS,
    )
    lex.patterns["date_my"] = re.compile(rf"(?<!\w)(?P<mon>{month})\.?,?\s+{year.format('y')}", FLAGS)
    # A month named alone after a preposition ("in February", "sejak Maret"): neither a day nor a year follows.
    full_months = alt(w for ws in d.months.values() for w in ws if not any(o != w and o.startswith(w) for o in ws))
    lex.patterns["date_month"] = re.compile(
        rf"(?<!\w)(?:{alt(d.month_prepositions)})\s+(?P<mon>{full_months})(?!\w)(?!\.?,?\s*\d)", FLAGS
    )
    lex.patterns["date_numeric"] = re.compile(
        r"(?<![\w.,:/-])(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)"
        r"(?P<y>(?:1[89]|2\d)\d\d(?!\d)|(?<=/)\d\d(?![\d/]))(?![.-]\d)"
        r"|(?<![\w.,:/-])(?P<iy>(?:1[89]|2\d)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?!\d)"
        r"(?:[T ](?P<iH>[0-2]\d):(?P<iM>[0-5]\d)(?::(?P<iS>[0-5]\d)(?:\.\d+)?)?"
        # "2015-08-13 09:25 PDT": a zone abbreviation of the language's table may follow.
        rf"(?:\s*(?P<iz>Z|[+-][01]\d:?[0-5]\d)(?!\w)|\s+(?P<izn>{alt(abbreviations, case_sensitive=True)}))?)?",
        FLAGS,
    )
    weekday = alt(w for ws in d.weekdays.values() for w in ws)
    pre = alt(d.past_weekday.prefixes)
    suf = alt(d.past_weekday.suffixes)
    week = alt(d.past_weekday.week_suffixes)
    lex.patterns["weekday"] = re.compile(
        rf"(?<!\w)(?:(?P<pre>{pre})\s+)?(?P<wd>{weekday})(?:\s*\(\s*(?P<sd>[0-3]?\d)/(?P<sm>[01]?\d)\s*\))?"
        rf"(?:\s+(?:(?P<week>{week})|(?P<suf>{suf})))?",
        FLAGS,
    )
    lex.patterns["told_weekday_before"] = re.compile(rf"(?<!\w)(?:{alt(d.told_weekday.prefixes)})\s+$", FLAGS)
    lex.patterns["generic_weekday_before"] = re.compile(rf"(?<!\w)(?:{alt(d.generic_weekday)})\s+$", FLAGS)
    lex.patterns["told_weekday_after"] = re.compile(rf"\s+(?:{alt(d.told_weekday.suffixes)})(?!\w)", FLAGS)
    dom = d.day_of_month
    dom_ordinal = alt(d.ordinal_suffixes, left=False) if dom.ordinal else ordinal
    # Not before a month ("the 20th of October", "tanggal 20 Oktober": written dates) or a clock.
    lex.patterns["day_of_month"] = re.compile(
        rf"(?<!\w)(?:{alt(dom.prefixes)})\s+(?P<d>[0-3]?\d){dom_ordinal}(?![\w.,:/-]\d|\w)"
        rf"(?!{of}\s+{month}|\s*(?:{period}|[:.]\d)|\s+{alt(dom.excluded_next)})",
        FLAGS,
    )
    lex.patterns["relative"] = re.compile(
        rf"(?<!\w)(?:(?P<rel>{alt(lex.relative_days)})|(?P<per>{alt(lex.periods)}))",
        FLAGS,
    )
    lex.patterns["holiday"] = re.compile(rf"(?<!\w){alt(lex.holidays)}(?!\w)", FLAGS)
    lex.patterns["weekday_gap"] = re.compile(rf"\s*(?:{period}\s*)?[,(]?\s*", FLAGS)
    joiners = alt(d.date_clock_joiners)
    lex.patterns["conversion_gap"] = re.compile(rf"\s*[,(]?\s*(?:{alt(d.conversion_joiners)})\s*", FLAGS)
    qualifiers = _templates(d.clock_qualifiers)
    lex.patterns["date_clock_gap"] = re.compile(rf"(?:\s|{joiners}|{qualifiers}|\([^()\n]{{1,25}}\))*$", FLAGS)
    opener = alt(d.interval.openers)
    connector = alt(d.interval.connectors)
    # A comma may close the first side: "from February 4, 05:35 UTC, to February 5, 22:09 UTC".
    lex.patterns["interval_gap"] = re.compile(rf"\s*,?\s*(?:{connector})\s*$", FLAGS)
    lex.patterns["connector_ahead"] = re.compile(rf"\s*(?:{connector}|{between_conn})\s*(?:{strong}\s*)?\d", FLAGS)
    words = [w for w in [*d.interval.connectors, *d.interval.between_connectors] if w[0].isalnum()]
    marks = [w for w in d.interval.connectors if not w[0].isalnum()]
    lex.patterns["split_words"] = re.compile(rf"\s+{alt(words)}\s+", FLAGS)
    lex.patterns["split_marks"] = re.compile(rf"\s*{alt(marks)}\s*", FLAGS)
    lex.patterns["opener_lead"] = re.compile(rf"(?:{opener}|{between})\s+", FLAGS)
    lex.patterns["between_gap"] = re.compile(rf"\s*(?:{between_conn})\s*$", FLAGS)
    lex.patterns["opener_before"] = re.compile(rf"(?:{opener})\s*$", FLAGS)
    lex.patterns["between_before"] = re.compile(rf"(?:{between})\s*$", FLAGS)
    about = alt(d.approximation.get("about", []) + d.approximation.get("nearly", []))
    lex.patterns["approx_before"] = re.compile(rf"(?:{about})\s*(?:{strong}\s*)?$", FLAGS)
    lex.patterns["number_token"] = re.compile(rf"{DIGITS}|{num_word}|{joiner}", FLAGS)
    lex.patterns["number_at_end"] = re.compile(rf"(?:{num}|{article})\s*$", FLAGS)
    contexts = ("outage_context", "duration_context", "non_outage_context", "start_context", "end_context")
    for key in (*contexts, "report_context", "repeat_context", "resolution_context", "other_incident_context"):
        lex.patterns[key] = re.compile(alt(getattr(d, key)), FLAGS)
    prepositions = {norm(p) for p in d.end_prepositions}
    following_ends = [w for w in d.end_context if norm(w) not in prepositions]
    lex.patterns["end_context_after"] = re.compile(alt(following_ends), FLAGS)
    lex.patterns["offset_next"] = re.compile(rf"\s*(?:{alt(d.offset_after)})", FLAGS)
    lex.patterns["said_next"] = re.compile(rf"\s*,?\s*(?:{alt(d.complementizers)})(?!\w)", FLAGS)
    lex.patterns["ambiguous"] = re.compile(alt(lex.ambiguous), FLAGS)
    lex.patterns["cue_token"] = re.compile(lex.re_cues, FLAGS)
    lex.patterns["forecast_before"] = re.compile(rf"(?:{alt(d.forecast_context)})\s*$", FLAGS)
    lex.patterns["duration_before"] = re.compile(rf"(?:{alt(d.duration_context)})\s*$", FLAGS)
    lex.patterns["total_before"] = re.compile(rf"(?:{alt(d.total_context)})\s*$", FLAGS)
    lex.patterns["next_date"] = re.compile(
        rf"\s*[,(]?\s*(?:[0-3]?\d[/.-][01]?\d|[0-3]?\d{ordinal}\s+{month}|{month}\.?\s+[0-3]?\d)", FLAGS
    )
    lex.patterns["suffix"] = re.compile(rf"\s*(?P<suf>{suffixes})", FLAGS)
