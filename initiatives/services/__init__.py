"""Writes about initiatives, one module per area: ``initiatives`` (create,
edit, stage), ``partnerships`` and ``follows``, ``updates``, ``discussion``."""
