"""Benchmarks that score heard on public labelled data and time it against DESIGN.md budgets."""
