"""Which roles may use each route of the app: the table the route tests check it against."""

from __future__ import annotations

__all__ = ["EVERYONE", "PUBLIC", "ROLES", "RULES", "A", "C", "U", "X"]

PUBLIC = "public"
ROLES = ("unit", "coordinator", "auditor", "admin")
EVERYONE = frozenset(ROLES)
U, C, A, X = "unit", "coordinator", "auditor", "admin"

RULES: dict[tuple[str, str], frozenset[str] | str] = {
    ("GET", "/api/v1/health"): PUBLIC,
    ("GET", "/"): PUBLIC,
    ("GET", "/api/v1/me"): EVERYONE,
    ("GET", "/api/v1/rounds/{round_id}"): frozenset({U, C, A}),
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/redoc"): PUBLIC,
    ("POST", "/api/v1/units"): frozenset({X}),
    ("GET", "/api/v1/units"): EVERYONE,
    ("GET", "/api/v1/units/{unit_id}"): EVERYONE,
    ("POST", "/api/v1/units/import"): frozenset({X}),
    ("GET", "/api/v1/units/{unit_id}/calendar.ics"): frozenset({U, C}),
    ("POST", "/api/v1/units/{unit_id}/feed-token"): frozenset({U, C, X}),
    ("POST", "/api/v1/enterprises"): frozenset({X}),
    ("GET", "/api/v1/enterprises"): EVERYONE,
    ("GET", "/api/v1/enterprises/{credit_code}"): EVERYONE,
    ("POST", "/api/v1/enterprises/import"): frozenset({X}),
    ("GET", "/api/v1/checklists/template.xlsx"): frozenset({U, C, X}),
    ("GET", "/api/v1/checklists/template.csv"): frozenset({U, C, X}),
    ("POST", "/api/v1/checklists/import"): frozenset({U, C}),
    ("POST", "/api/v1/checklists"): frozenset({U, C}),
    ("GET", "/api/v1/checklists"): frozenset({U, C}),
    ("GET", "/api/v1/checklists/{checklist_id}"): frozenset({U, C}),
    ("PUT", "/api/v1/checklists/{checklist_id}"): frozenset({U, C}),
    ("POST", "/api/v1/checklists/{checklist_id}/withdraw"): frozenset({U, C}),
    # units only; of a unit's keys only its head's approves (the access policy's)
    ("POST", "/api/v1/checklists/{checklist_id}/approve"): frozenset({U}),
    ("POST", "/api/v1/plans"): frozenset({C}),
    ("GET", "/api/v1/plans"): frozenset({C}),
    ("GET", "/api/v1/plans/{plan_id}"): frozenset({C}),
    ("POST", "/api/v1/plans/{plan_id}/stop"): frozenset({C}),
    ("POST", "/api/v1/plans/{plan_id}/publish"): frozenset({C}),
    ("GET", "/api/v1/plans/{plan_id}/rounds"): frozenset({C}),
    ("GET", "/api/v1/plans/{plan_id}/unscheduled"): frozenset({C}),
    ("GET", "/api/v1/plans/{plan_id}/diff"): frozenset({C}),
    ("GET", "/api/v1/plans/{plan_id}/events"): frozenset({C}),
    ("GET", "/api/v1/plans/{plan_id}/export.xlsx"): frozenset({C}),
    ("GET", "/api/v1/plans/{plan_id}/export.csv"): frozenset({C}),
    ("GET", "/api/v1/rounds"): frozenset({U, C, A}),
    ("GET", "/api/v1/stats/visits"): frozenset({U, C, A}),
    ("GET", "/api/v1/reports/annual"): frozenset({C, A}),
    ("GET", "/api/v1/audit"): frozenset({A, X}),
    ("GET", "/api/v1/audit/verify"): frozenset({A, X}),
    ("GET", "/api/v1/keys"): frozenset({X}),
    ("POST", "/api/v1/keys"): frozenset({X}),
    ("POST", "/api/v1/keys/{key_id}/revoke"): frozenset({X}),
}
