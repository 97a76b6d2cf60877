"""mediacheck: check media against the Shanghai 2024 elderly digital education upload rules."""

__version__ = "0.1.0"
