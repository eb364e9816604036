"""Statistics (issue #18): one definition per figure over every app, never an identity."""
