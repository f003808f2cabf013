"""Progress pages: learner (My learning), instructor (gradebook, reports, exports), platform (admins)."""
