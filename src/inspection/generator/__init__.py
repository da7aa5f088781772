"""Deterministic generator of realistic planning problems (``inspect-once/1``, and 1.1).

The model of the world it assumes:

* **Places.** A problem covers one district (Qingcheng, 清城区, with its eight towns),
  an industrial area of it (石角镇, 龙塘镇, 源潭镇), the eight divisions of Qingyuan city,
  or seven Guangdong cities (53 divisions). Each division has its own units and
  enterprises and no request crosses divisions, so a multi-district problem splits
  into independent parts; urban districts are larger than counties, autonomous
  counties smallest, with a random spread.
* **Units.** Every division has the same ~25 enforcement units (区市场监督管理局 ``SCJG``,
  区应急管理局 ``YJGL``, ...; see :mod:`.units`) plus one 综合行政执法办公室 per town
  (``ZHZF01``...). Ids carry the division as a prefix when a problem has several
  (``QC-SCJG``, ``SG-WJ-SCJG``). Units that no enterprise of the area needs are left out
  of industrial-area problems.
* **Enterprises.** Each has an industry (餐饮服务, 食品生产, 化工, 建筑施工, ...; see
  :mod:`.industries`), a town, a Chinese name after the industry's patterns, and a
  valid unified social credit code of its division (``9144180…`` in Qingcheng; ``92``
  for individual businesses, ``12`` for public schools, ...). Some (8%, 15% in
  industrial areas) cannot be visited on one to three working days (five in a quarter).
* **Requests.** The industry decides which unit kinds inspect an enterprise, each with
  its own chance of asking to this period; in an industrial area four to seven of them
  do. Each request carries one to four checklist items of its unit, specific to the
  industry where the unit's checks differ by industry. About 5% are complaint-driven:
  not joinable, a window of two or three working days, priority 2 or 3. Routine requests
  are mostly priority 1 and have a narrow window (two to five working days), a calendar
  week or month, or the whole horizon; some windows reach past the horizon, and in a
  month with a long holiday a few (0.3%) lie inside it and have no working day at all.
* **Campaigns.** A period holds themed drives (安全生产大检查, 节前食品安全专项检查, ...)
  with a narrow window each. A drive targets some enterprises of its industries, and
  most of its units want each target inside the drive's window, which loads those days
  above average and, in industrial areas, brings more units to one enterprise in one
  window than a round may hold. Industrial areas always hold the 安全生产 drive, allow
  only three units per round and concentrate their drives more.
* **Calendar.** Horizons lie in 2024-2026: weeks with five working days, months with a
  public holiday or a make-up working day (调休), or quarters. ``non_working_days`` is
  written out from the statutory calendar, so the files are self-contained.
* **Capacities** are tight: about 1.1 to 1.3 times a unit's average daily load when
  each enterprise's requests are merged well (see :mod:`.capacity`), so the uneven
  days exceed capacity and merging has to work.

* **Rules** (``rules=True``): the problem becomes format 1.1, with categories, quiet
  days, a no-disturb list, caps and officers drawn after :mod:`.rules` from a random
  source of their own, so everything else stays as without them.
* **Presets** (:data:`PRESETS`): ``S``, ``M``, ``L``, ``XL``, ``HS``, ``H`` and ``HX``, a
  scaled-up industrial month (~3,400 requests, five drives, capacity binding at their
  peaks); ``slack`` multiplies the capacity factor.

The same preset, seed, scale, rules and slack always give the same problem, byte for
byte: all randomness comes from ``random.Random`` sources seeded from them, drawn in a
fixed order.
"""

from inspection.generator.assembly import GeneratedProblem, generate, generate_detailed
from inspection.generator.output import problem_json, write_problem
from inspection.generator.presets import PRESETS, Preset
from inspection.generator.samples import SampleData, qingcheng_samples, sample_catalogue

__all__ = [
    "PRESETS",
    "GeneratedProblem",
    "Preset",
    "SampleData",
    "generate",
    "generate_detailed",
    "problem_json",
    "qingcheng_samples",
    "sample_catalogue",
    "write_problem",
]
