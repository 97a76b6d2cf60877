"""Every sentence mediacheck says that is not a rule's own, in zh and en."""
