# Study rules for `uc` are added by its issue.
