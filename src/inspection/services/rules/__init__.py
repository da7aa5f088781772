"""The rules of lawful inspection as the service keeps them: yearly caps counted from the
ledger, quiet days, the no-disturb list's exemptions and the district's rule settings, and
what of them a plan's problem carries (format 1.1)."""

__all__: list[str] = []
