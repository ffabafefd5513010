"""Module 05: adapting homework to the therapy and the person (emotion-focused, psychodynamic, family,
culture, language and literacy, and a case with risks to manage)."""

from nbbuild import NotebookSpec, header, md, plan_exercise


def spec() -> NotebookSpec:
    cells = [
        header(
            "05 · Adapting homework to the person and the therapy",
            [
                "shape a between-session task for emotion-focused and psychodynamic therapy without forcing "
                "worksheets on either",
                "share out a family task so each person has a part, including a relative who was not in the room",
                "fit a plan to a client's language, reading, telephone-only contact and values, without stereotyping",
                "name each risk in a plan and change the task to manage it",
            ],
            150,
            "five plans (Elena, Ravi, the Nguyen family, Sofía, Marcus), each scored on the 13 checklist "
            "behaviours (20 points each, 100 in all). The checks are automatic; your instructor can adjust "
            "any score.",
        ),
        md("how-to", """
            ## How this notebook works

            The plan form and the checks are the ones you used in module 03: type into the form, everything
            saves to `answers/`, and **Check my plan** explains every behaviour. The checklist does not change
            from one therapy to the next, but what counts as *met* follows the case. Each case opens with a
            short section on the adaptation it needs; read it before you open the form.

            All the clients are invented. Never type real client information into a form.
        """),
        # ------------------------------------------------------------------ emotion-focused therapy
        md("eft-teaching", """
            ## 1 · Emotion-focused therapy: an experiment, not homework

            In emotion-focused therapy most change happens in the session. A task between sessions has a
            supporting job: to hold on to and extend what shifted in emotionally alive work such as a
            two-chair dialogue (Warwar, 2024). Warwar describes three kinds of task:
            - **awareness**: notice in the week something that came up in session;
            - **practice**: rehearse a change the client reached in session;
            - **novelty**: try something new that grows out of that awareness or change.

            Warwar avoids the word *homework*, which sounds compulsory, and offers an experiment to try and
            see whether it fits. Tasks work best when they come from emotionally live, goal-focused work, are
            built together, and follow a short, personal explanation of why they might help.
        """),
        md("eft-checklist", """
            **What this means for the checklist.** Nothing has to be written: a moment the client remembers
            and brings back counts as the record for the review. A teach-back and a 0 to 10 confidence rating
            are still expected in every therapy, and so is a risk judgement.
        """),
        *plan_exercise("05-elena", "elena-eft", """
            ## Case 1 · Elena: carrying the chair work into her week

            Elena, 45, has had depression on and off since her twenties and a harsh inner critic that is
            loudest after small slips at work. A few minutes ago, in a two-chair dialogue, she answered the
            critic and felt something new for the scared girl she once was. Build a small experiment with her
            from that moment, in the few minutes of the day that are her own. She already expects to "do it
            wrong": notice who is speaking when she says so. Read her risk notes before you finish the plan.
        """),
        # ------------------------------------------------------------------ psychodynamic therapy
        md("pdt-teaching", """
            ## 2 · Psychodynamic therapy: noticing, not logging

            Homework has been studied less in psychodynamic therapy, where it usually plays a supporting part
            rather than a central one (Ryum & Kazantzis, 2024). Psychodynamic therapists do use it: in a survey
            of US psychologists, those with a psychoanalytic orientation rated homework as somewhat to
            moderately important, and monitoring dreams and conscious thoughts was used across orientations
            (Kazantzis & Dattilio, 2010).

            In this course a psychodynamic task is **reflective noticing**: the client watches for a pattern
            between sessions and brings an example back, so its meaning can be worked out in the room. Offer it
            tentatively, in the client's own words. No forms or counts are needed, and the checks never mark a
            psychodynamic plan down for having none; a teach-back and a 0 to 10 confidence rating are still
            expected.
        """),
        *plan_exercise("05-ravi", "ravi-psychodynamic", """
            ## Case 2 · Ravi: the feeling of not being heard

            Ravi, 38, is in his seventh session of open-ended psychodynamic therapy after losing two jobs to
            shouting matches with managers. He is on a final written warning. Today he recognised something
            himself: the feeling with his team leader is the one he had with his father. He also told you, with
            respect, that worksheets are not what therapy is. Shape a noticing task with him in his words, and
            make sure it asks nothing of him at work that could cost him this job.
        """),
        # ------------------------------------------------------------------ families and couples
        md("family-teaching", """
            ## 3 · Families: who does what

            Homework is common in couple therapy and is used with families too; Dattilio (2002) illustrates it
            as an agent of change in both. It is harder with families: in a survey of 226 couple and family
            therapists, homework was used more with couples than with families, and couples completed it more
            fully (Dattilio et al., 2011). Clinicians also felt that the less homework a family did, the more
            not doing it harmed the working alliance (Kazantzis et al., 2023).

            So a family plan needs: **who does what, and when**, fitted to each person's real week; a way to
            bring in **everyone who shapes the situation**, including relatives who were not in the room; **no
            task one person can use as proof against another**; and **a shared debrief** that the whole family
            brings to the review.
        """),
        *plan_exercise("05-nguyen", "nguyen-family", """
            ## Case 3 · The Nguyen family: school mornings with Bao

            Linh and Tuan came without their son Bao, 9, whose school mornings end in shouting. Linh found on
            Thursday that praising him as he dressed worked better than nagging. The parents work three jobs
            between them, so they are rarely home at the same time, and Tuan's mother Hoa, who helps every
            morning, believes praise will spoil a child. Tailor the plan to this family rather than to a
            stereotype of it: start from what Hoa herself wants for Bao, and decide with the parents how she
            hears about the plan.
        """),
        # ------------------------------------------------------------------ culture, language and literacy
        md("culture-teaching", """
            ## 4 · Culture, language and literacy

            Adapt to the person in front of you. Ramos and Alegría (2014) adapted a brief telephone CBT for
            Latino clients in low-resource settings with visual aids, shorter sessions, and metaphors, values
            and proverbs that meant something to the clients. Valentine et al. (2017) refined a trauma therapy
            manual for Spanish-speaking Latino clients in language, regional wording and reading level, which
            made it more appropriate and acceptable. Stay modest about what this buys: Benuto and O'Donohue
            (2015) found few studies and little evidence that cultural adaptation reliably raises effect
            sizes. The aim is to fit this client's values, family and words, not a group label.
        """),
        md("literacy-teaching", """
            **Literacy and the telephone.** A client who reads little needs a different form of task, not no
            task: pictures, audio in their language, phone reminders, and a spoken teach-back. The revised
            brief behavioural activation manual includes a modified daily monitoring form for clients with low
            literacy (Lejuez et al., 2011). When sessions are by phone, plan the review for the start of the
            next call: in telephone and in-person CBT for Spanish-speaking Latino clients with depression, how
            often the clinician actively reviewed homework predicted improvement, more than completion itself
            did (Aguilera et al., 2018).
        """),
        *plan_exercise("05-sofia", "sofia-telephone", """
            ## Case 4 · Sofía: by telephone, in Spanish

            You coded Sofía's session in module 02; now plan her week. She is 63, cares full time for
            her husband Ernesto after his stroke, left school at ten and reads only a little, and has only a
            landline and a basic mobile. Her sessions are by telephone with a bilingual therapist. Build on the
            call with her sister that made her laugh, find the hour her day allows, give her something she can
            use without reading, and use her own words and values for why time for herself matters.
        """),
        # ------------------------------------------------------------------ risk
        md("risk-teaching", """
            ## 5 · When there is a risk to manage

            Homework can do harm as well as good. Studies in the review by Ryum, Bennion and Kazantzis (2023)
            describe homework bringing pressure, anxiety, lower mood and strains in the relationship, and some
            clients having suicidal thoughts after watching recordings of their own sessions as exposure
            homework. In youth depression, high suicidal ideation changed how therapist skill carried through
            to homework engagement (Hildebrand-Burke et al., 2024).

            Safety comes first. Where risk is high right now, managing it comes before any homework. Otherwise,
            name each risk in the plan and change the task for each one: timing, dose, who knows, what the
            client does if distress climbs (their safety plan, a crisis line), and a check-in between sessions
            where the risk calls for one. Never include an instruction that cuts a client off from care.
        """),
        md("risk-dose", """
            **Dose in prolonged exposure.** In prolonged exposure for PTSD, clients who listened to their
            imaginal exposure recording at least about twice a week did about as well as the most adherent
            clients (Cooper et al., 2017). A doable, regular dose with a bad-day minimum beats an ideal plan
            the client cannot keep.
        """),
        *plan_exercise("05-marcus", "marcus-pe", """
            ## Case 5 · Marcus: prolonged exposure, with risks to manage

            Marcus, 52, an army veteran with PTSD, did his first full imaginal exposure today: his distress
            rose to 85 and fell to 50 by the end, and he felt "lighter". The task is listening to today's
            recording at home. He shares a small house with thin walls with his son, drinks most evenings to
            get to sleep, and has had passive thoughts that his family would be better off if he didn't wake
            up. Plan
            with him: name every risk and adjust the task for each, and solve the privacy problem.
        """),
        md("wrap-up", """
            ## Before you finish

            - Each form's status line should say *Saved*.
            - Use **Preview the handout** for each case. For Sofía, ask whether she could use that page as it
              stands, and make sure the plan says in what form she will actually receive it.
            - Run all the check cells above to see your points. Working alone? Open `00-start-here` to see
              your progress across the course.
        """),
        md("references", """
            ## References

            - Aguilera, A., Ramos, Z., Sistiva, D., Wang, Y., & Alegría, M. (2018). Homework completion via telephone and in-person cognitive behavioral therapy among Latinos. *Cognitive Therapy and Research, 42*(3), 340–347.
            - Benuto, L. T., & O'Donohue, W. (2015). Is culturally sensitive cognitive behavioral therapy an empirically supported treatment? The case for Hispanics. *International Journal of Psychology and Psychological Therapy, 15*(3), 405–421.
            - Cooper, A. A., Kline, A. C., Graham, B., Bedard-Gilligan, M., Mello, P. G., Feeny, N. C., & Zoellner, L. A. (2017). Homework "dose," type, and helpfulness as predictors of clinical outcomes in prolonged exposure for PTSD. *Behavior Therapy*. https://doi.org/10.1016/j.beth.2016.02.013
            - Dattilio, F. M. (2002). Homework assignments in couple and family therapy. *Journal of Clinical Psychology, 58*(5), 535–547.
            - Dattilio, F. M., Kazantzis, N., Shinkfield, G., & Carr, A. G. (2011). A survey of homework use, experience of barriers to homework, and attitudes about the barriers to homework among couples and family therapists. *Journal of Marital and Family Therapy, 37*(2), 121–136.
            - Hildebrand-Burke, C., Davey, C., Gwini, S. M., Catania, L., & Kazantzis, N. (2024). Therapist competence, homework engagement, and client characteristics in CBT for youth depression: A study of mediation and moderation in a community-based trial. *Psychotherapy Research, 34*(1), 41–53.
            - Kazantzis, N., & Dattilio, F. M. (2010). Definitions of homework, types of homework, and ratings of the importance of homework among psychologists with cognitive behavior therapy and psychoanalytic theoretical orientations. *Journal of Clinical Psychology, 66*(7), 758–773.
            - Kazantzis, N., Dattilio, F. M., Shinkfield, G., & Petrik, A. M. (2023). Clinician experiences of homework in couples and family therapy: A survey of perceived impact on the working alliance. *Scandinavian Journal of Psychology, 64*(1), 1–9.
            - Lejuez, C. W., Hopko, D. R., Acierno, R., Daughters, S. B., & Pagoto, S. L. (2011). Ten year revision of the brief behavioral activation treatment for depression: Revised treatment manual. *Behavior Modification, 35*(2), 111–161.
            - Ramos, Z., & Alegría, M. (2014). Cultural adaptation and health literacy refinement of a brief depression intervention for Latinos in a low-resource setting. *Cultural Diversity and Ethnic Minority Psychology, 20*(2), 293–301.
            - Ryum, T., Bennion, M., & Kazantzis, N. (2023). Integrating between-session homework in psychotherapy: A systematic review of immediate in-session and intermediate outcomes. *Psychotherapy*. https://doi.org/10.1037/pst0000488
            - Ryum, T., & Kazantzis, N. (2024). Between-session homework in clinical training and practice: A transtheoretical perspective. *Clinical Psychology in Europe, 6*(Special Issue), e12607.
            - Valentine, S. E., Borba, C. P. C., Dixon, L., et al. (2017). Cognitive processing therapy for Spanish-speaking Latinos: A formative study of a model-driven cultural adaptation of the manual to enhance implementation in a usual care setting. *Journal of Clinical Psychology, 73*(3), 239–256.
            - Warwar, S. (2024). The use of homework in emotion-focused therapy for depression. *Journal of Clinical Psychology, 80*(4), 744–761.
        """),
    ]
    return NotebookSpec("05-adapting-homework", cells)
