"""Per-learner and per-group quiz overrides (Moodle's "User overrides" and "Group overrides").

The one rule lives in `effective.quiz_settings_for`: every place that decides a learner's open and
close dates, time limit or attempt limit asks it, never the quiz's own fields.
"""
