"""Question pools and random quiz slots: a slot draws N questions from a pool of the course's questions.

A pool is every live (not deleted) question of the quiz's course that matches the slot's filter (a
lesson, a category with its subcategories, a tag), except the quiz's own fixed questions. Instructors
typically keep such questions in an unpublished "question bank" quiz of a lesson. Draws are stored in
Attempt.layout like fixed questions, so answers, grading, review and regrade stay per question.
"""
