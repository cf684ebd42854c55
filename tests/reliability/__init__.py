"""The reliability battery (issue 10): concurrency through real HTTP, faults, state machines."""
