"""Course pages: catalogue and reading (reading.py), and instructors' authoring pages (authoring.py)."""
