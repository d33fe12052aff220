"""Gather services: every write to flags, reviews, referrals, responses and calls."""
