"""Spaced repetition: the questions a learner missed come back at /review/ on the days FSRS schedules.

Practice only: nothing here writes an Attempt or an Answer, so no quiz grade ever changes.
"""
