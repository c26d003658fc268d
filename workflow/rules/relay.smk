# Study rules for `relay` are added by its issue.
