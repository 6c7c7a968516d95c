"""Insight: archive filters, Excel exports and the management figures."""
