"""URLs of the swot app: the workshop pages (``urls_pages``: list, create,
people, joining), the board (``urls_board``) and what a workshop produces
(``urls_results``: actions, summary, exports)."""

from .urls_board import urlpatterns as board_urlpatterns
from .urls_pages import urlpatterns as pages_urlpatterns
from .urls_results import urlpatterns as results_urlpatterns

app_name = "swot"

urlpatterns = [*pages_urlpatterns, *board_urlpatterns, *results_urlpatterns]
