"""`python -m bench`: the harness (bench/harness.py)."""

from .harness import main

main()
