"""Calls released at the same moment from threads, for the concurrency tests.

On PostgreSQL the calls really overlap and the services' row locks make one wait for the other.
The suite's SQLite database is in memory, shared between threads in "shared cache" mode, where
a writer meeting another's lock fails at once ("database table is locked") instead of waiting
as a file database does; there the threads take turns, as IMMEDIATE transactions make writers
do on a file database, and the test checks that the second sees what the first wrote."""

import threading

from django.db import connection, connections

_turns = threading.Lock()


def _in_turn(call):
    if connection.vendor != "sqlite":
        return call()
    with _turns:
        return call()


def race(calls) -> list:
    """Run the calls in threads released together; each result is a value or the exception
    the call raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = _in_turn(call)
        except Exception as error:  # reported to the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
