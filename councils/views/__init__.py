"""Pages (the HTML door), one module per area: ``directory``, ``profiles``,
``people`` and ``onboarding``. Views parse the request, ask ``policies``
(through the access helpers), call a service and render."""
