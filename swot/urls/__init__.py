"""URLs of the swot app: the workshop pages (``urls.workshops``: list, create,
people, joining), the board (``urls.board``) and what a workshop produces
(``urls.results``: actions, summary, exports)."""

from .board import urlpatterns as board_urlpatterns
from .results import urlpatterns as results_urlpatterns
from .workshops import urlpatterns as pages_urlpatterns

app_name = "swot"

urlpatterns = [*pages_urlpatterns, *board_urlpatterns, *results_urlpatterns]
