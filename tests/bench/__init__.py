"""Tests of the benchmark data generators."""
