"""Module 01: what between-session homework is, what the evidence says and does not, engagement
rather than compliance, and its use across therapies (ten concept checks and one reflection)."""

from nbbuild import NotebookSpec, concept_exercise, header, manual, md


def spec() -> NotebookSpec:
    cells = [
        header(
            "01 · Why between-session homework matters",
            [
                "say what between-session homework is, with examples from several kinds of therapy",
                "summarise the main reviews and meta-analyses, with their numbers, and what they do not show",
                "name the four therapist behaviours that Ryum, Bennion and Kazantzis (2023) link with homework",
                "explain why engagement is a better target than compliance, and why the word matters",
                "talk about the evidence honestly with a client or a colleague",
            ],
            60,
            "ten concept checks (1 point each, checked automatically) and one written reflection "
            "(3 points, graded by your instructor): 13 points in all. Your instructor can adjust any score.",
        ),
        md("how-to", """
            ## How this notebook works

            Read each short section, then answer the question under it. Run a question cell with
            **Shift+Enter**, pick your answer and press **Check my answer**: you see whether it is right and
            why every option is right or wrong. Your answer is **saved as you click**, so you can change it
            and check again. The grey cell under each question re-reads your saved answer; it is what your
            instructor's grading runs.

            At the end you write a short reflection that your instructor reads and grades.
        """),

        # -- what it is -----------------------------------------------------------------------------
        md("what-is-bsh", """
            ## 1 · What between-session homework is

            Between-session homework (BSH) is a task you and the client agree in session, which the client
            then carries out in their own week. Its purpose is to carry what happens in the room into daily
            life, where the problem actually lives. Examples:

            - scheduling one valued activity a day, or keeping a mood and activity log
            - an exposure step, or a behavioural experiment that tests a fear
            - a thought record, practising a skill, or reading about the problem
            - noticing a pattern in relationships, or writing about a feeling
        """),
        md("what-is-bsh-2", """
            In this course, homework is never a task handed over and forgotten. It is designed and planned
            *with* the client and reviewed together at the next session, which is how Ryum, Bennion and
            Kazantzis (2023) describe integrating it well.
        """),
        *concept_exercise("01-what-is-bsh", "m01-what-is-bsh"),

        # -- the systematic review ------------------------------------------------------------------
        md("ryum-review", """
            ## 2 · The systematic review

            Ryum, Bennion and Kazantzis (2023) reviewed how therapists bring homework into therapy. They
            found **25 studies** with **1,304 clients** and **118 therapists**. Most studies tested
            cognitive-behavioural therapy or exposure for depression and anxiety.

            Rather than pooling the results into one effect size, the authors used a **box-score**: they
            counted how many findings pointed each way.

            - **Immediate** outcomes (what happened in the same session) were **mixed or neutral**.
            - **Intermediate** outcomes (from one session to the next) were **positive**.
        """),
        *concept_exercise("01-ryum-review", "m01-ryum-review"),

        md("four-behaviours", """
            ### The four therapist behaviours

            The same review names four things therapists do when they integrate homework well:

            1. give a **convincing rationale**: why this task should help this client;
            2. **design, plan and review the task flexibly and together**, in line with the client's goals;
            3. **align the task with what the client took from the session**;
            4. give a **written summary** of the task and of its rationale.

            These four are the spine of the checklist you use in the rest of the course (items `rationale`,
            `collaboration`, `goal_link`, `session_link` and `written_summary`).
        """),
        *concept_exercise("01-four-behaviours", "m01-four-behaviours"),

        # -- meta-analyses ----------------------------------------------------------------------------
        md("homework-effect", """
            ## 3 · The meta-analyses

            **Does adding homework help?** Kazantzis, Whittington and Dattilio (2010) pooled 46 studies of
            cognitive and behavioural therapies. In controlled comparisons of the *same* therapy given with
            and without homework, the pooled effect was **d = 0.48** in favour of homework, a moderate
            effect. Outliers and publication bias did not explain it.

            Note what was compared: therapy plus homework against the same therapy alone. The result says
            nothing about homework used without therapy.
        """),
        *concept_exercise("01-homework-effect", "m01-homework-effect"),

        md("compliance-outcome", """
            **Do clients who do more homework do better?** Mausbach et al. (2010) pooled 23 studies with
            2,183 clients. The correlation between completing homework and outcome was **r = .26**, which
            they call small to medium. It held across the kinds of problem treated.

            A correlation of this size is real but modest: most of the difference between clients' outcomes
            comes from other things.
        """),
        *concept_exercise("01-compliance-outcome", "m01-compliance-outcome"),

        md("quantity-quality", """
            **Does it matter how well the task is done?** Reviewing 32 studies, Kazantzis, Deane and Ronan
            (2004) found that almost all counted only how much homework was done. Kazantzis et al. (2016)
            later pooled studies of both **quantity** (how much) and **quality** (how well): both were
            related to outcome.

            The quality estimates rest on only three studies and have wide confidence intervals, so treat
            them as less certain than the quantity estimates.
        """),
        *concept_exercise("01-quantity-quality", "m01-quantity-quality"),

        # -- assigning vs reviewing ------------------------------------------------------------------
        md("assign-vs-review", """
            ## 4 · Assigning and reviewing: what predicted engagement

            Conklin, Strunk and Cooper (2018) coded what therapists did about homework in early sessions of
            cognitive therapy for depression (66 clients). **How therapists assigned** the new task predicted
            how engaged clients were with it by the next session. **How they reviewed** the previous task
            did not.

            That does not make review pointless: module 04 looks at what review is for, and at a study
            where it did predict outcome.
        """),
        *concept_exercise("01-assign-vs-review", "m01-assign-vs-review"),

        # -- engagement ------------------------------------------------------------------------------
        md("engagement", """
            ## 5 · Engagement rather than compliance

            *Compliance* asks one question: did the client do what they were told? Kazantzis and Miller
            (2022) argue that **engagement** is the more useful idea. It looks at how much the client did
            and how well, given how hard the task was and what got in the way (Yew et al., 2021).

            What the client believes about the task matters too: in Yew et al. (2021), clients with more
            positive beliefs about their homework engaged more. So a client who did part of a task has
            engaged, and that part is something to build on.
        """),
        md("the-word", """
            ### The word "homework"

            For many people, *homework* means school: compulsory, marked, something you can fail. Ryum,
            Bennion and Kazantzis (2024) note that the word can stir up fear of being judged or of failing.
            You can offer another word, such as *practice*, *experiment* or *try-out*; in emotion-focused
            therapy Warwar (2024) offers an "experiment" to try and see if it fits.

            Ask the client what they would like to call it. In this course the checklist item `framing`
            rewards a non-school word and saying that any outcome, done or not, is useful.
        """),
        *concept_exercise("01-engagement", "m01-engagement"),

        # -- what is not known -------------------------------------------------------------------------
        md("not-known", """
            ## 6 · What is not known

            Be honest about the limits, with clients and with colleagues.

            - **Most of the evidence is correlational.** Doing homework goes with better outcomes, but a
              correlation cannot show which causes which: clients who are improving may also find tasks
              easier to do.
            - **The links are modest** (r = .26 in Mausbach et al., 2010).
            - **Therapist skill is not proven to cause better outcomes.** Yew et al. (2021) found no lagged
              effect of therapists' homework competence on later outcome.
            - **Most studies are CBT for depression and anxiety** (Ryum, Bennion & Kazantzis, 2023).
        """),
        md("not-known-2", """
            Other things matter alongside completion: Addis and Jacobson (2000) found that accepting the
            treatment rationale predicted change on its own, separately from doing the homework.

            The checklist in this course brings together behaviours the research links with engagement. No
            single one of them has been shown to cause a better outcome.
        """),
        *concept_exercise("01-correlational", "m01-correlational"),

        # -- across therapies --------------------------------------------------------------------------
        md("across-therapies", """
            ## 7 · Homework across therapies

            Homework is **central** in behavioural and cognitive-behavioural therapies. It also has a
            **supporting** role in psychodynamic and humanistic-experiential therapies (Ryum & Kazantzis,
            2024).

            In a survey of 827 US psychologists, CBT therapists rated homework very important and
            psychodynamic therapists rated it somewhat to moderately important; monitoring dreams and
            thoughts was used across orientations (Kazantzis & Dattilio, 2010). In emotion-focused therapy,
            tasks grow out of emotionally alive work in session (Warwar, 2024). Module 05 shows how to adapt
            a task to each of these.
        """),
        *concept_exercise("01-across-therapies", "m01-across-therapies"),

        # -- reflection --------------------------------------------------------------------------------
        md("reflection-intro", """
            ## 8 · Reflection (graded by your instructor)

            Write your answer in the cell under the prompt: double-click it, replace *YOUR ANSWER HERE*, and
            press **Shift+Enter** to show it. Use your own words and the evidence from this notebook.
        """),
        *manual("01-reflection", 3, """
            **Prompt.** Ana, 34 (invented), has started CBT for low mood. When you suggest a task for the
            week she says: *"Homework? That's like school. I was always bad at school."* In 150 to 250 words,
            write what you would say to her, and why. Use the evidence from this notebook, cited by author and
            year, without claiming more than it shows.

            **For the grader** (3 points; a half point when an element is partly there):
            - **1:** takes the school worry seriously, offers a non-school word or asks for Ana's, and says
              any outcome, done or not, will be useful.
            - **1:** uses at least one finding correctly and cited (e.g. d = 0.48, r = .26) in plain words,
              and says honestly that the links are modest or correlational.
            - **1:** engagement, not compliance: the task chosen with Ana, tied to her goals, small enough to
              do, partial attempts counted; no must-complete language.
        """),

        # -- references --------------------------------------------------------------------------------
        md("references", """
            ## References
            - Addis, M. E., & Jacobson, N. S. (2000). A closer look at the treatment rationale and homework compliance in cognitive-behavioral therapy for depression. *Cognitive Therapy and Research, 24*(3), 313–326.
            - Conklin, L. R., Strunk, D. R., & Cooper, A. A. (2018). Therapist behaviors as predictors of immediate homework engagement in cognitive therapy for depression. *Cognitive Therapy and Research, 42*(1), 16–23.
            - Kazantzis, N., & Dattilio, F. M. (2010). Definitions of homework, types of homework, and ratings of the importance of homework among psychologists with cognitive behavior therapy and psychoanalytic theoretical orientations. *Journal of Clinical Psychology, 66*(7), 758–773.
            - Kazantzis, N., Deane, F. P., & Ronan, K. R. (2004). Assessing compliance with homework assignments: Review and recommendations for clinical practice. *Journal of Clinical Psychology, 60*(6), 627–641.
            - Kazantzis, N., & Miller, A. R. (2022). A comprehensive model of homework in cognitive behavior therapy. *Cognitive Therapy and Research, 46*(1), 247–257.
            - Kazantzis, N., Whittington, C., & Dattilio, F. (2010). Meta-analysis of homework effects in cognitive and behavioral therapy: A replication and extension. *Clinical Psychology: Science and Practice, 17*(2), 144–156.
        """),
        md("references-2", """
            - Kazantzis, N., Whittington, C., Zelencich, L., Kyrios, M., Norton, P. J., & Hofmann, S. G. (2016). Quantity and quality of homework compliance: A meta-analysis of relations with outcome in cognitive behavior therapy. *Behavior Therapy, 47*(5), 755–772.
            - Mausbach, B. T., Moore, R., Roesch, S., Cardenas, V., & Patterson, T. L. (2010). The relationship between homework compliance and therapy outcomes: An updated meta-analysis. *Cognitive Therapy and Research, 34*(5), 429–438.
            - Ryum, T., Bennion, M., & Kazantzis, N. (2023). Integrating between-session homework in psychotherapy: A systematic review of immediate in-session and intermediate outcomes. *Psychotherapy*. https://doi.org/10.1037/pst0000488
            - Ryum, T., Bennion, M., & Kazantzis, N. (2024). Between-session homework and processes of change. *Journal of Clinical Psychology*. https://doi.org/10.1002/jclp.23628
            - Ryum, T., & Kazantzis, N. (2024). Between-session homework in clinical training and practice: A transtheoretical perspective. *Clinical Psychology in Europe, 6*(Special Issue), e12607.
            - Warwar, S. (2024). The use of homework in emotion-focused therapy for depression. *Journal of Clinical Psychology, 80*(4), 744–761.
            - Yew, R. Y., Dobson, K. S., Zyphur, M., & Kazantzis, N. (2021). Mediators and moderators of homework–outcome relations in CBT for depression: A study of engagement, therapist skill, and client factors. *Cognitive Therapy and Research, 45*(2), 209–223.
        """),
    ]
    return NotebookSpec("01-why-homework", cells)
