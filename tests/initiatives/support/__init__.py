"""Arrangement helpers for the initiative tests, one module per area (the
same names as in ``initiatives/``). Fixtures live in ``conftest.py``."""
