"""Round-2 rules: one class of error from the regression parts per test, on posts written here.

The regression parts showed classes of false alarm and miss, not single posts. Each rule below is
tested with new posts in other words (none copied from a corpus) and with counter-examples that
the rule must not swallow.
"""

import pytest

from privacy import check_post


def _risky(text: str) -> bool:
    return check_post(text).risky


def _clean(text: str) -> bool:
    return check_post(text).risk in ("none", "low")


# --- A described picture is judged by what it shows, negations and captions included


@pytest.mark.parametrize(
    "text",
    [
        "[video: me doing the hand-washing dance at the sink, no patients or monitors in shot] "
        "20 seconds, people!",
        "[photo: our new rota on the staff noticeboard, no names, just the colour coding] finally",
        '[video: text overlay "me at 3am pretending I know where the spare obs machine is"] #ward',
        '[clip: captions reading "did I sign for that?" and "where\'s my pen"] every shift',
        "[image: lateral knee X-ray showing a tibial plateau fracture, all labels cropped] "
        "Describe it.",
    ],
)
def test_a_picture_described_as_showing_no_one_stays_clean(text):
    assert _clean(text), check_post(text).findings


@pytest.mark.parametrize(
    "text",
    [
        "[photo: the theatre list pinned by the scrub sink] busy Monday ahead",
        "[screenshot of today's appointment book] who swapped my 10:30??",
        "[image: chest CT, the header says 'ST LUKE'S 02/11/2024 F 61Y'] classic PE",
        "[photo: close-up of his teeth, the gold crown and the lip ring] Smile of the week!",
    ],
)
def test_a_picture_of_a_patient_document_or_a_patient_face_is_high(text):
    assert check_post(text).risk == "high", check_post(text).findings


def test_a_caption_quoting_a_record_word_is_not_a_record():
    # "chart" inside the caption's quotes is speech, not a chart in the frame.
    assert _clean('[video: me mouthing "who charted THAT?" at the camera] #nightshift')


def test_a_described_picture_with_a_hidden_record_but_a_visible_name_is_high():
    text = "[photo: the med cart, faces blurred but the wristband name visible] new cart!"
    assert check_post(text).risk == "high"


# --- A rule about pictures is not a picture being shared


@pytest.mark.parametrize(
    "text",
    [
        "New manager says no photos on the unit, not even of the cake. Fair enough tbh",
        "PSA: you cannot take a selfie in the resus bay, I don't care how good your hair looks",
        "Never film in the bay, even if it's just you dancing. Patients are behind every curtain.",
    ],
)
def test_a_rule_forbidding_pictures_stays_clean(text):
    assert _clean(text), check_post(text).findings


def test_a_picture_actually_shared_of_a_patient_is_still_flagged():
    assert _risky("Took a pic of my patient's leg ulcer, check out the slough 🤢")
    assert _risky("Don't judge me but here's a video of the guy in bed 6 dancing 😂")


# --- Talk about privacy: refusals and quoted examples


@pytest.mark.parametrize(
    "text",
    [
        "Sorry, I can't confirm whether anyone is or was a patient here. Hope you understand!",
        "@mike_r I can't discuss any patients on here, but please reach out to our complaints team.",
    ],
)
def test_refusing_to_say_who_was_cared_for_stays_clean(text):
    assert _clean(text), check_post(text).findings


@pytest.mark.parametrize(
    "text",
    [
        "Posting rule of thumb: 'Busy night in ED' is fine. 'The nan from bay 6 who fell' isn't.",
        'New grads, never post things like "the lad in bed 12 with the overdose". Ever.',
    ],
)
def test_a_quoted_bad_example_in_advice_stays_clean(text):
    assert _clean(text), check_post(text).findings


def test_a_refusal_beside_a_real_story_is_not_a_pass():
    text = "Can't say who, but the man in bed 9 is the local butcher and he's had a stroke today"
    assert _risky(text)


# --- Fiction and consent clear names; other framings do not


@pytest.mark.parametrize(
    "text",
    [
        "A poem for my MSN portfolio (names invented): 'Mrs. Okonkwo in 7 holds my hand at dawn.'",
        "Composite case for Tuesday's tutorial: Mr. Brandt, 58, in bed 3 with new confusion.",
    ],
)
def test_names_in_invented_stories_are_not_patients(text):
    assert _clean(text), check_post(text).findings


