"""The chat's benchmark: how fast the user count reaches thousands of clients,
and what each connection costs the server. Run it with `python -m bench`."""
