"""Module 02: the checklist behaviour by behaviour, with transcript excerpts, then three transcripts to code."""

from nbbuild import NotebookSpec, header, md, spotting_exercise

from course.checklist import load_checklist
from course.vignettes import get_vignette

# One paragraph per checklist behaviour, in our own words: what it is, what met and partly met look
# like, and one source. Names, ids and points come from course/data/checklist.yaml.
ABOUT = {
    "goal_link": """
        The task earns its place by serving something the client wants. *Met:* the plan names one of the
        client's goals in their words, or close to them, and says how the task moves toward it. *Partly met:*
        the goal is turned into clinical language, or named with no link; an aim that fits anyone ("feel
        better") does not count. Tompkins (2002) lists *meaningful* among the features of a good assignment.
    """,
    "session_link": """
        The task carries forward what the client took from today's session. *Met:* the plan gives that
        takeaway in the client's words, or close to them, and says how the task extends or tests it. *Partly
        met:* the moment is told from the therapist's side ("I showed her…"), or the takeaway has no link to
        the task. Ryum, Bennion and Kazantzis (2023) name aligning homework with the client's takeaways as
        one of four therapist behaviours in their review.
    """,
    "rationale": """
        The client hears why this task, for them: what keeps their problem going and how the task acts on
        it, in everyday words. *Partly met:* the reason is true of the problem or task in general ("activity
        lifts mood") but not tied to this client, or it is in jargon. "Homework helps" alone is missing.
        Addis and Jacobson (2000) found that clients' acceptance of the treatment rationale predicted their
        progress in CBT for depression.
    """,
    "collaboration": """
        The client shapes the task. *Met:* the plan records the options offered, what the client chose or
        changed, and the client's own words. *Partly met:* the client clearly shaped it but one of the three
        is not recorded. A bare "client agreed" is missing. Detweiler-Bedell and Whisman (2005) found better
        outcomes in cognitive therapy for depression when clients took part in the homework discussion.
    """,
    "specificity": """
        Anyone could picture the task. *Met:* all five of an action, a day and time or a trigger, a place, a
        frequency and a duration. *Partly met:* three or four of them. "A few times" or "when she has time"
        do not count. In a survey by Kelly and Deane (2009), 93 % of case managers used homework but only
        15 % set it systematically, with frequency, duration and place.
    """,
    "doable_dose": """
        The task fits the client's week and energy, and shrinks for a bad day. *Met:* the time and effort
        suit the client's stated life, there is a minimum version, and for exposure, response prevention or
        an experiment that drops a safety behaviour, a named step of the hierarchy. *Partly met:* one of
        these is missing. Tompkins (2002) asks for assignments that are doable and come with a backup plan.
    """,
    "obstacles": """
        Likely obstacles from this case are named before the client leaves, each with a concrete if–then
        ("If it rains, then I will…"). *Met:* at least one realistic obstacle, and every obstacle listed has
        its if–then. *Partly met:* a real obstacle with a vague answer ("push through"), or a concrete plan
        for a generic obstacle. Eliciting reactions and troubleshooting obstacles predicted adolescents'
        adherence (Jungbluth & Shirk, 2013).
    """,
    "commitment_check": """
        The client explains the task back in their own words and rates their confidence from 0 to 10; below
        7, the task is changed and rated again. *Partly met:* only the teach-back or only the rating, or a
        rating below 7 with nothing changed. "Client understood" is not a teach-back. Clients with more
        positive beliefs about their homework engaged with it more (Yew et al., 2021).
    """,
    "written_summary": """
        The client leaves with a short record in plain words: the task, when, and a why that is about them,
        in a form they can use (audio, pictures or their own language where the case needs it). *Partly met:*
        exactly one fault, such as no "when", a generic why, jargon, or a form the client cannot use. Ryum,
        Bennion and Kazantzis (2023) name a written summary of the task and its rationale among the four.
    """,
    "review_plan": """
        The plan says what the client will record or bring back and that you will look at it early next
        session. In emotion-focused or psychodynamic work a remembered moment counts. *Partly met:* one of
        the two. For Latino clients in CBT, how often the clinician actively reviewed homework predicted
        outcome (Aguilera et al., 2018).
    """,
    "framing": """
        The task is offered as something to try, in a word that is not school ("practice", "experiment",
        "try-out", or the client's own word), and any outcome, done or not, counts as useful. *Partly met:*
        one of the two. "Homework" alone, or must-do language, is missing. The word *homework* can bring back
        school, marking and the fear of failing (Ryum, Bennion & Kazantzis, 2024).
    """,
    "fit": """
        The plan suits this person's culture, language, literacy, technology and daily life, and the therapy
        you are doing. *Met:* the case's key constraints are met. *Partly met:* an important one is missed,
        or the plan goes against a stated preference. A plan the client cannot carry out at all (asleep at
        that hour, cannot read it, cannot afford it) is missing. Valentine et al. (2017) refined a therapy
        manual for Spanish-speaking clients in language, regional wording and reading level.
    """,
    "safety": """
        Every plan records a risk judgement that matches the case: each risk named with the change made for
        it, or "screened, none identified" where there is none. *Partly met:* one of several risks handled,
        or risks named with no change. Blank or "N/A" is missing, and so is any plan with an unsafe
        instruction. Homework can bring pressure, anxiety and lower mood (Ryum, Bennion & Kazantzis, 2023).
    """,
    "review": """
        When a task comes back half done or not done, the therapist asks openly what happened before
        judging, credits any partial attempt, draws out what was learned, explores what got in the way with
        curiosity (environment, client, task or therapist), and revises the task together. *Partly met:*
        three or four of these moves, or all five with blaming words. Tompkins (2002) asks therapists to stay
        curious and to reinforce every step that served the task's purpose. You practise it in module 04.
    """,
}

