"""What each visit came to (检查结果): each unit's outcome of its part, the lead unit's
confirmation, the back-fill window, and a unit's list of what it still has to record."""
