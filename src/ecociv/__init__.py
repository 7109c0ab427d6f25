"""ecociv — ecological-civilization planning: plans in, verdicts and reports out."""

__version__ = "0.1.0"
