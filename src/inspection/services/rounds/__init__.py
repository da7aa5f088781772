"""Rounds as people read them: the stored plans' rounds, the published ones, their details,
and what a plan changes against what was announced."""
