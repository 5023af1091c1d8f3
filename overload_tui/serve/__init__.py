"""``overload serve``: the app over SSH, one process per connection, each lifter by their own key.

* ``hostkey``: the server's host key, generated once into the data directory (0600) and reused.
* ``limits``: failed log-ins per source address, sessions per lifter and in all.
* ``server``: the asyncssh server; authenticates a key against ``ssh_keys`` and runs the app for
  that lifter in a pseudo-terminal of its own (``child``), relaying bytes and window sizes.
* ``child``: the app as a connection's process runs it: its only identity is the short-lived
  token the server handed it; no saved log-in of the server's Unix user is ever read.
"""
