"""Pulse surveys: questionnaires that admins run in rounds and staff answer anonymously."""
