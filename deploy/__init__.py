"""Running the platform: migrations, the process list, the demo organisation."""
