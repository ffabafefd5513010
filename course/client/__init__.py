"""The scripted client: a case's voice (data), the transcript as the trainee sees it, and the
deterministic engine that answers the trainee's moves."""
