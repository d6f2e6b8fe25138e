"""Forms, one module per area: ``directory`` (the search FilterSet the page
and the API share), ``profiles``, ``people`` and ``onboarding``. Forms check
the shape of input; services check the rules."""
