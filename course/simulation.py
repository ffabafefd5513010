"""A simulated homework study for the research-literacy module (module 06). SIMULATED DATA.

Nothing here describes real clients, therapists or studies. `simulate_homework_study` invents a
small psychotherapy data set so that trainees can practise reading homework research with pandas:
completion rates, quantity versus quality of completion, the completion–outcome correlation, a
box-score tally of study-level findings, and how one therapist behaviour relates to an immediate
(in-session) and an intermediate (session-to-session) outcome.

The generating model (every number is in `SIMULATION_PARAMETERS` and can be changed by keyword):

Clients and therapists
    Each client has an age (normal, `age_mean` and `age_sd`, kept within 18–75), a therapist (drawn
    at random from `n_therapists`) and an intake PHQ-9 score, `baseline_phq9` (normal, `baseline_mean`
    and `baseline_sd`, kept within 10–27: moderate depression or worse). Age has no effect on anything.
    Each client also has three hidden traits, never returned: a homework *propensity* (standard
    normal, plus a therapist effect with SD `therapist_sd`), a *skill* with the task (standard
    normal) and a natural *recovery rate* in PHQ-9 points per session. Each therapist has a hidden
    effect on how well they set tasks (see `therapist_behaviour` below), drawn independently of the
    therapist effect on propensity.

Sessions
    Every client attends `n_sessions` weekly sessions (no drop-out). At each session except the
    last (which closes therapy) a task is agreed with probability `assign_prob`. For an agreed task:

    - `therapist_behaviour` (0–4, one decimal) is an observer's rating of how well the therapist
      set the task: a convincing rationale, designing it with the client, linking it to the
      session's takeaway, a written summary (the four behaviours of Ryum, Bennion & Kazantzis,
      2023a). It is `behaviour_mean` plus a therapist effect (SD `behaviour_therapist_sd`, the same
      for all of a therapist's sessions) plus session noise (SD `behaviour_session_sd`), rounded and
      kept within 0–4. Below, `b` is the rating minus `behaviour_mean`.
    - `homework_quantity`, the share of the task completed before the next session (0–1, in steps
      of 0.1), is 0 with probability `not_started_prob`; otherwise it is the logistic function of
      `quantity_intercept + quantity_propensity_weight * propensity + quantity_behaviour_weight * b
      + noise(quantity_noise_sd)`: an *intermediate* (session-to-session) outcome of the therapist's
      behaviour.
    - `homework_quality`, the therapist's 0–6 rating of how well it was done, is 0 when nothing
      was done; otherwise it is `quality_intercept + quality_quantity_weight * quantity +
      quality_skill_weight * skill + noise(quality_noise_sd)`, rounded and kept within 0–6.

    When no task is agreed, behaviour, quantity and quality are missing (NaN), not zero.
    `in_session_engagement` (0–4, one decimal) is an observer's rating of how engaged the client
    was in the session's homework discussion: an *immediate*, in-session outcome of the therapist's
    behaviour. It is `engagement_mean + engagement_behaviour_weight * b +
    engagement_propensity_weight * propensity + noise(engagement_noise_sd)` (with b = 0 when no
    task is agreed) and has no effect on symptoms.

    So in-session engagement and next-session completion (and through it, next-session symptom
    change) are both *outcomes of the therapist's behaviour*, as in the review; neither is a cause
    of the other. The weights are set so that the immediate link is weak (about r = .1 in a large
    sample) and the intermediate link clearly positive (about r = .3), the pattern Ryum, Bennion &
    Kazantzis (2023a) report (immediate outcomes mixed or neutral, intermediate outcomes positive).
    `BEHAVIOUR_OUTCOME_BANDS` holds the calibrated ranges. This is a simulation choice that imitates
    the pattern; the review's studies measured many behaviours and outcomes, not this one rating.
    With the default 8 therapists, behaviour and propensity can also be linked by chance at the
    therapist level (with both behaviour weights set to 0 the large-sample correlations are about
    -.02 and -.04 at seed 7, not exactly 0). Next-session *symptom* change moves with behaviour only
    through the homework done, and week-to-week noise swamps it (r about .01).

Symptoms
    A latent severity starts at the intake score and falls each week by the client's recovery
    rate, plus a homework effect of `quantity_effect * quantity + quality_effect * quality / 6`
    for an agreed task, plus noise (`symptom_noise_sd`); it never goes below 0. The recovery rate
    is `recovery_mean + recovery_propensity_weight * propensity + noise(recovery_sd)`: clients who
    do more homework also recover a little faster for reasons that are not the homework (a
    built-in confounder). `phq9` is the latent severity at the start of each session plus
    measurement noise (`measurement_sd`), rounded and kept within 0–27.

Calibration (a simulation choice, not a finding)
    The homework effect is deliberately weak. At the defaults the client-level correlation between
    completion rate (mean quantity over agreed tasks) and improvement (intake PHQ-9 minus the last
    session's PHQ-9) is about r = .25 in a large sample, close to the r = .26 that Mausbach et al.
    (2010) pooled across 23 studies. `COMPLETION_OUTCOME_BAND` is the band it is calibrated to;
    with 120 clients a single seed can stray from it by sampling error alone (over seeds 0-39 the
    120-client values spread with an SD of about .09; the default seed, 2024, gives about .30).
    Roughly half of the large-sample correlation comes from the confounder: with
    `recovery_propensity_weight=0` it is about .15, and with no homework effect at all
    (`quantity_effect=0, quality_effect=0`) it is still about .12.

Studies
    The `studies` table is invented for practice and is the same for every seed. Each row is one
    finding of one made-up study. Its pattern imitates the box-score of Ryum, Bennion and Kazantzis
    (2023a; the OUP chapter, with its journal twin 2023b): findings on immediate (in-session)
    outcomes of therapist homework behaviour are neutral or mixed, findings on intermediate
    (session-to-session) outcomes are mostly positive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

SIMULATION_PARAMETERS: dict[str, dict[str, Any]] = {
    "n_therapists": {"default": 8, "description": "number of therapists; each client sees one, drawn at random"},
    "age_mean": {"default": 40.0, "description": "mean client age in years (ages are kept within 18-75)"},
    "age_sd": {"default": 13.0, "description": "SD of client age in years"},
    "baseline_mean": {"default": 16.0, "description": "mean intake PHQ-9 (scores are kept within 10-27)"},
    "baseline_sd": {"default": 4.0, "description": "SD of intake PHQ-9"},
    "therapist_sd": {"default": 0.5, "description": "SD of the therapist effect added to every client's homework "
                                                    "propensity"},
    "assign_prob": {"default": 0.85, "description": "probability that a task is agreed at a session (never at the "
                                                    "last session)"},
    "not_started_prob": {"default": 0.08, "description": "probability that an agreed task is not started at all "
                                                         "(quantity 0)"},
    "quantity_intercept": {"default": 0.6, "description": "logit of the share completed for a client of average "
                                                          "propensity"},
    "quantity_propensity_weight": {"default": 1.0, "description": "change in that logit per SD of propensity"},
    "quantity_noise_sd": {"default": 0.8, "description": "session-to-session noise in that logit"},
    "quality_intercept": {"default": 1.0, "description": "quality rating (0-6) of a barely started task by a client "
                                                         "of average skill"},
    "quality_quantity_weight": {"default": 3.0, "description": "quality points added by completing the whole task"},
    "quality_skill_weight": {"default": 0.7, "description": "quality points per SD of the client's skill"},
    "quality_noise_sd": {"default": 0.8, "description": "noise in the quality rating before rounding"},
    "behaviour_mean": {"default": 2.0, "description": "mean observer rating (0-4) of how well the therapist set "
                                                   "the task (rationale, collaboration, link to the takeaway, "
                                                   "written summary)"},
    "behaviour_therapist_sd": {"default": 0.5, "description": "SD of the therapist effect on that rating (the same "
                                                              "for all of a therapist's sessions)"},
    "behaviour_session_sd": {"default": 0.6, "description": "session-to-session SD of that rating"},
    "quantity_behaviour_weight": {"default": 0.8, "description": "change in the logit of the share completed per "
                                                                 "rating point of therapist behaviour (intermediate "
                                                                 "outcome)"},
    "engagement_behaviour_weight": {"default": 0.1, "description": "in-session engagement points per rating point "
                                                                   "of therapist behaviour (immediate outcome; weak)"},
    "engagement_mean": {"default": 2.2, "description": "mean in-session engagement rating (0-4)"},
    "engagement_propensity_weight": {"default": 0.15, "description": "engagement points per SD of propensity (a "
                                                                     "weak link)"},
    "engagement_noise_sd": {"default": 0.7, "description": "noise in the engagement rating"},
    "recovery_mean": {"default": 0.3, "description": "mean natural fall in PHQ-9 per session, without homework"},
    "recovery_sd": {"default": 0.3, "description": "SD of the natural recovery rate between clients"},
    "recovery_propensity_weight": {"default": 0.05, "description": "extra natural recovery per SD of propensity "
                                                                   "(the built-in confounder)"},
    "quantity_effect": {"default": 0.25, "description": "PHQ-9 points gained by completing a whole task (the "
                                                        "quantity part of the homework effect)"},
    "quality_effect": {"default": 0.25, "description": "PHQ-9 points gained by a quality rating of 6 (the quality "
                                                       "part of the homework effect)"},
    "symptom_noise_sd": {"default": 1.0, "description": "week-to-week noise in latent severity"},
    "measurement_sd": {"default": 1.5, "description": "measurement noise in each PHQ-9 score"},
}

COMPLETION_OUTCOME_BAND: tuple[float, float] = (0.20, 0.30)
"""The population range the defaults are calibrated to for r(completion rate, improvement)."""

BEHAVIOUR_OUTCOME_BANDS: dict[str, tuple[float, float]] = {
    "immediate": (0.0, 0.15),
    "intermediate": (0.2, 0.4),
}
"""Population ranges of r(therapist_behaviour, outcome) over agreed tasks at the defaults:
`immediate` = in_session_engagement, `intermediate` = homework_quantity by the next session."""

STUDY_FINDINGS: tuple[tuple[str, str, str, str, int], ...] = (
    ("S01", "immediate", "neutral", "client engagement in the homework discussion", 48),
    ("S01", "intermediate", "positive", "homework completion by the next session", 48),
    ("S02", "immediate", "mixed", "working alliance rated at the end of the session", 62),
    ("S02", "intermediate", "positive", "symptom change by the next session", 62),
    ("S03", "immediate", "positive", "client's stated intention to try the task", 35),
    ("S04", "immediate", "neutral", "client engagement in the homework discussion", 71),
    ("S04", "intermediate", "positive", "homework completion by the next session", 71),
    ("S05", "immediate", "mixed", "client's understanding of the task rationale", 29),
    ("S06", "immediate", "negative", "working alliance rated at the end of the session", 40),
    ("S07", "immediate", "neutral", "client engagement in the homework discussion", 55),
    ("S08", "immediate", "mixed", "client's stated intention to try the task", 33),
    ("S09", "intermediate", "positive", "homework completion by the next session", 90),
    ("S10", "intermediate", "mixed", "symptom change by the next session", 44),
    ("S11", "intermediate", "positive", "homework quality rated at the next session", 58),
    ("S12", "intermediate", "positive", "symptom change by the next session", 120),
    ("S13", "intermediate", "neutral", "homework completion by the next session", 26),
    ("S14", "intermediate", "positive", "symptom change by the next session", 67),
)
"""The invented study-level findings behind the `studies` table (study, level, direction, outcome, n)."""

_DESCRIPTIONS = {
    "clients": "SIMULATED clients (not real people): one row per client with age, therapist and intake PHQ-9. "
               "Generated by course.simulation.simulate_homework_study; see SIMULATION_PARAMETERS.",
    "sessions": "SIMULATED sessions (not real data): one row per client and session with the task agreed, the "
                "therapist's rated behaviour in setting it, the share completed and its quality (NaN when no task was "
                "agreed), in-session engagement and PHQ-9. "
                "Generated by course.simulation.simulate_homework_study; see SIMULATION_PARAMETERS.",
    "studies": "INVENTED study-level findings for box-score practice (not real studies): one row per finding, "
               "with the outcome level (immediate = in-session, intermediate = session-to-session) and the "
               "direction of the finding. Its pattern imitates Ryum, Bennion & Kazantzis (2023a).",
}


def simulate_homework_study(n_clients: int = 120, n_sessions: int = 12, seed: int = 2024,
                            **params: float) -> dict[str, pd.DataFrame]:
    """A simulated homework study: the tables `clients`, `sessions` and `studies`.

    The same arguments always give the same tables. Any name in `SIMULATION_PARAMETERS` can be
    overridden by keyword. Every table has `attrs["simulated"] = True`, a `description`, and the
    `seed` and `parameters` used. Raises TypeError for an unknown parameter and ValueError for
    sizes that cannot make a study.
    """
    import numpy as np
    import pandas as pd

    unknown = sorted(set(params) - set(SIMULATION_PARAMETERS))
    if unknown:
        raise TypeError(f"unknown simulation parameter(s) {unknown}; see SIMULATION_PARAMETERS")
    if n_clients < 2 or n_sessions < 2:
        raise ValueError("a study needs at least 2 clients and 2 sessions")
    p = {name: spec["default"] for name, spec in SIMULATION_PARAMETERS.items()} | params
    if int(p["n_therapists"]) < 1:
        raise ValueError("n_therapists must be at least 1")
    rng = np.random.default_rng(seed)

    clients, hidden = _clients(rng, n_clients, p)
    sessions = _sessions(rng, clients, hidden, n_sessions, p)
    studies = pd.DataFrame(list(STUDY_FINDINGS),
                           columns=["study_id", "outcome_level", "direction", "outcome", "n_clients"])

    used = {"n_clients": n_clients, "n_sessions": n_sessions, **p}
    tables = {"clients": clients, "sessions": sessions, "studies": studies}
    for name, table in tables.items():
        table.attrs.update({"simulated": True, "description": _DESCRIPTIONS[name], "seed": seed,
                            "parameters": dict(used)})
    return tables


def _clients(rng: np.random.Generator, n: int, p: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """The clients table and each client's hidden traits."""
    import numpy as np
    import pandas as pd

    n_therapists = int(p["n_therapists"])
    therapist = rng.integers(0, n_therapists, size=n)
    therapist_effect = rng.normal(0.0, p["therapist_sd"], size=n_therapists)
    behaviour_effect = rng.normal(0.0, p["behaviour_therapist_sd"], size=n_therapists)
    propensity = rng.normal(size=n) + therapist_effect[therapist]
    hidden = {
        "therapist_behaviour": behaviour_effect[therapist],
        "propensity": propensity,
        "skill": rng.normal(size=n),
        "recovery": p["recovery_mean"] + p["recovery_propensity_weight"] * propensity
        + rng.normal(0.0, p["recovery_sd"], size=n),
    }
    clients = pd.DataFrame({
        "client_id": [f"C{i + 1:03d}" for i in range(n)],
        "age": np.clip(np.rint(rng.normal(p["age_mean"], p["age_sd"], size=n)), 18, 75).astype("int64"),
        "therapist_id": [f"T{t + 1:02d}" for t in therapist],
        "baseline_phq9": np.clip(np.rint(rng.normal(p["baseline_mean"], p["baseline_sd"], size=n)), 10, 27)
        .astype("int64"),
    })
    return clients, hidden


