"""Rows and locks: the only package that speaks SQL. `engine` is the adapter with
its two engines (SQLite, PostgreSQL); each other module is one table group, plain
dicts in and out; what may change when is decided above, in workflow/."""
