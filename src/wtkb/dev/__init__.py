"""Developer tools: ``python -m wtkb.dev.evaluate`` (make eval) and ``python -m wtkb.dev.bench`` (make bench)."""

