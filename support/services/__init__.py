"""The verbs of the community. Each owns its transaction (see support.database)."""
