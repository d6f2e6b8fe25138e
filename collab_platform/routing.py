"""Websocket routes. The SWOT live board adds its consumer here."""

websocket_urlpatterns: list = []
