"""Initiative pages, one module per area (the same names as the other
layers). Doors only: parse, ask ``policies``, call a service, render."""
