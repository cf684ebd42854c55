"""Staff pages (filled in below)."""
