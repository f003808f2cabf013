"""Write-side operations on quizzes: attempts, questions, import/export, regrade.

Modules: attempts (start, autosave, submit, auto-submit, essay grading), questions (the versioned
question bank), importing (GIFT/Markdown in and out, the course's quiz files), regrade, grading_methods.
"""
