"""Written-out cases for the indicator rule: what a counsellor hears, what they record, and
what the ILO/EC rule of catalogue version 1 makes of it.

The people are invented; the patterns are the ones KCIK meets (labour exploitation of
foreigners in Poland, Polish people exploited abroad, "loverboy" recruitment, forced
begging and forced criminality, children). Answers name real indicators of
``reference/ilo_2009.json`` as ``"<dimension>:<code>"``; ``test_scenarios`` fails when one
does not exist. Indicators not named take ``unlisted``: "no" after a full conversation,
"unknown" when the call ended early.

``browser=True`` marks the clear cases the browser tests drive through the assessment form.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from ostoja.identification.engine import DimensionStatus, Suggestion

DR = "deceptive_recruitment"
CR = "coercive_recruitment"
RA = "recruitment_abuse_vulnerability"
EX = "exploitation"
CD = "coercion_destination"
AD = "abuse_vulnerability_destination"

P = DimensionStatus.PRESENT
N = DimensionStatus.NOT_PRESENT
I = DimensionStatus.INSUFFICIENT  # noqa: E741 — P, N, I read as a table below


def yes(*keys: str) -> dict[str, str]:
    return dict.fromkeys(keys, "yes")


def unknown(*keys: str) -> dict[str, str]:
    return dict.fromkeys(keys, "unknown")


@dataclass(frozen=True)
class Expected:
    """What the rule gives for one list: each dimension's status, then the suggestion."""

    dimensions: Mapping[str, DimensionStatus]
    suggestion: Suggestion


def dims(
    dr: DimensionStatus,
    cr: DimensionStatus,
    ra: DimensionStatus,
    ex: DimensionStatus,
    cd: DimensionStatus,
    ad: DimensionStatus,
) -> dict[str, DimensionStatus]:
    """The six statuses in the order of the definition."""
    return {DR: dr, CR: cr, RA: ra, EX: ex, CD: cd, AD: ad}


