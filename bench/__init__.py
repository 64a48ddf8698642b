"""`make bench`: the platform started as `make run` starts it, driven over loopback HTTP."""
