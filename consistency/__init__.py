"""Hinge: promises to customers vs. procedures for staff."""
