"""IoF ledningsdashboard: domain package."""
