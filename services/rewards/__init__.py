"""The rewards service: how learning earns points (rule sets, their versions, publishing).

``document.py`` validates a rule set document exactly as ``services.rules.pricing`` reads it;
``rulesets.py`` versions and publishes; ``api.py`` serves both. See docs/rules.md.
"""
