"""Quiz pages: taking.py for learners, authoring.py and reports.py for instructors."""
