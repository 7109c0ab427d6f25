"""Demonstration-zone standards as versioned data, and the name matcher."""
