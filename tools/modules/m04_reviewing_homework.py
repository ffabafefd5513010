"""Module 04: reviewing homework that was not done (the five review moves, the Jamal review script,
and four choose-the-better-response items)."""

from nbbuild import NotebookSpec, concept_exercise, header, md, review_exercise


def spec() -> NotebookSpec:
    cells = [
        header(
            "04 · Reviewing homework that was not done",
            [
                "review a task the client did not do, or did only partly, in five moves and without blame",
                "credit a partial attempt and help the client see what it shows",
                "explore what got in the way across environment, client, task and therapist",
                "revise the task together so that next week's version fits the client's life",
                "say honestly what the research does and does not show about review",
            ],
            60,
            "one review script for Jamal (2 points, checked automatically for the five moves and for blaming "
            "language) and four choose-the-better-response items (1 point each): 6 points in all. Your "
            "instructor can adjust any score.",
        ),
        md("how-to", """
            ## How this notebook works

            Read the five review moves first. Then write a review for Jamal, an invented client who came
            back with only one day of his log filled in: run the form cell (**Shift+Enter**), write each
            move and the words you would say, and press **Check my review**. Everything you type is
            **saved as you go**. Last come four short items where you choose the better response.

            The grey cells under each form re-read your saved answers; they are what your instructor's
            grading runs. All clients here are invented: never type real client information.
        """),

        # -- why it matters ----------------------------------------------------------------------------
        md("why-review", """
            ## Why the review matters

            Tasks sometimes come back undone or half done. How you respond shapes what happens next: the
            client either learns something from the week, or learns that therapy is a place where they
            fail. Homework can already stir up school-like fears of being judged (Ryum, Bennion & Kazantzis,
            2024). In a survey of couple and family therapists, those with less experience felt that missed
            homework did more harm to the working bond (Kazantzis, Dattilio, Shinkfield & Petrik, 2023).

            Tompkins (2002) describes the manner to aim for: **curious** and **collaborative**, reinforcing
            everything the client did that served the task's purpose. The five moves below put that into
            practice. Put the review early in the session, before the new task is planned.
        """),

        # -- the five moves ----------------------------------------------------------------------------
        md("example-client", """
            ## The five review moves

            The examples follow Rosa (invented), who agreed to take two ten-minute walks last week. She
            comes in and says: *"I didn't really do it."*
        """),
        md("move-ask", """
            ### 1 · Ask openly, before judging

            Start with an open question about what happened, and leave room for anything she tried.
            Describe, do not diagnose.

            - **Try:** "Tell me how the walks went this week. Anything you tried, even partly, is useful."
            - **Avoid:** "Did you do it?" (yes/no, and she has already said no) or "Why didn't you?"
              (it asks her to defend herself).
        """),
        md("move-credit", """
            ### 2 · Credit any partial attempt

            Find what she did manage, however small, and say so. Tompkins (2002) advises reinforcing every
            behaviour that served the task's purpose, so getting ready, starting or doing part of it counts.

            - Rosa: *"I got my shoes on on Thursday, then it rained, so I only went to the corner."*
            - **Try:** "You got ready and out of the door. For many people that first step is the hardest."
            - **Avoid:** "So that's none, then." It throws away real information.
        """),
        md("move-learn", """
            ### 3 · Draw out what was learned

            Help her find what the attempt shows, in her own words, rather than telling her. Then link it
            to her goal.

            - **Try:** "What did you notice on the way to the corner, and afterwards?"
            - Rosa: *"I felt a bit less stuck, actually."*
            - **Try:** "That's worth knowing. It fits with what you said you want: to feel less stuck at home."
        """),
        md("move-obstacles", """
            ### 4 · Explore what got in the way, with curiosity

            Kazantzis and Shinkfield (2007) sort barriers into four overlapping classes. Look at all four,
            through what you know of this client:

            | Class | Questions to explore | Rosa |
            |---|---|---|
            | Environment | time, place, other people, weather | it rained |
            | Client | beliefs about the task, sense of being able to do it | "if it isn't ten minutes it doesn't count" |
            | Task | too big, unclear, a poor fit | two fixed days, no rain option |
            | Therapist | how it was explained and planned | we never planned what to do if it rained |
        """),
        md("move-obstacles-2", """
            Name your own share out loud ("I didn't help you plan for rain; that's on me"). It is honest,
            it takes the blame off the client, and it models the problem-solving you want from her.
        """),
        md("move-revise", """
            ### 5 · Revise the task together

            Use what you learned to reshape the task *with* her: offer options, let her choose and change
            them, and plan for the obstacle you found.

            - **Try:** "Knowing the rain got in the way, what version would you actually do this week?
              A walk round the block, a rainy-day option indoors, or something else?"
            - Then agree when and where, a minimum version for a bad day, and an if–then for the obstacle;
              ask her to say the plan back and rate her confidence from 0 to 10.
        """),

        # -- blame -------------------------------------------------------------------------------------
        md("blame", """
            ## Why blame and "resistance" are scored errors

            Calling a missed task *resistance*, or saying *"you didn't do your homework again"*, treats the
            week as the client's failure and ends the inquiry before it starts. The four barrier classes of
            Kazantzis and Shinkfield (2007) ask you to look at the environment, the task and your own part
            as well as the client. Blame also adds to the fear of failing that homework can already carry.

            In this course's checklist, blaming or "resistance" language in a review is an error: a review
            with all five moves still drops to *partly met* if it blames. The form names the words it found.
        """),
        md("blame-2", """
            | Instead of… | Try… |
            |---|---|
            | "You didn't do your homework again." | "Tell me what happened with the plan this week." |
            | "If you don't do the work, therapy won't help." | "What got in the way? That helps us plan the next one." |
            | "Why didn't you do it?" | "What was it like when you thought about starting?" |
            | "You're resisting the work." | "Maybe the task didn't fit your week. Let's look at how." |
        """),

        # -- the evidence --------------------------------------------------------------------------------
        md("evidence", """
            ## What the evidence says, and does not

            Two studies of review point different ways; say both, honestly.

            - **Conklin, Strunk and Cooper (2018)**: in cognitive therapy for depression, how therapists
              *reviewed* homework did **not** predict the client's engagement by the next session; how they
              *assigned* the new task did.
            - **Aguilera et al. (2018)**: with Spanish-speaking Latino clients in telephone and in-person
              CBT for depression, the number of times the clinician **actively reviewed** homework predicted
              lower depression scores at the end. Once reviews were counted, completion no longer did.
        """),
        md("evidence-2", """
            The studies measured different things (next-session engagement against end-of-treatment
            symptoms) in different groups, and both are correlational, so neither settles the question.
            A fair summary: review may matter less for getting next week's task done than for the learning,
            the relationship and the outcome. Good review is still part of competent practice, but do not
            claim it is proven to make clients do more.
        """),

        # -- the exercise ------------------------------------------------------------------------------
        *review_exercise("04-jamal-review", "jamal-review", """
            ## Your review · Jamal

            Jamal, 19, is in his third session of behavioural activation for low mood. He works evening
            shifts at a warehouse and lives with his grandmother and his 12-year-old cousin. Last week he
            agreed to a paper activity and mood sheet; he comes back with only Monday filled in, and calls
            himself useless. The form shows the task, what happened and his words.

            Write each of the five moves, then the words you would actually say to him. Keep it about
            Jamal: his Monday, his week, his goals. Neither agree with "useless" nor argue with it; let
            the evidence of Monday answer it. **Check my review** shows which moves it found and any
            blaming words.
        """),

        # -- choose the better response ------------------------------------------------------------------
        md("better-response", """
            ## Choose the better response

            Four short items. The first two show a moment in a review: choose the response you would give.
            The last two ask about the ideas behind the moves. Press **Check my answer** to see why each
            option works or does not.
        """),
        md("item-opening", "### Item 1 · Opening the review"),
        *concept_exercise("04-opening-the-review", "m04-opening-the-review"),
        md("item-partial", "### Item 2 · One day out of seven"),
        *concept_exercise("04-partial-attempt", "m04-partial-attempt"),
        md("item-barriers", "### Item 3 · What gets in the way"),
        *concept_exercise("04-barrier-classes", "m04-barrier-classes"),
        md("item-why", "### Item 4 · Why review at all"),
        *concept_exercise("04-why-review", "m04-why-review"),

        md("wrap-up", """
            ## Before you finish

            - The form's status line should say *Saved*.
            - Run the check cells above to see your points.
            - Module 05 adapts plans to the person and the therapy. Working alone? Open `00-start-here` to
              see your progress across the course.
        """),

        # -- references --------------------------------------------------------------------------------
        md("references", """
            ## References
            - Aguilera, A., Ramos, Z., Sistiva, D., Wang, Y., & Alegría, M. (2018). Homework completion via telephone and in-person cognitive behavioral therapy among Latinos. *Cognitive Therapy and Research, 42*(3), 340–347.
            - Conklin, L. R., Strunk, D. R., & Cooper, A. A. (2018). Therapist behaviors as predictors of immediate homework engagement in cognitive therapy for depression. *Cognitive Therapy and Research, 42*(1), 16–23.
            - Kazantzis, N., Dattilio, F. M., Shinkfield, G., & Petrik, A. M. (2023). Clinician experiences of homework in couples and family therapy: A survey of perceived impact on the working alliance. *Scandinavian Journal of Psychology, 64*(1), 1–9.
            - Kazantzis, N., & Shinkfield, G. (2007). Conceptualizing patient barriers to nonadherence with homework assignments. *Cognitive and Behavioral Practice, 14*(3), 317–324.
            - Ryum, T., Bennion, M., & Kazantzis, N. (2024). Between-session homework and processes of change. *Journal of Clinical Psychology*. https://doi.org/10.1002/jclp.23628
            - Tompkins, M. A. (2002). Guidelines for enhancing homework compliance. *Journal of Clinical Psychology, 58*(5), 565–576.
        """),
    ]
    return NotebookSpec("04-reviewing-homework", cells)
