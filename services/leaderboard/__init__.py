"""Who stands where: leaderboards kept in Redis as a projection of the points ledger."""