def test_names_shared_with_the_familys_written_consent_are_cleared():
    text = (
        "Shared with Leon's parents' written consent: Leon, our 1,000th NICU graduate, went "
        "home this week! 💙"
    )
    assert _clean(text), check_post(text).findings


def test_a_pov_skit_about_a_real_patient_is_still_flagged():
    text = "POV: the old fella in bed 2 who calls me Nurse Sunshine and hides his pills 😂"
    assert _risky(text)


# --- Thread numbering is not a date


def test_thread_numbers_are_not_dates():
    text = (
        "Teaching thread. 1/3 A man in his 50s presents with tearing back pain. "
        "2/3 The CT confirms a dissection. 3/3 Take-home: check both arm pressures."
    )
    report = check_post(text, all_details=True)
    assert not [f for f in report.findings if f.category == "date"]


def test_two_real_dates_with_the_same_day_are_still_dates():
    report = check_post("My patient was admitted 2/4 and re-admitted 3/4", all_details=True)
    assert [f.text for f in report.findings if f.category == "date"] == ["2/4", "3/4"]


# --- The author's own family


@pytest.mark.parametrize(
    "text",
    [
        "My Granny Peg is 101 today and still does the crossword in pen ❤️ Love you Granny",
        "Our Nana Joan turned 99 today, says the secret is gin and gardening",
    ],
)
def test_the_authors_own_grandparent_with_a_name_stays_clean(text):
    assert _clean(text), check_post(text).findings


def test_a_kin_titled_patient_is_still_a_name():
    assert _risky("Aunty Mere in bed 4 is giving the registrar a hard time, legend")


# --- Staff spaces and the author's own shift


@pytest.mark.parametrize(
    "text",
    [
        "Room 9 is the staff room now, so if you see me in 9 I'm eating, not skiving",
        "Last shift on the unit before my sabbatical. Going to miss the chaos on the ward.",
    ],
)
def test_staff_spaces_and_the_authors_own_shift_stay_clean(text):
    assert _clean(text), check_post(text).findings


def test_a_patient_in_a_numbered_room_beside_the_staff_room_is_flagged():
    assert _risky("The lady in room 9 next to the staff room keeps asking for her son Tomasz")


def test_a_ward_cue_with_someone_spoken_of_still_counts():
    assert check_post("On the ward today he finally walked to the window").about_person


# --- A service offered to everyone is not one person's care


@pytest.mark.parametrize(
    "text",
    [
        "Housebound and due your shingles jab? Ring the surgery and we can arrange a home visit.",
        "To all the dads sitting by their baby's incubator tonight: grab a coffee, we've got you.",
        "You can ask for your medication review at any pharmacy, it's free and takes 10 minutes.",
    ],
)
def test_a_service_offered_to_everyone_stays_clean(text):
    assert not check_post(text).about_person, check_post(text).findings


def test_a_home_visit_that_happened_is_still_a_cue():
    assert check_post(
        "Did a home visit to an elderly man today, his house was freezing"
    ).about_person


# --- Campaign and department names are not names


@pytest.mark.parametrize(
    "text",
    [
        "Please contact Patient Services if you have questions about your bill.",
        "Join us for the Baby Loss Awareness walk on Sunday, everyone welcome.",
    ],
)
def test_service_and_campaign_names_are_not_patient_names(text):
    assert _clean(text), check_post(text).findings


def test_a_baby_named_in_a_patient_story_is_still_a_name():
    assert _risky("Baby Amara went home from NICU today after 60 days!")


def test_the_last_minute_is_an_idiom_not_a_unique_person():
    assert (
        check_post("Don't leave your flu jab to the last minute if you're pregnant.").risk == "none"
    )


# --- A public figure in care: roles, coy hints and media appearances


@pytest.mark.parametrize(
    "text",
    [
        "Guess who's in resus right now... the Lions' starting fly-half. Shoulder, looks nasty.",
        "Just triaged a certain reality TV star with a broken wrist. My lips are sealed 🤐",
        "The woman who was on BBC Breakfast last week talking about her charity is in our ED now",
        "The evening news anchor came in today with chest pain, so composed about it all",
        "Our team worked on a local rugby star tonight after he collapsed during the cup final",
    ],
)
def test_a_public_figure_in_care_is_flagged(text):
    assert _risky(text), check_post(text, all_details=True).findings


