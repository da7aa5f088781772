"""The district's rules of lawful inspection: settings, quiet days (and caps, elsewhere)."""

__all__: list[str] = []
