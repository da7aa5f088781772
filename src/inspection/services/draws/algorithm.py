"""The draw itself, replayable anywhere with SHA-256 alone (imports only the standard library).

Everything here is documented, byte for byte, in ``docs/draws.md``; the service, the
command line (``inspection draw verify``) and the desk's replay page compute the same:

- **population text**: for each class, in code point order, for each credit code of the
  class, in code point order, the line ``<class>\\t<credit code>\\n``; its UTF-8 bytes;
- **population hash**: SHA-256 of the population text, lower-case hex;
- **commitment**: SHA-256 of the seed's UTF-8 bytes, lower-case hex (a fresh seed is 64
  lower-case hex characters of 32 random bytes; a public seed is the text as entered);
- **rank** of an enterprise: HMAC-SHA256 with the seed's UTF-8 bytes as key over the UTF-8
  bytes of ``<class>|<credit code>``, lower-case hex; a class's enterprises ordered by rank
  (then by credit code), the first *k* are drawn, in that order;
- **k** of a class of *n*: a count (at most *n*), or a ratio of *r* hundredths of a percent
  (1-10000): ``ceil(n * r / 10000)``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = [
    "ALGORITHM",
    "RECORD_FORMAT",
    "ClassRecord",
    "ReplayRecord",
    "Verdict",
    "commitment_of",
    "draw",
    "parse_record",
    "population_hash",
    "population_text",
    "quota_count",
    "rank",
    "ratio_hundredths",
    "verify_record",
]

ALGORITHM = "hmac-sha256-rank/1"
"""The name of the rule above; a record naming another is not replayed by this code."""
RECORD_FORMAT = "inspect-once/draw-record/1"
"""The format of a draw's public record (``GET /draws/{id}/record``)."""


def population_text(population: Mapping[str, Sequence[str]]) -> str:
    """The canonical text of a population: one ``class<TAB>code`` line per enterprise."""
    return "".join(
        f"{risk_class}\t{code}\n"
        for risk_class in sorted(population)
        for code in sorted(population[risk_class])
    )


def population_hash(population: Mapping[str, Sequence[str]]) -> str:
    """SHA-256 (hex) of the population's canonical text."""
    return hashlib.sha256(population_text(population).encode("utf-8")).hexdigest()


def commitment_of(seed: str) -> str:
    """SHA-256 (hex) of the seed's UTF-8 bytes: published before the draw."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def rank(seed: str, risk_class: str, credit_code: str) -> str:
    """An enterprise's rank in its class: HMAC-SHA256(seed, class|code), hex."""
    message = f"{risk_class}|{credit_code}".encode()
    return hmac.new(seed.encode("utf-8"), message, hashlib.sha256).hexdigest()


def ratio_hundredths(ratio_percent: Decimal) -> int:
    """A ratio in percent as whole hundredths of a percent.

    Raises:
        ValueError: not within (0, 100] or finer than a hundredth.
    """
    hundredths = ratio_percent * 100
    if hundredths != hundredths.to_integral_value() or not 0 < hundredths <= 10000:
        raise ValueError(f"抽取比例 {ratio_percent}% 应在 0.01% 到 100% 之间，最多两位小数")
    return int(hundredths)


