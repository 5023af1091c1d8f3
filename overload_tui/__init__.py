"""overload-tui: a Progressive Overload Tracker for the terminal."""

__version__ = "0.1.0"
