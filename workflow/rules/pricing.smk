# Study rules for `pricing` are added by its issue.
