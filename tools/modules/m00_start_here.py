"""Module 00: how the course works, the privacy rule, and the progress page."""

from nbbuild import NotebookSpec, code, free, header, md


def spec() -> NotebookSpec:
    cells = [
        header(
            "00 · Start here",
            [
                "find your way around the course and its eight modules",
                "use a homework-plan form: type, save, check, and read the feedback",
                "follow the privacy rule for everything you type",
                "see your progress by module and by therapist behaviour",
            ],
            20,
            "nothing in this notebook; it is your map and your progress page.",
        ),
        md("what", """
            ## What this course is

            Between-session homework is any task a client agrees in session and carries out before the next
            one: scheduling an activity, noticing a pattern, an exposure step, a conversation. The research
            links it with better outcomes, and it links *how therapists assign it* with whether clients engage
            (Ryum, Bennion & Kazantzis, 2023). This course trains those therapist behaviours with invented
            clients: you read a case, design a plan with the client in a form, and get feedback on every
            behaviour of an evidence-based checklist.

            | Module | What you do |
            |---|---|
            | 01 Why homework | The evidence, and engagement rather than compliance |
            | 02 Spotting the behaviours | Code therapist turns in transcripts |
            | 03 Designing homework | Draft three plans in the plan form |
            | 04 Reviewing homework | Review a task that was not done, without blame |
            | 05 Adapting homework | Emotion-focused, psychodynamic, family, culture and language, risk |
            | 06 Research literacy | A little pandas on simulated homework data |
            | 07 Capstone | A case you have not seen, from start to handout |
        """),
        md("forms", """
            ## How the forms work

            - Run a form cell with **Shift+Enter**. Every control has a label; **Tab** moves through them in order.
            - **Everything you type is saved** straight away to `answers/<exercise>.json` next to the notebook.
              Closing the notebook or restarting the kernel loses nothing: run the cell again and your draft is back.
            - If the same answers are open in two tabs, the form notices and asks which version to keep.
              If a saved file is damaged, it is kept aside under a new name and the form tells you.
            - **Check my plan** scores your plan on every checklist behaviour: ✔ met, ◐ partly met or ✘ missing,
              with the evidence it found and one next step. Check as often as you like.
            - In practice cases, after a first check, **Show an expert plan** puts an expert's plan beside yours.
            - The grey check cells under each form are the same checks your instructor's grading runs.
        """),
        md("privacy", """
            ## The privacy rule

            **Never enter real client information.** Every client in this course is invented. Do not type real
            names, phone numbers, e-mail addresses, dates of birth or any detail that could identify a person,
            even from your own placement. The forms warn you when something looks like one of these; replace it
            with invented details.
        """),
        md("progress-intro", """
            ## Your progress

            The cell below reads the answers you have saved in every module and shows what is done and how each
            therapist behaviour scored across your plans. Press **Refresh my progress** after working in another
            module.
        """),
        code("progress", "from course.forms import show_progress\n\nprogress = show_progress()"),
        md("try-intro", """
            ### Try it out

            Use this free cell for anything you like, for example `python -m course checklist` as `!python -m course checklist`
            to print the whole checklist.
        """),
        free("!python -m course checklist"),
    ]
    return NotebookSpec("00-start-here", cells)
