"""The enterprise's rating of a visit (企业评价): given once with its code, read by supervisors."""
