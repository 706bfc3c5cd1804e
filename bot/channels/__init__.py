"""Channel front ends."""
