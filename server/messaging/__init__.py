"""Messages to tenants and clients: SMS, e-mail and Web Push, their Dutch texts and quiet hours.

Plain Python with no Tortoise and no Starlette: the jobs render a message with `templates`, ask
`quiet.deliver_at` when it may go, and send it through one of the channels (`cm`, `email`,
`push`). Channel failures are `TransientSendError` (retry later) or `PermanentSendError` (record
the reason, do not retry); see docs/messaging.md.
"""
