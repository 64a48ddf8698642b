"""The organisation's figures: is the learning culture improving? (docs/analytics.md)"""
