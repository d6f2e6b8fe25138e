"""Writes about initiatives, one module per area (the same names as in
``selectors``, ``views``, ``api``, ``forms`` and ``urls``): ``catalogue``
(the search index), ``initiative`` (create, edit, stage), ``partnerships``,
``follows``, ``discussion`` (updates and comments), ``cost_sharing`` and
``moderation`` (flags)."""
