"""The API's routers, one module per area; ``ROUTERS`` is the order they are included in."""

from wtkb.api.routes import ask, briefings, duties, health, paragraphs, search

ROUTERS = [ask.router, search.router, paragraphs.router, duties.router, briefings.router, health.router]
