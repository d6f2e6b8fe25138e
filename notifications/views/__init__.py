"""Pages of the notifications app, one module per area: ``settings`` (the
"Email notifications" page) and ``unsubscribe`` (one-click links from
e-mails). Activity feeds live in ``feeds``."""
