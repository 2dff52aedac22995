"""wtkb: the Working Together knowledge base."""

from wtkb.settings import apply_offline_environment

__version__ = "0.1.0"

apply_offline_environment()
