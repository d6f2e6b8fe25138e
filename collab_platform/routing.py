"""Websocket routes: the SWOT live board (protocol: docs/board-protocol.md)."""

from django.urls import path

from swot.consumers import BoardConsumer

websocket_urlpatterns: list = [
    path("ws/workshops/<int:pk>/board/", BoardConsumer.as_asgi()),
]
