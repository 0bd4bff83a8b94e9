"""Role-play training with simulated upset customers (DESIGN.md layer 6)."""
