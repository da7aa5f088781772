"""Use cases: the only layer that touches both the database and the solver; it owns the commit.

In wings by concern, each importing only the wings below it (the architecture test
holds the order):

1. ``access``: roles, the actor, who may see and do what;
2. ``trust/``: the audit trail and API keys;
3. ``ledger`` (live published visits, kept in step with publication) and
   ``reference/`` (units and enterprises);
4. ``checklists/``: submitted, amended, withdrawn;
5. ``rounds/`` (stored plans' rounds, published rounds, details, diffs) and
   ``figures/`` (visits saved, the annual report);
6. ``translation``: tables to the planning core's format and back, in one place;
7. ``planning/`` (use cases, the worker's run, the runner) and ``spreadsheets/``
   (imports, exports, templates, calendars);
8. ``demo``: the sample data end to end.

Every use case returns public models, never table rows.
"""
