"""Benchmarks: corpus generator and measurements (see BENCHMARKS.md)."""
