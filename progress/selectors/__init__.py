"""Read side of progress: every aggregate the dashboards, exports and API show.

grades (final grades in bulk), learner (My learning), gradebook (+ gradebook_sql: order, filters
and paging in the database), reports (quiz and lesson reports), platform (+ platform_sql: the admin
dashboard). Each selector runs a fixed number of queries, however many learners there are. Figures
about the whole cohort come from the summary rows (progress.summary_models) or from sums the
database takes; only the learners a page shows are read into Python.
"""
