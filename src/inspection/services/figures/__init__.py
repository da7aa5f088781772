"""The figures people quote: visits saved by unit, town and month, and the annual report.

Both read the ledger of live published visits (:mod:`inspection.services.ledger`),
never the plans, so a replaced plan cannot be counted twice, and the outcomes recorded
for those visits by one rule (:mod:`~inspection.services.figures.carried_out`), summed
per day into `outcome_rollup` (:mod:`~inspection.services.figures.outcome_rollup`).
"""
