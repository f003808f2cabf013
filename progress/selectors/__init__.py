"""Read side of progress: every aggregate the dashboards, exports and API show.

grades (final grades in bulk), learner (My learning), gradebook, reports (quiz and lesson reports),
platform (the admin dashboard). Each selector runs a fixed number of queries, however many
learners there are, and does the combining in Python.
"""
