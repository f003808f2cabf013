"""Calls released at the same instant in real threads: what a double click or a burst of submissions does."""
import threading

from django.db import connection


def run_together(calls, *, timeout: float = 120) -> list:
    """Run each call in its own thread, all released by one barrier; return their results in order
    (an exception a call raised stands in its place, for the caller's assertions to show)."""
    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            start.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 — surfaced by the callers' assertions
            results[index] = error
        finally:
            connection.close()  # each thread has its own connection; close it before the test ends

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results
