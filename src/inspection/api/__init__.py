"""HTTP API: an app factory and thin routers that call the services."""
