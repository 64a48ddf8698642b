"""Quizzes the platform knows: windows, pop quizzes, the intake check of quiz events, figures."""
