"""Forms for initiative pages, one module per area (the same names as the
other layers). Forms check the shape of input; services check the rules."""
