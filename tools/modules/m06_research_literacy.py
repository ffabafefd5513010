"""Module 06: research literacy, reading homework data with pandas (simulated data, six coded tasks)."""

from __future__ import annotations

import nbformat
from nbbuild import NotebookSpec, code, free, header, manual, md, solution, tests

from course.simulation import COMPLETION_OUTCOME_BAND


def task(slug: str, points: int, prompt: str, answer: str, checks: str) -> list[nbformat.NotebookNode]:
    """One coded task: the prompt, the answer cell and its test cell (grade ids `06-<slug>__*`)."""
    return [
        md(f"06-{slug}__task", prompt),
        solution(f"06-{slug}__answer", answer),
        tests(f"06-{slug}__tests", points, checks),
    ]


def spec() -> NotebookSpec:
    """The notebook for 06-research-literacy."""
    low, high = COMPLETION_OUTCOME_BAND
    cells = [
        header(
            "06 · Research literacy: homework data with pandas",
            [
                "compute homework completion rates, treating 'no task agreed' as missing rather than as zero",
                "compare how much homework clients did with how well they did it",
                "estimate the completion–outcome correlation and say what a correlation of that size can "
                "and cannot tell you",
                "tally study-level findings in a box-score and tell in-session from session-to-session outcomes",
            ],
            90,
            "six short pandas tasks, checked automatically (9 points). You can run the visible checks under "
            "each task; stricter hidden checks run when your instructor grades. One written interpretation, "
            "graded by your instructor against the rubric shown with it (3 points). 12 points in all.",
        ),
        md("about-the-data", """
            ## About the data: simulated, not real

            Every number in this notebook is **simulated**: there are no real clients, therapists or
            studies. The data come from `simulate_homework_study` in `course/simulation.py`. The model
            that generates them, and every parameter, is documented in that module's docstring and in
            `SIMULATION_PARAMETERS` (shown below).

            We chose the settings. The link between homework completion and improvement was set to be
            modest, close to the r = .26 that Mausbach et al. (2010) pooled across 23 studies. So what you
            find here reflects our choices, not new evidence. The `studies` table is invented for practice:
            its pattern imitates the box-score of Ryum, Bennion and Kazantzis (2023), but its studies do not
            exist.
        """),
        code("load-data", """
            import pandas as pd

            from course.simulation import SIMULATION_PARAMETERS, simulate_homework_study

            data = simulate_homework_study(seed=2024)
            clients, sessions, studies = data["clients"], data["sessions"], data["studies"]
            print(sessions.attrs["description"])
            pd.DataFrame.from_dict(SIMULATION_PARAMETERS, orient="index")
        """),
        md("the-tables", """
            ### The three tables

            | table | one row per | columns |
            |---|---|---|
            | `clients` | client | `client_id`, `age`, `therapist_id`, `baseline_phq9` (intake PHQ-9, 0–27; higher = more depressed) |
            | `sessions` | client and session (12 each) | `client_id`, `session`, `homework_assigned` (a task was agreed), `homework_quantity` (share of it completed before the next session, 0–1), `homework_quality` (therapist's 0–6 rating of how well it was done), `in_session_engagement` (observer's 0–4 rating of engagement in the session's homework discussion), `phq9` (at the start of the session) |
            | `studies` | finding of an invented study | `study_id`, `outcome_level` (`immediate` = in-session, `intermediate` = session-to-session), `direction`, `outcome`, `n_clients` |

            When no task was agreed, `homework_quantity` and `homework_quality` are missing (`NaN`), not 0.
            No task is agreed at the last session, which closes therapy.
        """),
        free("# Scratch space (not graded): explore the tables here, e.g. sessions.describe()"),
        *task("completion-rate", 2, """
            ### Task 1 · Completion rate per client (2 points)

            Make `completion_rate_by_client`: a Series indexed by `client_id` holding each client's mean
            `homework_quantity` over the sessions **where a task was agreed**. Not agreeing a task is not the
            same as a client doing none of it, so those sessions are left out, not counted as 0.

            *Hint:* `sessions.loc[sessions["homework_assigned"]]`, then
            `.groupby("client_id", observed=True)[...].mean()`.
        """, """
            ### BEGIN SOLUTION
            agreed = sessions.loc[sessions["homework_assigned"]]
            completion_rate_by_client = agreed.groupby("client_id", observed=True)["homework_quantity"].mean()
            ### END SOLUTION
            completion_rate_by_client.describe()
        """, '''
            """Task 1: one mean share completed (0-1) per client, over agreed tasks only, indexed by client_id."""
            assert isinstance(completion_rate_by_client, pd.Series), \\
                "completion_rate_by_client should be a pandas Series: one number per client."
            assert len(completion_rate_by_client) == len(clients), \\
                f"Expected one rate for each of the {len(clients)} clients; found {len(completion_rate_by_client)}."
            assert set(completion_rate_by_client.index) == set(clients["client_id"]), \\
                "Index the Series by client_id (group by the client_id column)."
            assert completion_rate_by_client.between(0, 1).all(), \\
                "A completion rate is a share: every value should lie between 0 and 1, with none missing."
            ### BEGIN HIDDEN TESTS
            _fresh = simulate_homework_study(seed=2024)["sessions"]
            _agreed = _fresh.loc[_fresh["homework_assigned"]]
            _expected = _agreed.groupby("client_id", observed=True)["homework_quantity"].mean()
            _yours = completion_rate_by_client.reindex(_expected.index).astype(float)
            assert ((_yours - _expected).abs() < 1e-9).all(), \\
                "Each rate should be the mean of homework_quantity over agreed tasks only (no task agreed is not 0)."
            ### END HIDDEN TESTS
        '''),
        *task("quantity-quality", 1, """
            ### Task 2 · Quantity versus quality (1 point)

            Kazantzis et al. (2016) found that both how much homework clients did and how well they did it
            were related to outcome. Are the two the same thing in these data? Compute
            `quantity_quality_corr`: the Pearson correlation between `homework_quantity` and
            `homework_quality` over the sessions with an agreed task, as a plain number (`float(...)`).

            *Hint:* `series_a.corr(series_b)`.
        """, """
            ### BEGIN SOLUTION
            agreed = sessions.loc[sessions["homework_assigned"]]
            quantity_quality_corr = float(agreed["homework_quantity"].corr(agreed["homework_quality"]))
            ### END SOLUTION
            round(quantity_quality_corr, 2)
        """, '''
            """Task 2: quantity_quality_corr is the Pearson r of share completed with quality rating, as a float."""
            assert isinstance(quantity_quality_corr, float), \\
                "quantity_quality_corr should be a single number (wrap it in float(...)), not a table."
            assert -1 <= quantity_quality_corr <= 1, \\
                "A correlation lies between -1 and 1 (and is not nan): check which columns you correlated."
            ### BEGIN HIDDEN TESTS
            _fresh = simulate_homework_study(seed=2024)["sessions"]
            _agreed = _fresh.loc[_fresh["homework_assigned"]]
            _expected = _agreed["homework_quantity"].corr(_agreed["homework_quality"])
            assert abs(quantity_quality_corr - _expected) < 1e-6, \\
                "Use the Pearson correlation of homework_quantity with homework_quality over agreed tasks."
            ### END HIDDEN TESTS
        '''),
        *task("improvement", 1, """
            ### Task 3 · Improvement per client (1 point)

            The outcome is **improvement**: the intake PHQ-9 (`baseline_phq9` in `clients`) minus the PHQ-9
            at the client's last session (session 12). A positive value means fewer symptoms. Make
            `improvement_by_client`, a Series indexed by `client_id`.

            *Hint:* select the rows of the last session, `set_index("client_id")` in both tables, then
            subtract: pandas lines the rows up by `client_id`.
        """, """
            ### BEGIN SOLUTION
            last_session = sessions.loc[sessions["session"] == sessions["session"].max()]
            last_phq9 = last_session.set_index("client_id")["phq9"]
            improvement_by_client = clients.set_index("client_id")["baseline_phq9"] - last_phq9
            ### END SOLUTION
            improvement_by_client.describe()
        """, '''
            """Task 3: improvement_by_client is intake PHQ-9 minus last-session PHQ-9, one value per client_id."""
            assert isinstance(improvement_by_client, pd.Series), \\
                "improvement_by_client should be a pandas Series: one number per client."
            assert set(improvement_by_client.index) == set(clients["client_id"]), \\
                "Index the Series by client_id, with one value for every client."
            assert improvement_by_client.notna().all(), \\
                "Some values are missing: did both Series share the client_id index when you subtracted?"
            assert improvement_by_client.mean() > 0, \\
                "On average these clients improved: if your mean is negative, subtract in the order intake minus last."
            ### BEGIN HIDDEN TESTS
            _data = simulate_homework_study(seed=2024)
            _fresh = _data["sessions"]
            _last = _fresh.loc[_fresh["session"] == _fresh["session"].max()].set_index("client_id")["phq9"]
            _expected = _data["clients"].set_index("client_id")["baseline_phq9"] - _last
            assert (improvement_by_client.reindex(_expected.index) == _expected).all(), \\
                "Use each client's PHQ-9 at session 12 (the last session), subtracted from baseline_phq9."
            ### END HIDDEN TESTS
        '''),
        *task("completion-outcome", 1, f"""
            ### Task 4 · The completion–outcome correlation (1 point)

            Compute `completion_outcome_corr`: the Pearson correlation, across clients, between
            `completion_rate_by_client` (task 1) and `improvement_by_client` (task 3), as a float. For
            comparison, Mausbach et al. (2010) pooled r = .26 (95 % CI .19 to .33) from 23 studies with
            2,183 clients.

            Our simulation was built so that in a very large sample this correlation lies between {low:.2f}
            and {high:.2f}. Your 120 clients give one estimate of it, with sampling error. *Optional, not
            graded:* in the scratch cell after this task, try your code on `simulate_homework_study(seed=7)`,
            or on data with no effect of homework at all (`quantity_effect=0, quality_effect=0`).
        """, """
            ### BEGIN SOLUTION
            completion_outcome_corr = float(completion_rate_by_client.corr(improvement_by_client))
            ### END SOLUTION
            round(completion_outcome_corr, 2)
        """, '''
            """Task 4: completion_outcome_corr is the Pearson r across clients of completion rate with improvement."""
            assert isinstance(completion_outcome_corr, float), \\
                "completion_outcome_corr should be a single number (wrap it in float(...))."
            assert -1 <= completion_outcome_corr <= 1, \\
                "A correlation lies between -1 and 1. If you got nan, check that both Series are indexed by client_id."
            ### BEGIN HIDDEN TESTS
            _data = simulate_homework_study(seed=2024)
            _fresh = _data["sessions"]
            _rate = _fresh.loc[_fresh["homework_assigned"]].groupby("client_id", observed=True)["homework_quantity"].mean()
            _last = _fresh.loc[_fresh["session"] == _fresh["session"].max()].set_index("client_id")["phq9"]
            _expected = _rate.corr(_data["clients"].set_index("client_id")["baseline_phq9"] - _last)
            _from_yours = completion_rate_by_client.corr(improvement_by_client)
            assert min(abs(completion_outcome_corr - _expected), abs(completion_outcome_corr - _from_yours)) < 1e-6, \\
                "Correlate completion_rate_by_client with improvement_by_client (Pearson, one pair per client)."
            ### END HIDDEN TESTS
        '''),
        free("# Optional (not graded): does the correlation change with another seed, or with no homework effect?"),
        *task("box-score", 2, """
            ### Task 5 · A box-score tally (2 points)

            A box-score review counts findings by category instead of pooling effect sizes. Ryum, Bennion
            and Kazantzis (2023) reviewed 25 studies (1,304 clients, 118 therapists) this way. The invented
            `studies` table has one row per finding. Make `box_score`: a DataFrame of counts with one row
            per `outcome_level` and one column per `direction`, with no totals row or column.

            *Hint:* `pd.crosstab(rows, columns)`.
        """, """
            ### BEGIN SOLUTION
            box_score = pd.crosstab(studies["outcome_level"], studies["direction"])
            ### END SOLUTION
            box_score
        """, '''
            """Task 5: box_score counts the findings in studies by outcome_level (rows) and direction (columns)."""
            assert isinstance(box_score, pd.DataFrame), "box_score should be a DataFrame (a table of counts)."
            assert set(box_score.index) == {"immediate", "intermediate"}, \\
                "Put the outcome levels (immediate, intermediate) in the rows and the directions in the columns."
            assert int(box_score.to_numpy().sum()) == len(studies), \\
                f"Every finding should be counted once: your counts add up to {int(box_score.to_numpy().sum())}, " \\
                f"and studies has {len(studies)} rows."
            ### BEGIN HIDDEN TESTS
            _studies = simulate_homework_study(seed=2024)["studies"]
            _expected = _studies.groupby(["outcome_level", "direction"], observed=True).size()
            assert set(box_score.columns) == set(_studies["direction"]), "Use one column for each direction."
            for (_level, _direction), _n in _expected.items():
                assert box_score.loc[_level, _direction] == _n, \\
                    f"The count of {_direction} findings on {_level} outcomes should be {_n}."
            ### END HIDDEN TESTS
        '''),
        *task("in-session-vs-next", 2, """
            ### Task 6 · In-session versus session-to-session outcomes (2 points)

            An **immediate** outcome is measured in the session itself: here `in_session_engagement`, rated
            while the task is discussed. An **intermediate** outcome is measured at the next session: here
            the share of the task done, and the change in symptoms. For each session, the *next-session
            improvement* is that session's PHQ-9 minus the same client's PHQ-9 at the next session.

            Over the sessions with an agreed task, compute two Pearson correlations with next-session
            improvement, as floats: `engagement_next_corr` (with `in_session_engagement`) and
            `quantity_next_corr` (with `homework_quantity`).

            *Hint:* `sessions.groupby("client_id", observed=True)["phq9"].shift(-1)` gives each row the next
            session's PHQ-9 (the rows are sorted by client and session). Add columns with
            `sessions.assign(...)` rather than changing `sessions`.
        """, """
            ### BEGIN SOLUTION
            next_phq9 = sessions.groupby("client_id", observed=True)["phq9"].shift(-1)
            with_next = sessions.assign(next_improvement=sessions["phq9"] - next_phq9)
            agreed_next = with_next.loc[with_next["homework_assigned"]]
            engagement_next_corr = float(agreed_next["in_session_engagement"].corr(agreed_next["next_improvement"]))
            quantity_next_corr = float(agreed_next["homework_quantity"].corr(agreed_next["next_improvement"]))
            ### END SOLUTION
            round(engagement_next_corr, 2), round(quantity_next_corr, 2)
        """, '''
            """Task 6: engagement_next_corr and quantity_next_corr are Pearson r's with next-session improvement."""
            assert isinstance(engagement_next_corr, float), \\
                "engagement_next_corr should be a single number (wrap it in float(...))."
            assert isinstance(quantity_next_corr, float), \\
                "quantity_next_corr should be a single number (wrap it in float(...))."
            assert -1 <= engagement_next_corr <= 1 and -1 <= quantity_next_corr <= 1, \\
                "Both correlations should lie between -1 and 1; nan means the two columns had no rows in common."
            ### BEGIN HIDDEN TESTS
            _fresh = simulate_homework_study(seed=2024)["sessions"]
            _next = _fresh["phq9"] - _fresh.groupby("client_id", observed=True)["phq9"].shift(-1)
            _agreed = _fresh["homework_assigned"]
            _engagement = _fresh.loc[_agreed, "in_session_engagement"].corr(_next[_agreed])
            _quantity = _fresh.loc[_agreed, "homework_quantity"].corr(_next[_agreed])
            assert abs(engagement_next_corr - _engagement) < 1e-6, \\
                "engagement_next_corr: correlate in_session_engagement with this PHQ-9 minus the next, agreed tasks only."
            assert abs(quantity_next_corr - _quantity) < 1e-6, \\
                "quantity_next_corr: correlate homework_quantity with this PHQ-9 minus the next, agreed tasks only."
            ### END HIDDEN TESTS
        '''),
        *manual("06-interpretation", 3, """
            ### Interpretation (3 points, graded by your instructor)

            In about 150–250 words, in your own words:

            1. How do the in-session measure and the share of homework done relate to next-session
               improvement (task 6)? How does that echo the box-score (task 5) and the pattern Ryum et al.
               (2023) describe, where findings on immediate outcomes of therapists' homework behaviours were
               mixed or neutral and findings on session-to-session outcomes positive?
            2. Your completion–outcome correlation (task 4) is positive. Why does it not show that doing
               homework *caused* the improvement, and what kind of study could test that?

            **How this answer is graded (rubric for the grader, shown to you too).** Half points are allowed.

            - **1 point: in-session versus session-to-session.** Reports, with the numbers from task 6, that
              in-session engagement is close to unrelated to next-session improvement while the share done
              is modestly related, and links this to the box-score pattern (immediate findings neutral or
              mixed, intermediate mostly positive). Notes that both correlations are small. *Half:* the
              pattern is stated without numbers, or without the link to the box-score.
            - **1 point: correlation is not causation.** Names at least two specific alternatives to
              "homework caused the improvement", e.g. a third variable that drives both (motivation, life
              circumstances, the therapist), reverse causation (clients who are already improving have more
              energy for tasks), or who stays in the sample; and notes that r of about .2 to .3 leaves most of
              the variation in outcome unexplained. *Half:* one alternative, or a bare "correlation is not
              causation" with no mechanism.
            - **1 point: design and the limits of these data.** Names a design that can test the causal
              question, e.g. randomly assigning clients to the same therapy with or without homework (the
              kind of comparison Kazantzis, Whittington and Dattilio, 2010, pooled) or randomising a
              therapist behaviour; **and** says that these data are simulated, so the model documented in
              `course/simulation.py` decides what is true here (it includes a built-in confounder,
              `recovery_propensity_weight`). *Half:* only one of the two.

            Restating numbers without interpreting them earns nothing. An answer that reaches a different
            conclusion earns the points if it reasons from the numbers.
        """),
        md("wrap-up", """
            ## Before you finish

            - Restart the kernel and run all cells, to check that every answer runs from the top.
            - Run each check cell: a cell that finishes without an error passed its visible checks.
            - The tables depend only on the seed: anyone who runs this notebook with seed 2024 gets the
              same numbers, so you can compare answers with a classmate.
        """),
    ]
    return NotebookSpec("06-research-literacy", cells)

