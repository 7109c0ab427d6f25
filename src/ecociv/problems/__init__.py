"""Problems to rectify (问题整改): record, closed-loop workflow, overdue escalation, statistics."""