@pytest.mark.parametrize(
    "text",
    [
        "My favourite football star retired today, gutted. Anyway, back to charting.",
        "Was on BBC Radio Ulster this morning talking about nurse burnout, link in bio!",
        "Our hospital was on the news tonight for the new cancer wing, proud to work here",
    ],
)
def test_a_public_figure_or_media_mention_without_care_stays_clean(text):
    assert _clean(text), check_post(text, all_details=True).findings


# --- The author's acts of care, with the subject left out ("Sat with a mum today")


@pytest.mark.parametrize(
    "text",
    [
        "Sat with an old farmer from Kilbrin this morning whose wife died last month. Heartbroken.",
        "Seen two cases of scabies today at the Riverside hostel, itch season has started.",
        "Diagnosed whooping cough in a newborn from Castlemaine this week. Vaccinate in pregnancy!",
        "Just seen Father Doyle re his breathing, he's agreed to come in. Don't tell the parish.",
    ],
)
def test_an_act_of_care_without_a_subject_is_about_a_person(text):
    report = check_post(text)
    assert report.about_person
    assert report.risky, report.findings


@pytest.mark.parametrize(
    "text",
    [
        "Had a great day at the conference, lots of ideas for our unit.",
        "Saw the new rota today. Three weekends in a row. Send help.",
        "Seen the new guidance on sepsis? Worth ten minutes of your break.",
    ],
)
def test_the_authors_own_day_is_not_an_act_of_care(text):
    assert not check_post(text).about_person, check_post(text).findings


# --- A person's care told through them: outcomes, appointments, visits, passing


@pytest.mark.parametrize(
    "text",
    [
        "Shout out to Doreen on Kelso Rise, her ulcers are finally healing after six months 💪",
        "Poor Trevor at the bowls club, his chemo has stopped working and he told the whole team",
        "Our lad from the Drumcondra flats missed his OT session again, third time this month",
        "Another visit to the fisherman by the harbour wall, his dressings were soaked again",
        "RIP to the gentle giant from Ward 3 who passed last night, the porter who knew everyone",
    ],
)
def test_a_persons_care_told_through_them_is_flagged(text):
    assert _risky(text), check_post(text, all_details=True).findings


@pytest.mark.parametrize(
    "text",
    [
        "My legs are so much better since I started wearing compression socks on shift!",
        "Remind your patients: their next appointment letter will come by text now.",
        "A visit to the dentist is overdue for me, I've been avoiding it for two years",
    ],
)
def test_own_and_general_care_talk_stays_clean(text):
    assert _clean(text), check_post(text, all_details=True).findings


# --- Road crashes and call-outs


@pytest.mark.parametrize(
    "text",
    [
        "RTC on the N71 outside Skibbereen at 6am, lad in the blue Golf trapped 30 mins.",
        "Rough job on the Kaimai tonight, two of us worked on the rider for an hour.",
    ],
)
def test_a_crash_with_the_road_the_time_and_the_vehicle_is_flagged(text):
    assert _risky(text), check_post(text, all_details=True).findings


def test_road_safety_advice_stays_clean():
    assert _clean("RTC season is here: slow down on wet roads and leave a bigger gap. #paramedic")


# --- Review replies that confirm someone's care


@pytest.mark.parametrize(
    "text",
    [
        "Hi Gemma, sorry to see this review. As your dentist explained, your root canal needed a "
        "second visit.",
        "Reply from the practice: Alan, you missed three appointments in May, which is why your "
        "referral was closed.",
        "To the poster above: you were seen within the hour and your x-ray was clear. Please stop "
        "spreading this.",
    ],
)
def test_a_reply_that_confirms_someones_care_is_flagged(text):
    assert _risky(text), check_post(text, all_details=True).findings


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for the lovely review! We can't discuss anyone's care here, but we pass kind "
        "words on to the team.",
        "If you were seen in our ED last winter, you may get a short survey by text. Please fill "
        "it in!",
        "You can ask your GP for a copy of your results at any time, it's your right.",
    ],
)
def test_general_replies_and_service_notes_stay_clean(text):
    assert _clean(text), check_post(text, all_details=True).findings


