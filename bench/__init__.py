"""Benchmarks: each case prints its result beside the issue's target. Never asserted in tests."""
