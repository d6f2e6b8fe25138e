"""The live board: its page (which works without JavaScript, each form posting
to ``board_op``), the fragment the live client re-renders from, and the HTTP
doors of the board protocol for clients without a websocket (``board_poll``,
``board_ops``). The websocket itself is routed in ``swot.routing``."""

from django.urls import path

from ..views import board, board_http

urlpatterns = [
    path("<int:pk>/board/", board.board, name="board"),
    path("<int:pk>/board/fragment", board.fragment, name="board_fragment"),
    path("<int:pk>/board/op", board.op, name="board_op"),
    path("<int:pk>/board/poll", board_http.poll, name="board_poll"),
    path("<int:pk>/board/ops", board_http.ops, name="board_ops"),
]
