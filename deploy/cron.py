# The periodic safety net read by `rq cron`: a drain every PROJECTION_INTERVAL seconds
# projects entries whose drain request was lost (Redis down at commit time, a crash).
import os

from rq import cron

from services.leaderboard.jobs import drain_projection

cron.register(
    drain_projection,
    "projection",
    interval=int(os.environ.get("PROJECTION_INTERVAL", "30")),
    job_timeout=600,
)
