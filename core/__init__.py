"""What every app shares and that imports no app: the API base, the door kit,
Markdown, GOV.UK template tags, health checks and token hashing.

Dependencies point one way: apps import ``core``; ``core`` imports only
Django and third-party libraries, so it can never be the reason two apps
depend on each other.
"""