def _sessions(rng: np.random.Generator, clients: pd.DataFrame, hidden: dict[str, np.ndarray], n_sessions: int,
              p: dict[str, Any]) -> pd.DataFrame:
    """One row per client and session, generated week by week."""
    import numpy as np
    import pandas as pd

    n = len(clients)
    shape = (n, n_sessions)
    propensity = hidden["propensity"][:, None]

    assigned = rng.random(shape) < p["assign_prob"]
    assigned[:, -1] = False
    behaviour = np.clip(np.round(p["behaviour_mean"] + hidden["therapist_behaviour"][:, None]
                                 + rng.normal(0.0, p["behaviour_session_sd"], size=shape), 1), 0.0, 4.0)
    b = np.where(assigned, behaviour - p["behaviour_mean"], 0.0)
    logit = p["quantity_intercept"] + p["quantity_propensity_weight"] * propensity \
        + p["quantity_behaviour_weight"] * b + rng.normal(0.0, p["quantity_noise_sd"], size=shape)
    quantity = np.round(1.0 / (1.0 + np.exp(-logit)), 1)
    quantity[rng.random(shape) < p["not_started_prob"]] = 0.0
    quality_raw = p["quality_intercept"] + p["quality_quantity_weight"] * quantity \
        + p["quality_skill_weight"] * hidden["skill"][:, None] + rng.normal(0.0, p["quality_noise_sd"], size=shape)
    quality = np.where(quantity == 0.0, 0.0, np.clip(np.rint(quality_raw), 0, 6))
    quantity = np.where(assigned, quantity, np.nan)
    quality = np.where(assigned, quality, np.nan)

    engagement = p["engagement_mean"] + p["engagement_behaviour_weight"] * b \
        + p["engagement_propensity_weight"] * propensity + rng.normal(0.0, p["engagement_noise_sd"], size=shape)
    engagement = np.clip(np.round(engagement, 1), 0.0, 4.0)

    homework_effect = np.where(assigned, p["quantity_effect"] * np.nan_to_num(quantity)
                               + p["quality_effect"] * np.nan_to_num(quality) / 6.0, 0.0)
    weekly_noise = rng.normal(0.0, p["symptom_noise_sd"], size=shape)
    latent = np.empty(shape)
    latent[:, 0] = clients["baseline_phq9"].to_numpy(dtype=float)
    for s in range(1, n_sessions):
        change = hidden["recovery"] + homework_effect[:, s - 1] + weekly_noise[:, s - 1]
        latent[:, s] = np.maximum(latent[:, s - 1] - change, 0.0)
    phq9 = np.clip(np.rint(latent + rng.normal(0.0, p["measurement_sd"], size=shape)), 0, 27).astype("int64")

    return pd.DataFrame({
        "client_id": np.repeat(clients["client_id"].to_numpy(), n_sessions),
        "session": np.tile(np.arange(1, n_sessions + 1, dtype="int64"), n),
        "homework_assigned": assigned.ravel(),
        "therapist_behaviour": np.where(assigned, behaviour, np.nan).ravel(),
        "homework_quantity": quantity.ravel(),
        "homework_quality": quality.ravel(),
        "in_session_engagement": engagement.ravel(),
        "phq9": phq9.ravel(),
    })
