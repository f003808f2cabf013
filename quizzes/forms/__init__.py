"""Forms of the instructor's quiz pages: quiz settings, one editor form per question type, import, grading."""
