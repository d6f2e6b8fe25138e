"""Reads about organisations, one module per area (the same areas as
``services``, ``views``, ``api``, ``forms`` and ``urls``): ``directory``,
``profiles``, ``people``, ``onboarding``. Doors never filter tenants by hand:
they come here (or to ``policies``) instead."""
