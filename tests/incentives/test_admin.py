"""The "Bonuses and milestones" admin: who may open each view, what partner staff see, and that computing,
approving, paying, resolving adjustments, recording deposits and milestones and verifying them do what the
manager is told they did — through the services, and only to the rows they should."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.log_actions import registry as log_actions

from cohorts.services import Mark, record_attendance
from incentives import services
from incentives.models import (
    BonusRule,
    Decision,
    MilestoneAchievement,
    MilestoneType,
    MonthlyBonus,
    SavingsDeposit,
    SavingsMatchRule,
)
from people.models import Learner

from .admin_world import NO_ADMIN, ROLES, World, assert_turned_away_to_login, messages_of, page_text, signed_in
from .conftest import OCTOBER

pytestmark = pytest.mark.django_db

SEPTEMBER = datetime.date(2026, 9, 1)


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def computed(world):
    world.compute()
    return world


class Decided:
    """The world with October computed, Fatima's bonus approved then her attendance corrected (so it waits
    as "needs adjustment"), a savings deposit and a milestone with evidence for her."""

    def __init__(self, world):
        self.world = world
        world.compute()
        self.bonus = world.bonus(world.learner)
        services.approve_bonuses(bonus_ids=[self.bonus.pk], by=world.manager)
        record_attendance(
            session=world.sessions[0],
            marks=[Mark(enrollment_id=world.enrollment.pk, status="absent")],
            recorded_by=world.instructor,
        )
        services.compute_month(month=OCTOBER, learner_ids=[world.learner.pk])
        self.bonus.refresh_from_db()
        assert self.bonus.status == Decision.NEEDS_ADJUSTMENT
        self.savings_rule = SavingsMatchRule.objects.create(
            name="Household savings match", monthly_cap=Decimal("100"), total_cap=Decimal("1200"), active_from=SEPTEMBER
        )
        self.deposit = services.record_savings_deposit(
            learner=world.learner, rule=self.savings_rule, month=OCTOBER, deposit=Decimal("150"), by=world.partner_staff
        )
        self.license = MilestoneType.objects.create(
            name="Business license", slug="business-license", track="entrepreneurship", evidence_required=True
        )
        self.achievement = services.record_milestone(
            learner=world.learner,
            milestone_type=self.license,
            achieved_on=datetime.date(2026, 11, 2),
            evidence=SimpleUploadedFile("license.pdf", b"%PDF-1.4 licence", content_type="application/pdf"),
            by=world.instructor,
        )


@pytest.fixture
def decided(world):
    return Decided(world)


# --- who may open what ----------------------------------------------------------------------------------

LIST_URLS = {
    "ledger": "/admin/monthly-bonuses/",
    "ledger filtered": "/admin/monthly-bonuses/?month=2026-10&status=eligible",
    "savings deposits": "/admin/savings-deposits/",
    "record a deposit": "/admin/savings-deposits/new/",
    "milestones": "/admin/milestones/",
    "record a milestone": "/admin/milestones/new/",
    "bonus payment file": "/admin/monthly-bonuses/export/csv/?month=2026-10",
    "savings payment file": "/admin/savings-deposits/export/xlsx/?month=2026-10",
}
OBJECT_URLS = {
    "bonus": "/admin/monthly-bonuses/inspect/{bonus}/",
    "bonus history": "/admin/monthly-bonuses/history/{bonus}/",
    "deposit": "/admin/savings-deposits/inspect/{deposit}/",
    "milestone review": "/admin/milestones/inspect/{achievement}/",
}
# Decisions on Northside's rows: another partner's staff get 404 where the URL names a row, 403 otherwise.
DECISION_URLS = {
    "compute a month": ("/admin/monthly-bonuses/compute/", 403),
    "resolve adjustment": ("/admin/monthly-bonuses/resolve/{bonus}/", 404),
    "approve bonuses": ("/admin/bulk/incentives/monthlybonus/approve/?id={bonus}", 403),
    "mark bonuses paid": ("/admin/bulk/incentives/monthlybonus/mark-paid/?id={bonus}", 403),
    "approve savings": ("/admin/bulk/incentives/savingsdeposit/approve/?id={deposit}", 403),
    "mark savings paid": ("/admin/bulk/incentives/savingsdeposit/mark-paid/?id={deposit}", 403),
    "reject milestone": ("/admin/milestones/reject/{achievement}/", 404),
}
CONFIGURATION_URLS = {
    "bonus rules": "/admin/bonus-rules/",
    "new bonus rule": "/admin/bonus-rules/new/",
    "edit bonus rule": "/admin/bonus-rules/edit/{rule}/",
    "savings match rules": "/admin/savings-match-rules/",
    "new savings match rule": "/admin/savings-match-rules/new/",
    "milestone types": "/admin/milestone-types/",
    "new milestone type": "/admin/milestone-types/new/",
}


def url_for(template, decided):
    return template.format(
        bonus=decided.bonus.pk,
        deposit=decided.deposit.pk,
        achievement=decided.achievement.pk,
        rule=decided.world.rule.pk,
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", LIST_URLS)
def test_listings_forms_and_payment_files_open_for_partner_staff_and_managers_only(client, decided, view, role):
    response = signed_in(client, decided.world.user(role)).get(LIST_URLS[view])

    if role in NO_ADMIN:
        assert_turned_away_to_login(response)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", OBJECT_URLS)
def test_a_partners_rows_open_for_its_staff_and_managers_and_are_404_to_another_partner(client, decided, view, role):
    response = signed_in(client, decided.world.user(role)).get(url_for(OBJECT_URLS[view], decided))

    if role in NO_ADMIN:
        assert_turned_away_to_login(response)
    elif role == "other_partner_staff":
        assert response.status_code == 404
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", DECISION_URLS)
def test_decision_pages_open_for_program_managers_only(client, decided, view, role):
    url, other_partner_status = DECISION_URLS[view]

    response = signed_in(client, decided.world.user(role)).get(url_for(url, decided))

    if role in NO_ADMIN:
        assert_turned_away_to_login(response)
    elif role == "partner_staff":
        assert response.status_code == 403
        assert "for program managers" in page_text(response)
    elif role == "other_partner_staff":
        assert response.status_code == other_partner_status
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", CONFIGURATION_URLS)
def test_rules_and_milestone_types_are_configured_by_program_managers_only(client, decided, view, role):
    response = signed_in(client, decided.world.user(role)).get(url_for(CONFIGURATION_URLS[view], decided))

    if role in NO_ADMIN:
        assert_turned_away_to_login(response)
    elif role in ("partner_staff", "other_partner_staff"):
        # Wagtail's refusal inside the admin: back to the dashboard with "Sorry, you do not have permission".
        assert response.status_code == 302
        assert response.url == "/admin/"
    else:
        assert response.status_code == 200


def test_the_menu_shows_partner_staff_the_ledgers_but_not_the_rules(client, decided):
    text = page_text(signed_in(client, decided.world.partner_staff).get("/admin/"))

    assert "Bonuses and milestones" in text
    assert "/admin/monthly-bonuses/" in text
    assert "/admin/bonus-rules/" not in text
    assert "/admin/milestone-types/" not in text


# --- decisions refused to partner staff, by posting ------------------------------------------------------


@pytest.mark.parametrize("who", ["partner_staff", "other_partner_staff"])
def test_partner_staff_cannot_compute_approve_pay_resolve_verify_or_reject_by_posting(client, decided, who):
    world = decided.world
    eligible = world.bonus(world.other_learner if who == "other_partner_staff" else world.second_learner)
    MonthlyBonus.objects.filter(pk=eligible.pk).update(status=Decision.ELIGIBLE)
    signed_in(client, world.user(who))
    rows_before = MonthlyBonus.objects.count()

    responses = [
        client.post("/admin/monthly-bonuses/compute/", {"month": "2026-09"}),
        client.post(f"/admin/bulk/incentives/monthlybonus/approve/?id={eligible.pk}", {}),
        client.post(f"/admin/bulk/incentives/monthlybonus/mark-paid/?id={eligible.pk}", {}),
        client.post(f"/admin/bulk/incentives/savingsdeposit/approve/?id={decided.deposit.pk}", {}),
        client.post(f"/admin/monthly-bonuses/resolve/{decided.bonus.pk}/", {"decision": "apply"}),
        client.post(f"/admin/milestones/verify/{decided.achievement.pk}/", {}),
        client.post(f"/admin/milestones/reject/{decided.achievement.pk}/", {"reason": "Blurry"}),
    ]

    expected = 403 if who == "partner_staff" else {403, 404}
    for response in responses:
        assert response.status_code in (expected if isinstance(expected, set) else {expected})
    assert MonthlyBonus.objects.count() == rows_before  # nothing computed for September
    assert MonthlyBonus.objects.get(pk=eligible.pk).status == Decision.ELIGIBLE
    assert MonthlyBonus.objects.get(pk=decided.bonus.pk).status == Decision.NEEDS_ADJUSTMENT
    assert SavingsDeposit.objects.get(pk=decided.deposit.pk).status == Decision.ELIGIBLE
    assert MilestoneAchievement.objects.get(pk=decided.achievement.pk).status == "recorded"


# --- computing a month -----------------------------------------------------------------------------------


def test_the_compute_form_offers_months_that_ended_and_starts_on_last_month(client, world):
    response = signed_in(client, world.manager).get("/admin/monthly-bonuses/compute/")

    form = response.context["form"]
    months = [value for value, _label in form.fields["month"].choices]
    assert months[:2] == ["2026-10", "2026-09"]  # the clock stands in November 2026
    assert "2026-11" not in months
    assert form.fields["month"].initial == "2026-10"


def test_computing_a_month_from_the_admin_creates_its_ledger_and_says_how_many(client, world):
    signed_in(client, world.manager)

    response = client.post("/admin/monthly-bonuses/compute/", {"month": "2026-10"}, follow=True)

    assert response.redirect_chain[-1][0] == "/admin/monthly-bonuses/?month=2026-10"
    assert "Computed October 2026: 3 new, 0 updated, 0 unchanged, 0 need adjustment." in messages_of(response)
    assert {(bonus.learner.full_name, bonus.status) for bonus in MonthlyBonus.objects.select_related("learner")} == {
        ("فاطمة الزهراء أحمد", Decision.ELIGIBLE),
        ("王秀英", Decision.NOT_ELIGIBLE),
        ("María José Pérez", Decision.ELIGIBLE),
    }
    text = page_text(response)
    assert "فاطمة الزهراء أحمد" in text and "$200.00" in text


def test_computing_again_counts_the_decided_bonus_whose_attendance_changed(client, decided):
    world = decided.world
    services.resolve_adjustment(bonus=decided.bonus, apply=False, by=world.manager)  # back to approved
    record_attendance(
        session=world.sessions[1],
        marks=[Mark(enrollment_id=world.enrollment.pk, status="absent")],
        recorded_by=world.instructor,
    )

    response = signed_in(client, world.manager).post(
        "/admin/monthly-bonuses/compute/", {"month": "2026-10"}, follow=True
    )

    assert "Computed October 2026: 0 new, 0 updated, 2 unchanged, 1 needs adjustment." in messages_of(response)


def test_a_month_not_offered_is_refused_with_a_message_and_nothing_computed(client, world):
    response = signed_in(client, world.manager).post("/admin/monthly-bonuses/compute/", {"month": "2026-11"})

    assert response.status_code == 200
    assert response.context["form"].errors["month"]
    assert not MonthlyBonus.objects.exists()


# --- the ledger listing ----------------------------------------------------------------------------------


def test_partner_staff_see_only_their_partners_bonuses_and_no_decision_controls(client, computed):
    text = page_text(signed_in(client, computed.partner_staff).get("/admin/monthly-bonuses/"))

    assert "فاطمة الزهراء أحمد" in text and "王秀英" in text
    assert "María José Pérez" not in text
    assert "Compute a month" not in text
    assert "bulk-actions-choices" not in text  # no approve / mark-paid footer
    assert "Download CSV" in text  # their own payment file


def test_a_forged_partner_filter_shows_partner_staff_nothing_of_another_partner(client, computed):
    text = page_text(
        signed_in(client, computed.partner_staff).get(f"/admin/monthly-bonuses/?partner={computed.other_partner.pk}")
    )

    assert "María José Pérez" not in text


def test_the_manager_sees_every_partner_with_the_bulk_actions_and_the_totals(client, computed):
    text = page_text(signed_in(client, computed.manager).get("/admin/monthly-bonuses/?month=2026-10"))

    assert "María José Pérez" in text and "فاطمة الزهراء أحمد" in text
    assert "/admin/bulk/incentives/monthlybonus/approve/" in text
    assert "/admin/bulk/incentives/monthlybonus/mark-paid/" in text
    assert "2 rows, $400.00" in text  # eligible
    assert "1 row, $0.00" in text  # not eligible
    assert "Payment file for October 2026: 0 approved, $0.00." in text


def test_the_ledger_filters_by_status(client, computed):
    text = page_text(signed_in(client, computed.manager).get("/admin/monthly-bonuses/?status=not_eligible"))

    assert "王秀英" in text
    assert "María José Pérez" not in text


@pytest.mark.parametrize("more_learners", [0, 30])
def test_the_ledger_listing_runs_a_constant_number_of_queries(
    client, world, more_learners, django_assert_max_num_queries
):
    for number in range(more_learners):
        learner = Learner.objects.create(partner=world.partner, full_name=f"Extra learner {number}")
        MonthlyBonus.objects.create(
            learner=learner, partner=world.partner, rule=world.rule, month=OCTOBER, status=Decision.ELIGIBLE
        )
    world.compute()
    signed_in(client, world.manager)

    # 18 whatever the number of rows: session, user, its two permission sets, admin profile (5); the partner
    # count that hides the partner filter and column, twice (2); the months with rows (1); the row count, the
    # totals per status and the month's approved total (3); locales, the sidebar's page and collection
    # permissions and explorable root (4); the partner and rule drop-downs (2); the page of rows with learner,
    # partner and rule in one query (1); the second-factor device this session was verified with (1, django-otp).
    with django_assert_max_num_queries(19):
        response = client.get("/admin/monthly-bonuses/")

    assert response.status_code == 200


# --- approving and paying in bulk -----------------------------------------------------------------------


def bulk_url(action, *rows, model="monthlybonus", query=""):
    ids = "&".join(f"id={row.pk}" for row in rows)
    return f"/admin/bulk/incentives/{model}/{action}/?{ids}{query}&next=/admin/monthly-bonuses/"


def test_the_confirmation_lists_what_will_be_approved_and_what_is_left_alone(client, computed):
    eligible, not_eligible = computed.bonus(computed.learner), computed.bonus(computed.second_learner)

    response = signed_in(client, computed.manager).get(bulk_url("approve", eligible, not_eligible))

    text = page_text(response)
    assert [item["item"] for item in response.context["items"]] == [eligible]
    assert response.context["items_with_no_access"] == [not_eligible]
    assert "1 row, $200.00" in text
    assert "Not eligible, so left as they are:" in text
    assert MonthlyBonus.objects.get(pk=eligible.pk).status == Decision.ELIGIBLE  # nothing happens on GET


def test_approving_selected_changes_only_the_eligible_rows_and_says_how_many(client, computed):
    rows = [computed.bonus(learner) for learner in (computed.learner, computed.second_learner, computed.other_learner)]

    response = signed_in(client, computed.manager).post(bulk_url("approve", *rows), {}, follow=True)

    assert {row.learner.full_name: MonthlyBonus.objects.get(pk=row.pk).status for row in rows} == {
        "فاطمة الزهراء أحمد": Decision.APPROVED,
        "王秀英": Decision.NOT_ELIGIBLE,
        "María José Pérez": Decision.APPROVED,
    }
    assert (
        "Approved 2 bonuses, $400.00 in all. 1 selected bonus was not eligible and was left as it was."
        in messages_of(response)
    )
    approved = MonthlyBonus.objects.get(pk=rows[0].pk)
    assert approved.approved_by == computed.manager


def test_marking_paid_only_touches_approved_rows(client, computed):
    approved, eligible = computed.bonus(computed.learner), computed.bonus(computed.other_learner)
    services.approve_bonuses(bonus_ids=[approved.pk], by=computed.manager)

    response = signed_in(client, computed.manager).post(bulk_url("mark-paid", approved, eligible), {}, follow=True)

    assert MonthlyBonus.objects.get(pk=approved.pk).status == Decision.PAID
    assert MonthlyBonus.objects.get(pk=eligible.pk).status == Decision.ELIGIBLE
    assert "Marked 1 bonus paid, $200.00. 1 selected bonus was not approved and was left as it was." in messages_of(
        response
    )


def test_selecting_all_in_the_listing_approves_only_the_rows_the_listing_shows(client, computed):
    query = f"&month=2026-10&partner={computed.partner.pk}"

    signed_in(client, computed.manager).post(f"/admin/bulk/incentives/monthlybonus/approve/?id=all{query}", {})

    assert computed.bonus(computed.learner).status == Decision.APPROVED
    assert computed.bonus(computed.other_learner).status == Decision.ELIGIBLE  # another partner: not in the listing


def test_approving_savings_matches_in_bulk(client, decided):
    response = signed_in(client, decided.world.manager).post(
        bulk_url("approve", decided.deposit, model="savingsdeposit"), {}, follow=True
    )

    assert SavingsDeposit.objects.get(pk=decided.deposit.pk).status == Decision.APPROVED
    assert "Approved 1 savings match, $100.00." in messages_of(response)


# --- resolving an adjustment ------------------------------------------------------------------------------


def test_the_resolve_page_shows_the_decided_and_the_new_figures_side_by_side(client, decided):
    response = signed_in(client, decided.world.manager).get(f"/admin/monthly-bonuses/resolve/{decided.bonus.pk}/")

    before, after = response.context["before"], response.context["after"]
    assert (before.status, before.attended, before.counted, before.amount) == ("approved", 8, 8, Decimal("200.00"))
    assert (after.status, after.attended, after.counted, after.amount) == ("eligible", 7, 8, Decimal("200.00"))
    changed = [line for line in response.context["sessions"] if line.changed]
    assert [(line.date, line.before, line.after) for line in changed] == [
        (datetime.date(2026, 10, 1), "Present", "Absent")
    ]
    text = page_text(response)
    assert "Apply the new figures" in text and "Keep the decision" in text


def test_applying_the_new_figures_sends_the_bonus_back_for_approval(client, decided):
    fingerprint = client_fingerprint(client, decided)

    response = client.post(
        f"/admin/monthly-bonuses/resolve/{decided.bonus.pk}/",
        {"decision": "apply", "fingerprint": fingerprint},
        follow=True,
    )

    bonus = MonthlyBonus.objects.get(pk=decided.bonus.pk)
    assert (bonus.status, bonus.sessions_attended, bonus.adjustment_basis) == (Decision.ELIGIBLE, 7, None)
    assert any("the new figures apply — now Eligible, $200.00" in message for message in messages_of(response))


def test_keeping_the_decision_leaves_the_money_as_it_was(client, decided):
    fingerprint = client_fingerprint(client, decided)

    client.post(f"/admin/monthly-bonuses/resolve/{decided.bonus.pk}/", {"decision": "keep", "fingerprint": fingerprint})

    bonus = MonthlyBonus.objects.get(pk=decided.bonus.pk)
    assert (bonus.status, bonus.amount, bonus.sessions_attended) == (Decision.APPROVED, Decimal("200.00"), 8)


def test_a_decision_on_figures_that_changed_since_the_page_was_shown_is_not_applied(client, decided):
    fingerprint = client_fingerprint(client, decided)
    world = decided.world
    record_attendance(
        session=world.sessions[1],
        marks=[Mark(enrollment_id=world.enrollment.pk, status="absent")],
        recorded_by=world.instructor,
    )
    services.compute_month(month=OCTOBER, learner_ids=[world.learner.pk])

    response = client.post(
        f"/admin/monthly-bonuses/resolve/{decided.bonus.pk}/",
        {"decision": "apply", "fingerprint": fingerprint},
        follow=True,
    )

    assert MonthlyBonus.objects.get(pk=decided.bonus.pk).status == Decision.NEEDS_ADJUSTMENT
    assert any("Attendance changed again" in message for message in messages_of(response))


def client_fingerprint(client, decided):
    response = signed_in(client, decided.world.manager).get(f"/admin/monthly-bonuses/resolve/{decided.bonus.pk}/")
    return response.context["fingerprint"]


# --- savings deposits ---------------------------------------------------------------------------------------


def deposit_form(learner, rule, **fields):
    return {"learner": learner.pk, "rule": rule.pk, "month": "2026-10", "deposit": "80.00", **fields}


def test_partner_staff_record_a_deposit_with_evidence_for_their_learner(client, decided):
    world = decided.world
    learner = world.second_learner
    evidence = SimpleUploadedFile("statement.pdf", b"%PDF-1.4 statement", content_type="application/pdf")

    response = signed_in(client, world.partner_staff).post(
        "/admin/savings-deposits/new/", deposit_form(learner, decided.savings_rule, evidence=evidence), follow=True
    )

    deposit = SavingsDeposit.objects.get(learner=learner)
    assert (deposit.deposit, deposit.match, deposit.partner, deposit.status) == (
        Decimal("80.00"),
        Decimal("80.00"),
        world.partner,
        Decision.ELIGIBLE,
    )
    assert deposit.evidence_name == "statement.pdf" and deposit.recorded_by == world.partner_staff
    assert "王秀英, October 2026: deposit of $80.00 recorded; match $80.00, waiting for approval." in messages_of(
        response
    )


def test_partner_staff_cannot_record_a_deposit_for_another_partners_learner(client, decided):
    world = decided.world

    response = signed_in(client, world.partner_staff).post(
        "/admin/savings-deposits/new/", deposit_form(world.other_learner, decided.savings_rule)
    )

    assert response.status_code == 200
    assert "learner" in response.context["form"].errors
    assert not SavingsDeposit.objects.filter(learner=world.other_learner).exists()


def test_a_second_deposit_for_the_same_month_is_refused_on_the_month_field(client, decided):
    world = decided.world

    response = signed_in(client, world.partner_staff).post(
        "/admin/savings-deposits/new/", deposit_form(world.learner, decided.savings_rule)
    )

    assert response.context["form"].errors["month"] == ["A deposit is already recorded for this month."]
    assert SavingsDeposit.objects.filter(learner=world.learner).count() == 1


def test_evidence_of_the_wrong_kind_is_refused(client, decided):
    world = decided.world
    script = SimpleUploadedFile("statement.html", b"<script>alert(1)</script>", content_type="text/html")

    response = signed_in(client, world.partner_staff).post(
        "/admin/savings-deposits/new/", deposit_form(world.second_learner, decided.savings_rule, evidence=script)
    )

    assert "evidence" in response.context["form"].errors
    assert not SavingsDeposit.objects.filter(learner=world.second_learner).exists()


# --- milestones -----------------------------------------------------------------------------------------------


def test_partner_staff_record_a_milestone_and_evidence_it_needs_is_asked_for(client, decided):
    world = decided.world
    signed_in(client, world.partner_staff)
    form = {"learner": world.second_learner.pk, "milestone_type": decided.license.pk, "achieved_on": "2026-11-10"}

    refused = client.post("/admin/milestones/new/", form)
    evidence = SimpleUploadedFile("license.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
    recorded = client.post("/admin/milestones/new/", {**form, "evidence": evidence}, follow=True)

    assert refused.context["form"].errors["evidence"] == ["Business license needs evidence: attach a photo or PDF."]
    achievement = MilestoneAchievement.objects.get(learner=world.second_learner)
    assert (achievement.status, achievement.recorded_by) == ("recorded", world.partner_staff)
    assert "Business license recorded for 王秀英; a program manager will verify it." in messages_of(recorded)


def test_the_manager_verifies_a_milestone_from_its_review_page(client, decided):
    world = decided.world
    signed_in(client, world.manager)
    review = page_text(client.get(f"/admin/milestones/inspect/{decided.achievement.pk}/"))

    response = client.post(f"/admin/milestones/verify/{decided.achievement.pk}/", follow=True)

    assert f"/incentives/evidence/achievement/{decided.achievement.pk}/" in review
    assert "Verify" in review
    achievement = MilestoneAchievement.objects.get(pk=decided.achievement.pk)
    assert (achievement.status, achievement.verified_by) == ("verified", world.manager)
    assert "Business license verified for فاطمة الزهراء أحمد." in messages_of(response)


def test_partner_staff_see_the_review_page_without_verify_or_reject(client, decided):
    text = page_text(
        signed_in(client, decided.world.partner_staff).get(f"/admin/milestones/inspect/{decided.achievement.pk}/")
    )

    assert "Business license" in text
    assert f"/admin/milestones/verify/{decided.achievement.pk}/" not in text
    assert f"/admin/milestones/reject/{decided.achievement.pk}/" not in text


@pytest.mark.parametrize("reason", ["", "   "])
def test_rejecting_needs_a_reason(client, decided, reason):
    response = signed_in(client, decided.world.manager).post(
        f"/admin/milestones/reject/{decided.achievement.pk}/", {"reason": reason}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert MilestoneAchievement.objects.get(pk=decided.achievement.pk).status == "recorded"


def test_rejecting_keeps_the_reason(client, decided):
    signed_in(client, decided.world.manager).post(
        f"/admin/milestones/reject/{decided.achievement.pk}/", {"reason": "The license number is not readable."}
    )

    achievement = MilestoneAchievement.objects.get(pk=decided.achievement.pk)
    assert (achievement.status, achievement.rejection_reason) == ("rejected", "The license number is not readable.")


def test_partner_staff_see_only_their_partners_milestones(client, decided):
    world = decided.world
    services.record_milestone(
        learner=world.other_learner,
        milestone_type=decided.license,
        achieved_on=datetime.date(2026, 11, 3),
        evidence=SimpleUploadedFile("l.pdf", b"%PDF", content_type="application/pdf"),
        by=world.manager,
    )

    text = page_text(signed_in(client, world.partner_staff).get("/admin/milestones/"))

    assert "فاطمة الزهراء أحمد" in text
    assert "María José Pérez" not in text


# --- rules -----------------------------------------------------------------------------------------------------


def rule_form(**fields):
    return {
        "name": "Job readiness bonus",
        "amount": "150.00",
        "threshold_percent": "80",
        "minimum_sessions": "3",
        "late_counts_as_attended": "on",
        "excused_left_out": "on",
        "active_from": "2026-01-01",
        **fields,
    }


def test_a_bonus_rules_tracks_are_ticked_as_checkboxes_and_kept_as_a_list(client, world):
    signed_in(client, world.manager)
    BonusRule.objects.filter(pk=world.rule.pk).update(active_until=datetime.date(2026, 12, 31))

    form_page = page_text(client.get("/admin/bonus-rules/new/"))
    client.post(
        "/admin/bonus-rules/new/", rule_form(tracks=["job_training", "entrepreneurship"], active_from="2027-01-01")
    )

    assert 'type="checkbox" name="tracks" value="esol"' in form_page
    assert BonusRule.objects.get(name="Job readiness bonus").tracks == ["job_training", "entrepreneurship"]


def test_a_bonus_rule_without_a_track_or_a_course_is_refused(client, world):
    response = signed_in(client, world.manager).post("/admin/bonus-rules/new/", rule_form())

    assert "no one can earn this bonus" in response.context["form"].errors["tracks"][0]
    assert not BonusRule.objects.filter(name="Job readiness bonus").exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"tracks": ["job_training"]},  # the training bonus pays ESOL and job training from January, no end
        {"tracks": ["entrepreneurship"], "courses": "esol course"},  # a course on a track it pays for
        {"tracks": ["esol"], "active_from": "2025-01-01", "active_until": "2026-01-31"},  # one month in common
    ],
)
def test_a_bonus_rule_that_would_pay_the_same_learners_twice_is_refused(client, world, fields):
    if fields.get("courses") == "esol course":
        fields = {**fields, "courses": [world.cohort.course_id]}

    response = signed_in(client, world.manager).post("/admin/bonus-rules/new/", rule_form(**fields))

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert "“Training bonus” already pays a bonus to some of the same learners" in errors[0]
    assert not BonusRule.objects.filter(name="Job readiness bonus").exists()


def test_a_rule_for_other_learners_or_other_months_is_accepted_and_a_rule_may_be_edited_without_clashing_with_itself(
    client, world
):
    signed_in(client, world.manager)

    client.post("/admin/bonus-rules/new/", rule_form(tracks=["entrepreneurship"]))
    client.post(
        "/admin/bonus-rules/new/",
        rule_form(name="Old ESOL bonus", tracks=["esol"], active_from="2025-01-01", active_until="2025-12-31"),
    )
    response = client.post(
        f"/admin/bonus-rules/edit/{world.rule.pk}/",
        rule_form(name="Training bonus", tracks=["esol", "job_training"], amount="250.00"),
    )

    assert set(BonusRule.objects.values_list("name", flat=True)) == {
        "Training bonus",
        "Job readiness bonus",
        "Old ESOL bonus",
    }
    assert response.status_code == 302
    assert BonusRule.objects.get(pk=world.rule.pk).amount == Decimal("250.00")


def test_a_rule_with_bonuses_is_kept_when_someone_tries_to_delete_it(client, computed):
    response = signed_in(client, computed.manager).post(f"/admin/bonus-rules/delete/{computed.rule.pk}/", follow=True)

    assert BonusRule.objects.filter(pk=computed.rule.pk).exists()
    assert any("cannot be deleted" in message for message in messages_of(response))


# --- the audit log ---------------------------------------------------------------------------------------------


def test_every_incentives_action_is_offered_once_in_the_audit_log_filter():
    offered = [action for action, _label in log_actions.get_choices() if action.startswith("incentives.")]

    assert sorted(offered) == sorted(
        [
            "incentives.bonus.compute",
            "incentives.bonus.approve",
            "incentives.bonus.pay",
            "incentives.bonus.adjust",
            "incentives.savings.record",
            "incentives.savings.approve",
            "incentives.savings.pay",
            "incentives.milestone.record",
            "incentives.milestone.verify",
            "incentives.milestone.reject",
            "incentives.evidence.download",
        ]
    )


def test_managers_read_money_decisions_in_the_site_history_and_partner_staff_do_not(client, decided):
    world = decided.world

    as_manager = page_text(signed_in(client, world.manager).get("/admin/reports/site-history/"))
    client.logout()
    as_staff = page_text(signed_in(client, world.partner_staff).get("/admin/reports/site-history/"))

    assert "Bonus approved" in as_manager or "Approve bonus" in as_manager
    assert "Approve bonus" not in as_staff and "Bonus approved" not in as_staff


def test_a_savings_match_of_nothing_a_month_is_an_error_on_that_field(client, world):
    response = signed_in(client, world.manager).post(
        "/admin/savings-match-rules/new/", {"name": "Household match", "monthly_cap": "0", "active_from": "2026-01-01"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["monthly_cap"] == ["The monthly limit must be more than zero."]
    assert not SavingsMatchRule.objects.filter(name="Household match").exists()
