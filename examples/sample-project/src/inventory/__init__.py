"""A tiny inventory package with deliberate problems for every tool jackpool drives."""
