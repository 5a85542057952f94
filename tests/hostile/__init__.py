"""Hostile and broken inputs, faults and attacks: each case asserts the exact behaviour."""