# For each behaviour, a case and one or two short stretches of therapist turns coded with it.
# Quotes are checked against the transcripts when the notebook is built. None comes from the three
# transcripts you code in this notebook.
EXCERPTS = {
    "goal_link": ("luis-substance", [
        "You said you want to be clean for Valeria's birthday, five weeks away, which means getting through "
        "five paydays."]),
    "session_link": ("nguyen-family", [
        "So the praise came right when he'd done it, and he kept going. What do you make of that?"]),
    "rationale": ("aisha-panic", [
        "every time your heart speeds up you sit down, get off or check your pulse, so you never find out that "
        "a racing heart passes on its own, and the fear of fainting stays as strong as ever."]),
    "collaboration": ("hannah-pain", [
        "What options do you see? You could take one walk a day, two short ones, or start with something at "
        "home instead, like unloading the dishwasher for a set time."]),
    "specificity": ("priya-erp", [
        "So when you get in at about seven: straight to the sofa, read with Rohan for twenty minutes in your "
        "work clothes, no washing first, then a shower of ten minutes at most."]),
    "doable_dose": ("jordan-teen", [
        "If Thursday morning feels awful, what's a smaller version that would still count?"]),
    "obstacles": ("hannah-pain", ["What if your back twinges halfway round?"]),
    "commitment_check": ("aisha-panic", [
        "Five is useful to know. What would make it feel doable: fewer stops, a different time, something else?",
        "Can you say it back to me, and rate it again?"]),
    "written_summary": ("okafor-video", [
        "I'll ask Ngozi to print a card in big letters for the back door, and she offered to ring you at half "
        "past ten for the first week."]),
    "review_plan": ("elena-eft", ["Nothing to write; just bring the moment here and we'll start with it."]),
    "framing": ("marcus-pe", ["It's practice, not a test: however the week goes, we learn something."]),
    "fit": ("farid-interpreter", [
        "Wahid could read my breathing instructions in Dari and we record them on your phone; or you could "
        "practise from memory, counting the breaths on your fingers; or both."]),
    "safety": ("marcus-pe", [
        "sometimes you think Devon would be better off if you didn't wake up. How have those been this week?",
        "listen at four, before any beer, and never late in the evening."]),
    "review": ("jamal-review", [
        "Monday's filled in, hour by hour. That's a whole day of real information, and getting started is the "
        "bit most people find hardest.",
        "What got in the way on the other days? I'm curious, not checking up on you."]),
}

# The tour in four cells, in checklist order.
GROUPS = [
    ("checklist-why-and-whose", "Why this task, and whose it is",
     ["goal_link", "session_link", "rationale", "collaboration"]),
    ("checklist-making-it-doable", "Making it concrete and doable",
     ["specificity", "doable_dose", "obstacles", "commitment_check"]),
    ("checklist-taking-it-home", "What the client takes home",
     ["written_summary", "review_plan", "framing"]),
    ("checklist-fit-safety-review", "Fit, safety, and the review",
     ["fit", "safety", "review"]),
]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _excerpt(item_id: str) -> str:
    """The excerpt for one behaviour as a markdown quote, checked against the case's coded turns."""
    case_id, quotes = EXCERPTS[item_id]
    case = get_vignette(case_id)
    coded = [_flat(turn.text) for turn in case.transcript if item_id in turn.behaviours]
    for quote in quotes:
        if not any(_flat(quote) in text for text in coded):
            raise ValueError(f"m02: the {item_id} excerpt is not in a turn of {case_id} coded {item_id}: {quote!r}")
    who = case.title.split(":")[0].strip()
    said = " … ".join(f"“{_flat(q)}”" for q in quotes)
    return f"> *{who}* (`{case_id}`), therapist: {said}"