# --- Distinctive details once a post is about someone


@pytest.mark.parametrize(
    "text",
    [
        "The gent who comes in every Friday in the leopard-print slippers was back again today",
        "My client in the yellow cottage on Harbour View had another fall this week",
        "Supported a young man from our Wagga outreach program, he starts work at the local "
        "abattoir on Monday!",
    ],
)
def test_looks_habits_streets_and_workplaces_single_someone_out(text):
    assert _risky(text), check_post(text, all_details=True).findings


# --- A job named for the author is not a colleague reading of a patient's name


def test_a_titled_patient_name_after_the_authors_own_job_is_flagged():
    text = "Student nurse win: spotted that Mr. Okafor's insulin was charted twice this morning!"
    assert _risky(text)


def test_a_titled_colleague_is_still_a_colleague():
    assert _clean("Huge thanks to Mrs. Grant, our practice manager, for ten years of cake rotas")


# --- Question one without a stock phrase: one particular person and their health


@pytest.mark.parametrize(
    "text",
    [
        "The retired plumber from Kells finally got his new hip, walking laps of the corridor!",
        "Big love to Imelda Ryan who rang the bell after her last radiotherapy session today 🔔",
        "Our chemo warrior Declan in chair 6 turned 70 today, cake all round",
        "The bus driver on the 17 route had a stroke at the wheel on Monday, he's talking again",
    ],
)
def test_a_particular_person_and_their_health_is_a_person_in_care(text):
    report = check_post(text)
    assert report.about_person, report.findings
    assert report.risky


@pytest.mark.parametrize(
    "text",
    [
        "My dad had his new hip done on Monday and is already bossing the physios about",
        "Falls are the top cause of injury in people over 65. Clear the clutter, light the stairs.",
        "Congratulations to Niamh on passing her ICU course, the unit is lucky to have you",
        "Anyone caring for a parent with dementia: the carers' café is back on Thursdays.",
    ],
)
def test_own_family_colleagues_and_general_health_talk_are_not_a_person_in_care(text):
    assert not check_post(text).risky, check_post(text, all_details=True).findings


def test_a_public_figure_talking_about_their_own_health_in_an_interview_is_public_news():
    text = "The famous boxer told the magazine in an interview that his depression nearly won."
    assert _clean(text), check_post(text, all_details=True).findings


# --- Ways of saying "in my care" the first lists missed


@pytest.mark.parametrize(
    "text",
    [
        "I was the nurse on duty the night the Kilbride fire came in, still think about that boy",
        "To the family from Morpeth whose son we lost on Sunday: we are so sorry.",
        "Helped a first-time mum from the Ashgrove estate breastfeed at 3am, she did so well",
        "We'll miss his cheeky grin on 3B, thinking of the Okafor family tonight",
        "I delivered my old maths teacher's granddaughter today! Congrats to the Brennans",
    ],
)
def test_other_ways_of_saying_the_person_was_in_my_care_are_flagged(text):
    assert _risky(text), check_post(text, all_details=True).findings


@pytest.mark.parametrize(
    "text",
    [
        "Our new patient navigator programme in Sudbury starts in May, referrals open now.",
        "I was the nurse who set up the falls group here, and I'm so proud it's still going.",
        "Proud of my son who started his first job as a porter at St. Luke's today!",
    ],
)
def test_services_and_the_authors_own_life_are_not_a_person_in_care(text):
    assert _clean(text), check_post(text, all_details=True).findings


# --- The author's care role opening the post, and people named by what they do


@pytest.mark.parametrize(
    "text",
    [
        "Paramedic life: a jockey thrown at the Listowel races this afternoon, collarbone. "
        "Still asked about his horse.",
        "Podiatry diaries: the sheep shearer from Gore finally let me look at that toenail.",
        "OT here. Got the retired welder from Bray Road back into his garden shed today 🛠️",
    ],
)
def test_a_post_opened_from_a_care_role_about_a_particular_person_is_flagged(text):
    report = check_post(text)
    assert report.about_person, report.findings
    assert report.risky


