"""API endpoints (filled in below by feature)."""
