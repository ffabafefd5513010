"""Module 03: designing homework with the client (three cases drafted in the plan form)."""

from nbbuild import NotebookSpec, header, md, plan_exercise


def spec() -> NotebookSpec:
    cells = [
        header(
            "03 · Designing homework with the client",
            [
                "draft a between-session plan with a client, step by step, in the order a clinician works",
                "tie the task to the client's own goal and to what they took from the session",
                "give a personal rationale, plan for obstacles and check understanding and confidence",
                "write a plain-language summary and print a one-page handout for the client",
            ],
            120,
            "three plans (Maya, Priya, Jordan), each scored on the 13 checklist behaviours (20 points each, "
            "60 in all). The checks are automatic; your instructor can adjust any score.",
        ),
        md("how-to", """
            ## How this notebook works

            Run each form cell (Shift+Enter). Type into the form: **every change is saved** to a file in the
            `answers/` folder next to this notebook, so you can close the notebook and come back. Use
            **Check my plan** as often as you like: every behaviour is shown as met, partly met or missing,
            with the evidence found in your plan and one concrete next step. After your first check you can
            compare your plan with an expert's. The test cells under each form re-read your saved plan; they
            are what your instructor's grading runs.

            All the clients are invented. Never type real client information into a form.
        """),
        *plan_exercise("03-maya", "maya-activation", """
            ## Case 1 · Maya: behavioural activation

            Maya's mood has sunk since she lost her job. In today's session she noticed something on her
            activity card. Read the case beside the form (open the transcript), then design this week's task
            **with** her: link it to one of her goals in her words, build on what she noticed, and make it
            small enough for her hardest days.
        """),
        *plan_exercise("03-priya", "priya-erp", """
            ## Case 2 · Priya: exposure with response prevention

            Priya's contamination fears keep her from hugging her children when she gets home. Exposure work
            needs a named step of her hierarchy, a clear rule about the ritual she will hold off on, and a
            role for her partner that is not reassurance.
        """),
        *plan_exercise("03-jordan", "jordan-teen", """
            ## Case 3 · Jordan: an adolescent who hates "homework"

            Jordan is 16 and has stopped going to school. For many young people the word *homework* carries
            school and failure with it: find a word he likes, give him real choices, and agree a caregiver
            role with him rather than for him.
        """),
        md("wrap-up", """
            ## Before you finish

            - Each form's status line should say *Saved*.
            - Use **Preview the handout** for each case: the printable page is saved in `handouts/`.
            - Run all the check cells above to see your points. Working alone? Open `00-start-here` to see
              your progress across the course.
        """),
    ]
    return NotebookSpec("03-designing-homework", cells)