@pytest.mark.parametrize(
    "text",
    [
        "Nurse life: my feet hurt, my coffee is cold and I love this job anyway.",
        "Pharmacist here: please stop asking for antibiotics for a cold. They do nothing.",
        "Retired paramedic here. Look after each other, the job stays with you.",
    ],
)
def test_a_care_role_opening_alone_is_not_a_person_in_care(text):
    assert not check_post(text).risky, check_post(text, all_details=True).findings


@pytest.mark.parametrize(
    "text",
    [
        "Dermatology: the removal man from Dundalk has a basal cell carcinoma on his ear. "
        "Sunscreen, folks.",
        "The trucker from Medicine Hat we saw for gastritis last night is back again today",
    ],
)
def test_medical_words_are_known_by_their_endings(text):
    assert _risky(text), check_post(text, all_details=True).findings


def test_a_broken_barrier_is_not_a_person():
    assert not check_post(
        "The car park barrier on Mill Road is broken again, allow 10 minutes."
    ).risky


# --- Review replies about a relative's care, and other details told back


def test_a_reply_about_the_readers_child_is_flagged():
    text = "Replying to Amir: Amir, your daughter was seen within the hour and her x-ray was clear."
    assert _risky(text), check_post(text, all_details=True).findings


@pytest.mark.parametrize(
    "text",
    [
        "Dental nurse here: the surgeon's own husband came in for a filling and cried 😂",
        "My client Oyelaran got her blood pressure under control this month, so proud",
        "The lady in the purple headscarf who comes to our clinic on Tuesdays missed today",
        "[video: the minor injuries waiting room, faces of people in the queue visible] chaos",
    ],
)
def test_links_names_after_a_care_word_habits_and_people_in_frame_single_someone_out(text):
    assert _risky(text), check_post(text, all_details=True).findings


@pytest.mark.parametrize(
    "text",
    [
        "Just did the pre-op for the Rangers' new signing. Lovely lad, knee scope tomorrow.",
        "Sad night. He didn't make it, the climber we flew off Scafell at noon. Our crew tried.",
        "Guess who was on my list this morning? My old driving instructor. Colonoscopy chat 🙃",
        "Urology: biopsy on the butcher from the market came back clear. Relief all round.",
        "Paramedic here. Lad in the red Corsa who rolled it on the A57 at 5am: slow down.",
    ],
)
def test_more_acts_of_care_without_the_word_patient_are_flagged(text):
    assert _risky(text), check_post(text, all_details=True).findings


# --- Posts about pictures, consent rules, invented cases and public statements


@pytest.mark.parametrize(
    "text",
    [
        "Speech therapy tip: explain the day with pictures, not just words. It really helps.",
        "Reminder: patient photos need written consent and IG approval, every single time.",
        "Case study (invented) for Friday: Mrs. Lowry, 81, bed 12, new confusion. Discuss.",
        "The famous actor who announced his prostate cancer on breakfast TV has saved lives.",
        "Our daughter was born at home in an hour with two amazing midwives, thank you Jo and Em!",
        "Let's get our unit's flu jab rate to 100% by Christmas, team! 💪",
    ],
)
def test_rules_about_pictures_invented_cases_and_public_statements_stay_clean(text):
    assert _clean(text), check_post(text, all_details=True).findings


def test_every_risk_is_the_same_with_or_without_all_details(labelled, blind):
    for row in labelled + blind:
        text = row["text"]
        assert check_post(text).risk == check_post(text, all_details=True).risk, text


def test_the_helpers_probe_posts_stay_caught_and_clean():
    """The round-2 probes (tests/privacy/data/probes): a regression set since they were studied."""
    from .conftest import load_posts

    rows = load_posts("probes/helper_round2.jsonl")
    flagged = [(row, check_post(row["text"]).risky) for row in rows]
    tp = sum(1 for row, risky in flagged if risky and row["risky"])
    fp = sum(1 for row, risky in flagged if risky and not row["risky"])
    fn = sum(1 for row, risky in flagged if not risky and row["risky"])
    assert len(rows) == 360
    assert tp / (tp + fp) >= 0.95
    assert tp / (tp + fn) >= 0.9
