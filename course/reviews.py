"""The review script a trainee writes for a client who did not (or only partly) do the task."""

from __future__ import annotations

from pydantic import Field

from course.plans import Text, _Strict


class ReviewScript(_Strict):
    """The five review moves of BRIEF section 3, plus the words the trainee would say."""

    schema_version: int = 1
    vignette_id: Text = ""
    ask_openly: Text = Field("", description="An open question about what happened, asked before judging.")
    credit_attempt: Text = Field("", description="How any partial attempt is credited.")
    draw_out_learning: Text = Field("", description="How what was learned is drawn out.")
    explore_obstacles: Text = Field(
        "", description="How what got in the way is explored with curiosity (environment, client, task, therapist)."
    )
    revise_together: Text = Field("", description="How the task is revised together.")
    words_to_client: Text = Field("", description="What the trainee would actually say to the client.")
