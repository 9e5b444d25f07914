"""Benchmarks (`make bench`), never run as tests. See docs/benchmarks.md."""
