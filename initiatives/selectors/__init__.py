"""Reads about initiatives, one module per area (the same names as in
``services``, ``views``, ``api``, ``forms`` and ``urls``). ``initiative``
holds ``visible_to`` and the access helper every other read builds on."""
