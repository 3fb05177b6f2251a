"""Numbers written in digits or words ("14", "1,5", "empat belas", "satu setengah", "a couple of")."""

from __future__ import annotations

import re

from pipeline.temporal.data import VULGAR_FRACTIONS
from pipeline.temporal.lexicon import Lexicon, norm

_DIGITS = re.compile(r"(\d+)(?:([.,])(\d+))?(?:\s?(?P<vf>[½¼¾]|[13]/[24]))?$")


def parse_digits(token: str) -> float | None:
    """The value of a digit string; "1,5" and "1.5" are 1.5, but "2,500" and "1.000" are thousands.

    A whole number may carry a fraction: "4 1/2" and "4½" are 4.5 (AP style writes "2 1/2 hours").

    Both languages write decimals with either separator in the wild, so exactly three digits after
    the separator is read as a thousands group and anything else as a decimal part.
    """
    match = _DIGITS.match(token.strip())
    if match is None:
        return None
    whole, sep, frac, vulgar = match.groups()
    if vulgar:
        if sep is not None or vulgar not in VULGAR_FRACTIONS:
            return None
        return float(whole) + VULGAR_FRACTIONS[vulgar]
    if sep is None:
        return float(whole)
    if len(frac) == 3 and len(whole) <= 3:
        return float(whole + frac)
    return float(f"{whole}.{frac}")


def parse_number(phrase: str, lex: Lexicon) -> float | None:
    """The value of a number phrase in digits or in `lex`'s number words, or None.

    Words combine the way numerals do in both languages: atoms add up ("twenty four",
    "satu setengah"), an adder adds to the last atom ("empat belas" = 4 + 10), a multiplier
    below 100 multiplies the last atom ("dua puluh"), one from 100 multiplies the running
    group ("dua ratus"), and one from 1000 closes the group ("dua ribu").
    """
    phrase = phrase.strip()
    if not phrase:
        return None
    if phrase[0].isdigit():
        return parse_digits(phrase)
    multipliers, adders, joiners = lex.multipliers, lex.adders, lex.joiners
    total = current = last = 0.0
    seen = False
    for raw in lex.pattern("number_token").findall(phrase):
        token = norm(raw)
        if token in joiners:
            continue
        if token in multipliers:
            factor = multipliers[token]
            if factor < 100:
                current += last * (factor - 1) if last else factor
            elif factor < 1000:
                current = (current or 1) * factor
            else:
                total += (current or 1) * factor
                current = 0.0
            last = 0.0
        elif token in adders:
            current += adders[token]
            last = 0.0
        elif token in lex.numbers:
            last = lex.numbers[token]
            current += last
        else:
            continue
        seen = True
    return total + current if seen else None
