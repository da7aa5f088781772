"""Unified social credit codes (GB 32100-2015) and Chinese enterprise names.

A credit code is 18 characters: the registering authority and entity type
(``91`` a company, ``92`` an individual business, ...), the six-digit region
code, the nine-character organisation code (GB 11714, whose last character is
its own check digit), and a check character over the first seventeen.
"""

from __future__ import annotations

import random

from inspection.generator.industries import Industry
from inspection.generator.places import District

__all__ = [
    "USCC_ALPHABET",
    "CodeBook",
    "NameBook",
    "organization_check_char",
    "uscc_check_char",
]

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters a credit code may use (no I, O, S, V, Z)."""

_USCC_WEIGHTS = tuple(pow(3, position, 31) for position in range(17))
_ORGANIZATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_DIGITS = "0123456789"
_BRAND_CHARACTERS = (
    "恒达盛华鑫隆兴利丰源泰安顺宏昌嘉誉德信和富祥瑞永新金广通越联创美佳优康乐福天东南"
    "星海峰锦荣宝益众诚凯君晟骏翔腾辉明志远鸿正伟家旺万龙凤清北江百合名品香满"
)
_NUMERALS = "一二三四五六七八九十"
_FALLBACK_AFTER_TRIES = 50


def uscc_check_char(first17: str) -> str:
    """The check character of a credit code, over its first 17 characters (GB 32100-2015)."""
    total = sum(
        USCC_ALPHABET.index(char) * weight
        for char, weight in zip(first17, _USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def organization_check_char(first8: str) -> str:
    """The check character of an organisation code, over its first 8 characters (GB 11714)."""
    total = sum(
        int(char, 36) * weight for char, weight in zip(first8, _ORGANIZATION_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    if check == 10:
        return "X"
    return "0" if check == 11 else str(check)


class CodeBook:
    """Hands out credit codes, never the same one twice."""

    def __init__(self) -> None:
        self._issued: set[str] = set()

    def new(self, rng: random.Random, entity: str, region: str) -> str:
        """A fresh credit code.

        Args:
            rng: The generator's random source.
            entity: Registering authority and entity type, e.g. ``"91"``.
            region: Six-digit region code of the registering district.
        """
        while True:
            if rng.random() < 0.7:
                # Codes issued since 2015 carry an organisation code beginning MA.
                body = "MA" + "".join(rng.choices(USCC_ALPHABET, k=6))
            else:
                body = rng.choice("3456789") + "".join(rng.choices(_DIGITS, k=7))
            first17 = entity + region + body + organization_check_char(body)
            code = first17 + uscc_check_char(first17)
            if code not in self._issued:
                self._issued.add(code)
                return code


class NameBook:
    """Hands out enterprise names after an industry's patterns, never the same one twice."""

    def __init__(self) -> None:
        self._issued: set[str] = set()

    def new(
        self, rng: random.Random, industry: Industry, district: District, town: str
    ) -> tuple[str, str]:
        """A fresh name and the first two characters of the credit code that goes with it."""
        tries = 0
        while True:
            entity, pattern = rng.choice(industry.names)
            name = pattern.format(
                prefix=district.company_prefix,
                local=district.shop_prefix,
                brand=_brand(rng),
                town=town,
                n=rng.choice(_NUMERALS),
            )
            tries += 1
            if tries > _FALLBACK_AFTER_TRIES:
                name = f"{name}（{tries}）"
            if name not in self._issued:
                self._issued.add(name)
                return name, entity


def _brand(rng: random.Random) -> str:
    """A trade name (字号) of two or, less often, three characters."""
    length = 2 if rng.random() < 0.8 else 3
    return "".join(rng.sample(_BRAND_CHARACTERS, length))