def _tour_cells() -> list:
    items = load_checklist().items
    order = [item.id for item in items]
    grouped = [item_id for _, _, ids in GROUPS for item_id in ids]
    if grouped != order or set(ABOUT) != set(order):
        raise ValueError("m02: the checklist tour must cover every behaviour once, in checklist order")
    number = {item_id: i + 1 for i, item_id in enumerate(order)}
    cells = []
    for grade_id, title, ids in GROUPS:
        blocks = []
        for item_id in ids:
            item = load_checklist().item(item_id)
            points = f"{item.weight} point{'s' if item.weight > 1 else ''}"
            blocks.append(f"**{number[item_id]} · {item.name}** (`{item.id}`, {points}). {_flat(ABOUT[item_id])}\n\n"
                          f"{_excerpt(item_id)}")
        cells.append(md(grade_id, f"### {title}\n\n" + "\n\n".join(blocks)))
    return cells


def spec() -> NotebookSpec:
    cells = [
        header(
            "02 · Spotting the behaviours",
            [
                "name the 13 behaviours a homework plan is scored on, and the review behaviour, in checklist order",
                "say what met and partly met look like for each behaviour",
                "recognise each behaviour in what a therapist actually says in session",
                "code three session transcripts turn by turn and learn from hits, misses and false alarms",
            ],
            75,
            "three coded transcripts (Maya, Kim and Alex, Sofía). Each behaviour the therapist shows in a "
            "transcript is worth one point; false alarms cost half a point. The checks are automatic; your "
            "instructor can adjust any score.",
        ),
        md("how-to", """
            ## How this notebook works

            First a tour of the checklist: every behaviour in checklist order, what it means, what met and
            partly met look like, and a line or two from a session where a therapist shows it. Then you code
            three sessions yourself in a form: tick, under each therapist turn, the behaviours that turn shows.
            Your ticks **save as you go** to the `answers/` folder next to this notebook, and **Check my
            coding** explains every hit, miss and false alarm.

            All the clients are invented. Never type real client information anywhere in the course.
        """),
        md("checklist-intro", """
            ## The checklist

            The checklist has 13 behaviours a homework plan is scored on, plus one for reviewing a task. They
            follow the way a clinician works: design the task with the client, assign it, then review it.
            Core behaviours are worth 2 points and supporting ones 1; each is **met**, **partly met** (half
            its points) or **missing**. Several rest on the four therapist behaviours highlighted in a
            systematic review of homework (Ryum, Bennion & Kazantzis, 2023); the others draw on further
            studies of how therapists set and review homework.

            Each excerpt below is quoted from one of the course's invented sessions and names the case it
            comes from. None comes from the three sessions you code later.
        """),
        *_tour_cells(),
        md("coding-rules", """
            ## How to code a transcript

            - Code **only the therapist's turns**; the other turns are there for context.
            - Tick a behaviour on each turn where the therapist shows it in what they say or ask.
              One turn can show several behaviours, or none, and a behaviour can show up in several turns.
            - The review behaviour does not appear on these three forms: none of the sessions reviews a task.
            - **Scoring:** each behaviour the transcript shows is worth one point, shared among the turns
              where it appears. **False alarms cost half a point:** a tick on a turn that does not show the
              behaviour takes away half of what a correct tick of that behaviour earns. No behaviour drops
              below zero.
            - Check as often as you like; change your ticks and check again.
        """),
        *spotting_exercise("02-spot-maya", "maya-activation", """
            ## Transcript 1 · Maya: behavioural activation

            Maya, 34, lost her job and her mood has sunk. In her fourth session she and her therapist look at
            the activity and mood card she kept on her fridge, then plan the week. Look for the moments where
            the therapist hands Maya's own discovery back to her, explains why the task might help, lets her
            choose, pins down the details and checks she has it. Read each therapist turn on its own:
            several do more than one thing.
        """),
        *spotting_exercise("02-spot-kim-alex", "kim-alex-couple", """
            ## Transcript 2 · Kim and Alex: a couple's first speaker-listener turn

            Kim and Alex, in their fourth session of couple therapy, have just tried taking turns to speak
            and listen. The same behaviours apply with two clients, but watch how the therapist takes up Kim's
            worry that she will be marked, and fits the task around her night shifts. Remember
            that a false alarm costs half a point: tick what the turn shows, not what you hope it shows.
        """),
        *spotting_exercise("02-spot-sofia", "sofia-telephone", """
            ## Transcript 3 · Sofía: by telephone, in Spanish

            Sofía, 63, cares full time for her husband after his stroke, reads only a little, and has her
            sessions by telephone in Spanish (shown in English translation). Look for how the plan is made
            to fit her language, her reading and her day, and for what she is given to take away. One
            turn here carries three behaviours at once.
        """),
        md("wrap-up", """
            ## Before you finish

            - Each form's status line should say *Saved*.
            - Run the three check cells above to see your points; read the explanations for anything you
              missed or ticked by mistake.
            - Next, in module 03, you use the same checklist to design plans yourself. Working alone? Open
              `00-start-here` to see your progress across the course.
        """),
    ]
    return NotebookSpec("02-spotting-the-behaviours", cells)
