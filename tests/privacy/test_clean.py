"""Posts that must stay clean: nothing here points to a patient."""

import pytest

from privacy import check_post

CLEAN = [
    "Flu shots cut hospital admissions by about 40% in adults over 65. Book yours!",
    "Happy 95th birthday to my amazing grandma! 95 years of terrible puns 🎂",
    "Congratulations to Dr. Sarah Kim on her promotion to Chief of Medicine!",
    "Congratulations to Mr. Adeyemi, our consultant surgeon, on his OBE!",
    "Shoutout to my colleague Maria for covering my shift ❤️",
    "We're hiring! Send your CV to careers@brightwaterhealth.org",
    "If you're struggling, call or text 988. You are not alone.",
    "In the UK, call 111 for urgent advice or 999 in an emergency.",
    "Need help quitting? Call 1-800-784-8669, it's free and confidential.",
    "Samaritans are there 24/7 on 116 123.",
    "New sepsis guidance: https://www.cdc.gov/sepsis/ worth a read",
    "Measles advice is at nhs.uk/conditions/measles",
    "Read the WHO fact sheet: https://www.who.int/news-room/fact-sheets",
    "Great session on burnout at #ANA2024 this morning!",
    "Throwback to 2015 when I graduated from pharmacy school 🎓",
    "Patients over 90 are at higher risk of delirium after surgery.",
    "Proud of my daughter Rosa who started nursing school today!",
    "I'm the only male midwife in my trust and I love it.",
    "Frequent flyer miles finally paid off, off to Lisbon ✈️",
]


@pytest.mark.parametrize("text", CLEAN)
def test_clean_post_has_no_findings(text):
    report = check_post(text)
    assert report.risk == "none", report.findings
    assert report.findings == ()


def test_a_practice_booking_line_is_not_flagged_as_a_patient_number():
    report = check_post("Book your flu jab at our pharmacy: 01632 960 123, Mon–Sat.")
    assert report.risk == "none"


def test_a_public_date_and_place_stay_low():
    report = check_post("Free blood pressure checks at the Elm Street community center on Saturday")
    assert report.risk == "low"
