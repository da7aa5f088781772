"""Officer rosters (执法人员): who may inspect, when, and whom they must not."""