def quota_count(size: int, count: int | None, ratio_percent: Decimal | None) -> int:
    """How many of a class of `size` a quota draws: the count, or the ratio rounded up.

    Raises:
        ValueError: neither or both given, a count over the class or below 1, a bad ratio.
    """
    if (count is None) == (ratio_percent is None):
        raise ValueError("抽取数量和抽取比例须填且只填一项")
    if count is not None:
        if count < 1:
            raise ValueError(f"抽取数量 {count} 应至少为 1")
        if count > size:
            raise ValueError(f"抽取数量 {count} 超过该类别的企业数 {size}")
        return count
    assert ratio_percent is not None
    hundredths = ratio_hundredths(ratio_percent)
    return -(-size * hundredths // 10000)


def draw(
    seed: str, population: Mapping[str, Sequence[str]], counts: Mapping[str, int]
) -> dict[str, list[str]]:
    """Per class with a count, the first `count` of its enterprises by rank, in rank order."""
    drawn: dict[str, list[str]] = {}
    for risk_class in sorted(counts):
        ordered = sorted(
            population.get(risk_class, ()), key=lambda code: (rank(seed, risk_class, code), code)
        )
        drawn[risk_class] = ordered[: counts[risk_class]]
    return drawn


@dataclass(frozen=True)
class ClassRecord:
    """One class of a record: its enterprises, its quota, and what was drawn."""

    risk_class: str
    population: tuple[str, ...]
    count: int | None
    ratio_percent: Decimal | None
    drawn_count: int
    drawn: tuple[str, ...] | None


@dataclass(frozen=True)
class ReplayRecord:
    """What a public record says, read from its JSON."""

    commitment: str
    population_hash: str
    classes: tuple[ClassRecord, ...]
    seed: str | None


def _field(data: Mapping[str, Any], name: str, kind: type, where: str) -> Any:
    value = data.get(name)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ValueError(f"{where}{name}: 缺少或类型不对")
    return value


def _codes(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValueError(f"{where}: 应为企业信用代码的列表")
    return tuple(value)


def _ratio(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(f"{where}: 应为数字")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"{where}: 应为数字") from exc


def parse_record(data: Any) -> ReplayRecord:
    """Read a record's JSON (as ``json.loads`` gives it).

    Raises:
        ValueError: not a draw record of this format and algorithm, naming the field.
    """
    if not isinstance(data, dict):
        raise ValueError("不是抽查记录（应为 JSON 对象）")
    if data.get("format") != RECORD_FORMAT:
        raise ValueError(f"format: 应为 {RECORD_FORMAT}")
    if data.get("algorithm") != ALGORITHM:
        raise ValueError(f"algorithm: 本程序只能复核 {ALGORITHM}")
    seed = data.get("seed")
    if seed is not None and not isinstance(seed, str):
        raise ValueError("seed: 应为文本或 null")
    classes: list[ClassRecord] = []
    for index, item in enumerate(_field(data, "classes", list, "")):
        where = f"classes[{index}]."
        if not isinstance(item, dict):
            raise ValueError(f"classes[{index}]: 应为对象")
        count = item.get("count")
        if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
            raise ValueError(f"{where}count: 应为整数或 null")
        drawn = item.get("drawn")
        classes.append(
            ClassRecord(
                risk_class=_field(item, "risk_class", str, where),
                population=_codes(item.get("population"), f"{where}population"),
                count=count,
                ratio_percent=_ratio(item.get("ratio_percent"), f"{where}ratio_percent"),
                drawn_count=_field(item, "drawn_count", int, where),
                drawn=None if drawn is None else _codes(drawn, f"{where}drawn"),
            )
        )
    return ReplayRecord(
        commitment=_field(data, "commitment", str, ""),
        population_hash=_field(data, "population_hash", str, ""),
        classes=tuple(classes),
        seed=seed,
    )


@dataclass(frozen=True)
class Verdict:
    """The replay of a record: whether it holds, and what differs (in Chinese)."""

    differences: tuple[str, ...]
    revealed: bool

    @property
    def consistent(self) -> bool:
        """Whether every recomputed value equals the recorded one."""
        return not self.differences


def verify_record(record: ReplayRecord) -> Verdict:
    """Recompute a record's population hash, counts, commitment and draw; what differs."""
    differences: list[str] = []
    population = {c.risk_class: list(c.population) for c in record.classes}
    if len(population) != len(record.classes):
        differences.append("类别重复")
    if population_hash(population) != record.population_hash:
        differences.append("对象名录的哈希与记录不符")
    counts: dict[str, int] = {}
    for item in record.classes:
        if item.count is None and item.ratio_percent is None:
            expected = 0
        else:
            try:
                expected = quota_count(len(item.population), item.count, item.ratio_percent)
            except ValueError as exc:
                differences.append(f"类别 {item.risk_class}：{exc}")
                continue
        if expected != item.drawn_count:
            differences.append(
                f"类别 {item.risk_class}：应抽取 {expected} 家，记录为 {item.drawn_count} 家"
            )
        counts[item.risk_class] = expected
    if record.seed is None:
        return Verdict(tuple(differences), revealed=False)
    if commitment_of(record.seed) != record.commitment:
        differences.append("种子的 SHA-256 与事先公布的承诺值不符")
    replayed = draw(record.seed, population, counts)
    for item in record.classes:
        if item.drawn is None:
            differences.append(f"类别 {item.risk_class}：缺少抽取结果")
        elif list(item.drawn) != replayed.get(item.risk_class, []):
            differences.append(f"类别 {item.risk_class}：抽取结果与用种子重算的结果不符")
    return Verdict(tuple(differences), revealed=True)
