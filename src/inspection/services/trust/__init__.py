"""Trust: the audit trail of every change, and the API keys that say who made it."""
