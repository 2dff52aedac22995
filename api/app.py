"""ASGI entry point: ``uvicorn api.app:app --no-access-log`` (from the repository root).

Settings come from the environment (``WTKB_*``, see api/README.md). ``wtkb serve`` is the same
app with uvicorn's access log already off.
"""

from wtkb.api import create_app
from wtkb.settings import get_settings

app = create_app(get_settings())
