"""Outbound delivery: subscriptions of other systems (webhooks, WeCom and DingTalk group robots,
e-mail) to the platform's events, an outbox written in the transaction of the change that causes
an event, and the job that delivers it, retrying with back-off (docs/delivery.md)."""