@dataclass(frozen=True)
class Scenario:
    slug: str
    narrative: str
    child: bool
    # "<dimension>:<code>" → "yes"/"no"/"unknown"; shared by the lists in ``expected`` (a
    # key need only exist in one of them, e.g. a prostitution-specific indicator).
    answers: Mapping[str, str]
    # The list(s) to use, with what each gives.
    expected: Mapping[str, Expected]
    unlisted: str = "no"
    browser: bool = False
    tags: tuple[str, ...] = field(default=())


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        slug="greenhouse-grojec",
        narrative=(
            "Ukrainian man, 34, recruited through a Facebook ad for greenhouse work near "
            "Grójec at 25 zł an hour with free housing. On arrival the 'coordinator' took his "
            "passport 'for registration'; a 'debt' for transport and housing is deducted, so "
            "he has been paid nothing in two months. 14-hour days seven days a week; he and "
            "five others sleep in a container locked at night."
        ),
        child=False,
        answers={
            **yes(
                f"{DR}:deceived-wages",
                f"{DR}:deceived-housing",
                f"{DR}:deceived-conditions-of-work",
                f"{RA}:economic-reasons",
                f"{RA}:abuse-lack-of-information",
                f"{EX}:excessive-hours",
                f"{EX}:low-or-no-salary",
                f"{EX}:bad-living-conditions",
                f"{CD}:confiscation-of-documents",
                f"{CD}:debt-bondage",
                f"{CD}:isolation-confinement-surveillance",
                f"{CD}:withholding-of-wages",
                f"{AD}:economic-reasons",
                f"{AD}:difficulty-unknown-area",
            ),
        },
        # Recruitment by abuse of vulnerability: 2 medium only; destination abuse likewise.
        expected={"adult_labour": Expected(dims(P, N, N, P, P, N), Suggestion.SUGGESTS)},
        browser=True,
        tags=("labour", "adult", "foreign"),
    ),
    Scenario(
        slug="loverboy-dortmund",
        narrative=(
            "Polish woman, 23, from a small town in Podkarpacie. A new boyfriend offered her "
            "waitressing in his cousin's bar in Germany; in Dortmund she was taken to a flat "
            "and made to see clients every night. He keeps her ID card and phone, takes all "
            "the money, beat her when she refused and threatens to send photos to her parents."
        ),
        child=False,
        answers={
            **yes(
                f"{DR}:deceived-nature-of-job",
                f"{DR}:deceived-wages",
                f"{RA}:psychological-emotional-dependency",
                f"{RA}:personal-situation",
                f"{RA}:economic-reasons",
                f"{EX}:excessive-hours",
                f"{EX}:low-or-no-salary",
                f"{EX}:very-bad-working-conditions",
                f"{CD}:confiscation-of-documents",
                f"{CD}:violence-on-victim",
                f"{CD}:forced-tasks-or-clients",
                f"{CD}:threats-to-inform-family",
                f"{AD}:dependency-on-exploiters",
                f"{AD}:difficulty-unknown-area",
                f"{AD}:difficulties-in-the-past",
            ),
        },
        # Sexual list: exploitation has no strong indicator — 3 medium make it present;
        # destination abuse is 2 medium + 1 weak.
        expected={"adult_sexual": Expected(dims(P, N, P, P, P, P), Suggestion.SUGGESTS)},
        browser=True,
        tags=("sexual", "adult", "polish", "abroad"),
    ),
    Scenario(
        slug="nail-bar-minor",
        narrative=(
            "Vietnamese boy, 16, brought through Russia and Belarus; his family was told he "
            "would finish school in Poland while working part-time in a restaurant. He works "
            "twelve hours a day in a nail bar in Warsaw and sleeps above it; he does not go "
            "to school. He says he is free to go out, but the 'uncle' decides everything."
        ),
        child=True,
        answers={
            **yes(
                f"{DR}:deceived-education",
                f"{DR}:deceived-travel-recruitment",
                f"{EX}:excessive-hours",
                f"{EX}:no-access-to-education",
                f"{CD}:under-strong-influence",
                f"{AD}:dependency-on-exploiters",
            ),
        },
        # Child rule: recruitment + exploitation suffice. "Under strong influence" is strong
        # for children but alone does not make coercion present — and need not.
        expected={"child_labour": Expected(dims(P, N, N, P, N, N), Suggestion.SUGGESTS)},
        tags=("labour", "child", "foreign"),
    ),
    Scenario(
        slug="nail-bar-minor-on-adult-rule",
        narrative=(
            "The same boy assessed by mistake on the adult list (his age was not yet known): "
            "without the means at destination the adult rule is not met. The form must pick "
            "the list from the age at exploitation."
        ),
        child=False,
        answers={
            **yes(
                f"{DR}:deceived-education",
                f"{DR}:deceived-travel-recruitment",
                f"{DR}:deceived-conditions-of-work",
                f"{EX}:excessive-hours",
                f"{EX}:no-access-to-education",
                f"{CD}:under-strong-influence",
                f"{AD}:dependency-on-exploiters",
            ),
        },
        expected={"adult_labour": Expected(dims(P, N, N, P, N, N), Suggestion.DOES_NOT_SUGGEST)},
        tags=("labour", "borderline"),
    ),
    Scenario(
        slug="forced-begging-poznan",
        narrative=(
            "Bulgarian man, 52, who walks with crutches, brought to Poznań by an acquaintance "
            "promising work at a car wash. Instead he is driven every morning to the station "
            "to beg, watched from a car, and all the money is taken in the evening. He shares "
            "a mattress in an overcrowded flat and speaks no Polish."
        ),
        child=False,
        answers={
            **yes(
                f"{DR}:deceived-nature-of-job",
                f"{DR}:deceived-travel-recruitment",
                f"{RA}:personal-situation",
                f"{RA}:economic-reasons",
                f"{RA}:abuse-lack-of-education",
                f"{EX}:excessive-hours",
                f"{EX}:low-or-no-salary",
                f"{EX}:bad-living-conditions",
                f"{CD}:isolation-confinement-surveillance",
                f"{CD}:forced-tasks-or-clients",
                f"{CD}:withholding-of-wages",
                f"{AD}:dependency-on-exploiters",
                f"{AD}:difficulty-unknown-area",
                f"{AD}:personal-characteristics",
            ),
        },
        expected={"adult_labour": Expected(dims(P, N, P, P, P, P), Suggestion.SUGGESTS)},
        tags=("begging", "adult", "foreign"),
    ),
    Scenario(
        slug="warehouse-labour-law-only",
        narrative=(
            "Polish woman, 45, packing in a warehouse near Łódź through a temporary-work "
            "agency. She was promised an employment contract but got a civil-law contract; "
            "overtime is unpaid and pay comes late and short. She lives at home, keeps her "
            "documents, and can leave; she asks about suing the agency."
        ),
        child=False,
        answers={
            **yes(
                f"{DR}:deceived-contract",
                f"{DR}:deceived-conditions-of-work",
                f"{EX}:no-respect-labour-laws",
                f"{EX}:no-social-protection",
                f"{EX}:wage-manipulation",
                f"{AD}:economic-reasons",
            ),
        },
        # Exploitative conditions are present (3 medium) but nothing else is: a labour-law
        # matter (refer to PIP), not a trafficking pattern.
        expected={"adult_labour": Expected(dims(N, N, N, P, N, N), Suggestion.DOES_NOT_SUGGEST)},
        tags=("labour", "adult", "polish", "negative"),
    ),
    Scenario(
        slug="construction-two-medium",
        narrative=(
            "Georgian man, 29, on a building site in Wrocław, recruited by a friend of a "
            "friend. Three months' wages are withheld and the foreman says he will report him "
            "to the Border Guard if he complains; his visa-free stay has run out. No one has "
            "taken his passport or threatened violence; he lives in a rented room."
        ),
        child=False,
        answers={
            **yes(
                f"{DR}:deceived-wages",
                f"{DR}:deceived-legal-status",
                f"{DR}:deceived-contract",
                f"{EX}:low-or-no-salary",
                f"{EX}:no-social-protection",
                f"{EX}:very-bad-working-conditions",
                f"{CD}:withholding-of-wages",
                f"{CD}:threat-of-denunciation",
                f"{AD}:relationship-with-authorities",
                f"{AD}:difficulties-in-the-past",
                f"{AD}:personal-characteristics",
            ),
        },
        # Borderline: 2 medium at destination is not enough, nor 1 medium + 2 weak. A
        # counsellor should keep asking (threats to the family would tip coercion).
        expected={"adult_labour": Expected(dims(P, N, N, P, N, N), Suggestion.DOES_NOT_SUGGEST)},
        tags=("labour", "adult", "foreign", "borderline"),
    ),
    Scenario(
        slug="domestic-worker-cut-off",
        narrative=(
            "A Filipino woman calls from a bathroom: she is a live-in domestic worker for a "
            "family in Warsaw. Her passport is kept by the employer 'for safekeeping'; she "
            "works from six in the morning to eleven at night for a fraction of the agreed "
            "pay. The call ends before she can say whether she may go out."
        ),
        child=False,
        answers={
            **yes(
                f"{CD}:confiscation-of-documents",
                f"{EX}:excessive-hours",
                f"{EX}:low-or-no-salary",
            ),
        },
        unlisted="unknown",
        # Exploitation present; everything else open. One strong at destination is not
        # yet coercion, but the unanswered indicators could make it so.
        expected={"adult_labour": Expected(dims(I, I, I, P, I, I), Suggestion.INSUFFICIENT)},
        tags=("labour", "adult", "foreign", "insufficient"),
    ),
    Scenario(
        slug="children-home-loverboy",
        narrative=(
            "Polish girl, 15, living in a children's home in Silesia. An older 'boyfriend' "
            "bought her clothes and a phone, then began driving her to hotels to meet men; he "
            "keeps the money. She skips school and says she loves him and must not let him "
            "down."
        ),
        child=True,
        answers={
            **yes(
                f"{RA}:psychological-emotional-dependency",
                f"{RA}:abuse-difficult-family-situation",
                f"{RA}:personal-situation",
                f"{EX}:low-or-no-salary",
                f"{EX}:hazardous-work",
                f"{EX}:no-access-to-education",
                f"{CD}:under-strong-influence",
                f"{CD}:forced-tasks-or-clients",
            ),
        },
        expected={"child_sexual": Expected(dims(N, N, P, P, P, N), Suggestion.SUGGESTS)},
        tags=("sexual", "child", "polish"),
    ),
    Scenario(
        slug="independent-sex-worker-threatened",
        narrative=(
            "Ukrainian woman, 31, works independently in a flat she rents in Kraków, keeps "
            "her earnings and came to Poland on her own. She calls because a client refused "
            "to pay and threatened to hurt her. She wants advice on going to the police."
        ),
        child=False,
        answers={
            **yes(
                f"{EX}:hazardous-work",
                f"{CD}:threats-of-violence",
            ),
        },
        # One strong indicator alone (threats are strong on the sexual list) is not a
        # present dimension. The centre still helps: violence, not trafficking, on these
        # answers.
        expected={"adult_sexual": Expected(dims(N, N, N, N, N, N), Suggestion.DOES_NOT_SUGGEST)},
        tags=("sexual", "adult", "foreign", "negative"),
    ),
    Scenario(
        slug="kathmandu-agency-debt",
        narrative=(
            "Nepali man, 27, paid an agency in Kathmandu 5,000 USD, borrowed from a lender, "
            "for a job in a meat plant; the agent kept his passport until departure. The "
            "plant pays the agreed rate on paper, but the agency deducts rent for a crowded "
            "hostel and 'fees', so little is left; he cannot repay the loan, and his "
            "residence permit depends on the agency."
        ),
        child=False,
        answers={
            **yes(
                f"{CR}:debt-bondage",
                f"{CR}:confiscation-of-documents",
                f"{CR}:withholding-of-money",
                f"{EX}:wage-manipulation",
                f"{EX}:low-or-no-salary",
                f"{EX}:bad-living-conditions",
                f"{AD}:economic-reasons",
                f"{AD}:relationship-with-authorities",
                f"{AD}:dependency-on-exploiters",
            ),
        },
        # No deception recorded: coercive recruitment (3 medium) meets the recruitment
        # group on its own; the means at destination are abuse of vulnerability.
        expected={"adult_labour": Expected(dims(N, P, N, P, N, P), Suggestion.SUGGESTS)},
        tags=("labour", "adult", "foreign"),
    ),
    Scenario(
        slug="telegram-courier-minor",
        narrative=(
            "Polish boy, 17, answered a Telegram offer of 'courier work, 1,000 zł a day'. It "
            "was carrying drugs between cities; he was paid a little at first, then told he "
            "owed for a lost package. When he wanted to stop, they said they knew where his "
            "mother lives. He has stopped going to school."
        ),
        child=True,
        answers={
            **yes(
                f"{DR}:deceived-nature-of-job",
                f"{DR}:deceived-wages",
                f"{EX}:hazardous-work",
                f"{EX}:no-access-to-education",
                f"{EX}:low-or-no-salary",
                f"{CD}:forced-illicit-activities",
                f"{CD}:threats-of-violence",
                f"{CD}:violence-on-family",
            ),
        },
        expected={"child_labour": Expected(dims(P, N, N, P, P, N), Suggestion.SUGGESTS)},
        tags=("criminality", "child", "polish"),
    ),
    Scenario(
        slug="kebab-stall-school-report",
        narrative=(
            "A school counsellor reports a Ukrainian girl, 14, who works nights at her "
            "uncle's kebab stall and sleeps in class. How she came to Poland and who looks "
            "after her is not known yet."
        ),
        child=True,
        answers={
            **yes(f"{EX}:excessive-hours", f"{EX}:no-access-to-education"),
        },
        unlisted="unknown",
        # Exploitation present; recruitment unknown: the child rule cannot be settled yet.
        expected={"child_labour": Expected(dims(I, I, I, P, I, I), Suggestion.INSUFFICIENT)},
        tags=("labour", "child", "foreign", "insufficient"),
    ),
    Scenario(
        slug="thai-massage-two-lists",
        narrative=(
            "Thai woman, 38, recruited as a masseuse for a spa in Warsaw. The employer holds "
            "her passport and a 'debt' for the flight; she works twelve-hour shifts for tips "
            "only and is pressed to offer 'extras' to clients. Whether the conditions are "
            "otherwise bad she would not say. Both lists apply."
        ),
        child=False,
        answers={
            **yes(
                f"{DR}:deceived-nature-of-job",
                f"{DR}:deceived-wages",
                f"{EX}:excessive-hours",
                f"{EX}:low-or-no-salary",
                f"{CD}:confiscation-of-documents",
                f"{CD}:debt-bondage",
                f"{CD}:forced-tasks-or-clients",
                f"{AD}:difficulty-unknown-area",
                f"{AD}:relationship-with-authorities",
                f"{AD}:dependency-on-exploiters",
            ),
            **unknown(f"{EX}:very-bad-working-conditions"),
        },
        # Excessive hours are strong on the labour list but medium on the sexual one, so
        # the same answers give exploitation on one list and an open question on the other.
        expected={
            "adult_labour": Expected(dims(P, N, N, P, P, P), Suggestion.SUGGESTS),
            "adult_sexual": Expected(dims(P, N, N, I, P, P), Suggestion.INSUFFICIENT),
        },
        tags=("labour", "sexual", "adult", "foreign", "borderline"),
    ),
    Scenario(
        slug="homeless-man-netherlands",
        narrative=(
            "Polish man, 58, homeless, approached at Warszawa Centralna by a man offering farm "
            "work in the Netherlands with board and lodging. There he was kept with others in "
            "a barn, his ID card taken, beaten for working slowly, and given cigarettes and "
            "alcohol instead of wages. He escaped and called from a Dutch police station."
        ),
        child=False,
        answers={
            **yes(
                f"{DR}:deceived-housing",
                f"{DR}:deceived-wages",
                f"{DR}:deceived-conditions-of-work",
                f"{RA}:personal-situation",
                f"{RA}:economic-reasons",
                f"{RA}:difficulties-in-the-past",
                f"{EX}:excessive-hours",
                f"{EX}:low-or-no-salary",
                f"{EX}:bad-living-conditions",
                f"{CD}:confiscation-of-documents",
                f"{CD}:violence-on-victim",
                f"{CD}:isolation-confinement-surveillance",
                f"{AD}:difficulty-unknown-area",
                f"{AD}:dependency-on-exploiters",
            ),
        },
        expected={"adult_labour": Expected(dims(P, N, P, P, P, N), Suggestion.SUGGESTS)},
        tags=("labour", "adult", "polish", "abroad"),
    ),
)
