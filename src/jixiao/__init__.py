"""jixiao (绩效): read, score, review, store and analyse fiscal project performance forms."""

__version__ = "0.1.0"
