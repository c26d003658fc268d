# Study rules for `soc` are added by its issue.
