"""Silent members (no learning activity in the last days) and the nudges sent to them, with a
cool-down and an opt-out each member sets themselves (docs/delivery.md, "Nudges")."""
