"""Views of the swot app, one module per area."""
