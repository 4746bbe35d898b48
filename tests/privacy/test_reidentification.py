"""The two questions: is the post about a specific person in care, and what singles them out?

One test per class of miss or false alarm from issue 13. The posts are written for these tests
(not copied from any corpus) so that they test the idea, not one wording.
"""

import pytest

from privacy import check_post
from privacy.subject import FRAMES


def _risky(text: str) -> bool:
    return check_post(text).risky


# --- Question one: a specific person the author cared for, with no listed identifier


@pytest.mark.parametrize(
    "text",
    [
        "Sat with my patient while his granddaughter Oonagh read to him. Hardest shift this month.",
        "Discharged the lovely man in bay 2 today, his wife Thandiwe brought the whole ward cake.",
    ],
)
def test_a_relative_named_with_a_name_outside_the_word_list_is_flagged(text):
    report = check_post(text)
    assert report.risky
    assert {"relative", "name"} & set(report.categories())


@pytest.mark.parametrize(
    "text",
    [
        "Guess who I stitched up tonight... that footballer everyone's talking about 👀",
        "Treating a well-known local singer this week, she's lovely, won't say who 🤐",
        "Had the Rovers goalkeeper in with a dislocated finger this morning, legend",
    ],
)
def test_a_public_figure_hinted_at_while_being_treated_is_flagged(text):
    assert _risky(text)


@pytest.mark.parametrize(
    "text",
    [
        "My client in Ballymore finally walked to the post office after her stroke 💪",
        "One of our residents turned heads at the Clonmel fete today in her sequinned hat",
        "A service user from the Riverside estate told me today his benefits were cut again",
    ],
)
def test_a_client_resident_or_service_user_is_a_person_in_care(text):
    report = check_post(text)
    assert report.about_person
    assert report.risky


def test_an_occupation_and_a_local_place_single_out_a_patient():
    assert _risky("Saw the man who runs the florist on the high street in with chest pain today")
    assert _risky("Our patient, the only dentist in Kilmore, is recovering well after surgery")


def test_a_distinctive_look_and_a_repeat_visit_single_out_a_patient():
    text = "Third time this week, same story, same green beanie. The guy just wants a warm bed."
    assert _risky(text)


def test_a_woman_met_on_the_ward_this_week_is_a_specific_person():
    text = (
        "A woman I met on the ward this week, a retired postmistress from Lisdoon, told me a story"
    )
    assert check_post(text).about_person
    assert _risky(text)


def test_patient_cues_alone_stay_low():
    for text in (
        "My patient today taught me a new card game. Best part of the shift.",
        "A client told me this week that our group is the only place she feels heard.",
    ):
        report = check_post(text)
        assert report.about_person
        assert report.risk == "low", report.findings


def test_a_rare_condition_in_a_small_place_with_a_time_is_flagged():
    text = "Confirmed a case of measles in a toddler at our clinic in a town of 900 this morning"
    report = check_post(text)
    assert report.risky
    assert "condition" in report.categories()


def test_a_rare_condition_in_general_education_stays_clean():
    assert not _risky("Measles is back: check your MMR status before travelling this summer.")


# --- Described images


def test_a_described_picture_of_a_document_with_a_patient_number_is_high():
    text = "[photo: the handover sheet on the desk, patient names and NHS numbers readable] chaos"
    report = check_post(text)
    assert report.risk == "high"
    media = [f for f in report.findings if f.category == "media"]
    assert media and "handover sheet" in media[0].text


def test_a_described_picture_showing_no_one_stays_low():
    for text in (
        "[photo: the empty resus bay after we restocked it, lights off] calm before the storm",
        "[video: me explaining inhaler technique with a training device] save this one!",
    ):
        assert check_post(text).risk in ("none", "low"), text


# --- Negation and first person


def test_no_patient_details_but_followed_by_details_is_flagged():
    text = (
        "No patient details here, but the retired headteacher from Glenmore we admitted "
        "yesterday is doing well"
    )
    assert _risky(text)


def test_the_author_describing_their_own_admission_with_a_date_is_not_flagged():
    text = "I was admitted on 3 March for my own appendix and the nurses were incredible."
    report = check_post(text)
    assert report.risk in ("none", "low"), report.findings


# --- Talk about privacy, simulation, notices, hypotheticals


def test_advice_to_colleagues_about_privacy_is_not_flagged_high():
    text = (
        "Colleagues, a reminder: even without a name, 'the 94-year-old farmer in bed 3' is "
        "identifying. Never post patient stories, it's a privacy breach."
    )
    assert check_post(text).risk != "high"
    assert check_post(text).frame == "privacy-talk"


def test_a_named_simulation_manikin_in_a_numbered_bed_is_not_a_patient():
    text = "Our sim lab manikin Gladys in bed 6 had her third cardiac arrest of the week 😂"
    report = check_post(text)
    assert report.frame == "simulation"
    assert report.risk in ("none", "low")


def test_a_hypothetical_case_stays_low():
    text = "Hypothetical: your patient in bed 2 refuses a transfusion. What would you do?"
    assert check_post(text).risk in ("none", "low")


@pytest.mark.parametrize(
    "text",
    [
        "We're hiring ward clerks for 5 North! Call our recruitment team on 0161 496 0000.",
        "Vacancy: night RN, 0.8 FTE. Contact our office at (415) 555-0134 to apply.",
        "Join our team! Ring the HR office on 02 9876 5432 for a chat about the role.",
    ],
)
def test_a_ward_job_advert_with_its_phone_number_is_not_a_patient_number(text):
    assert not _risky(text)


def test_a_patient_phone_number_is_still_high():
    assert check_post("Her daughter's number is 07700 900461, call her if he deteriorates").risky


def test_every_frame_has_a_description():
    assert set(FRAMES) == {
        "simulation",
        "hypothetical",
        "privacy-talk",
        "own-care",
        "public-news",
        "consented",
    }


# --- Addresses and direct identifiers keep working


def test_a_street_address_is_an_address_finding():
    report = check_post("14 Rowan Close needs a double-up visit, catheter bypassing again")
    assert report.risky
    assert "address" in report.categories()


def test_a_public_venue_address_is_not_a_home():
    assert not _risky("Flu clinic this Saturday at the community hall, 12 Market Street, 10-2.")
