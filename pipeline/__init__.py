"""HER2 literature-extraction pipeline."""
__version__ = "0.1.0"
