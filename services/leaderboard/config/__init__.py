"""The leaderboard's configuration: custom groups, exclusions and the privacy setting in SQL
(``groups``), and their mirror in Redis that reads use, restored after a full rebuild
(``mirror``)."""
