"""wtkb: the Working Together knowledge base."""

__version__ = "0.1.0"
