"""Reference data the handbook and the answers share: glossary, duties register, consultation figures."""

