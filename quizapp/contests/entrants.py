"""Who takes part: the entrant's form values checked, and the participant found or created by phone.

A participant is one phone number per competition (``phone_hmac``, see quizapp/privacy/phone.py);
the name and 单位 of the first registration stay fixed, since no SMS check exists. Names and
free-text 单位 are published masked on leaderboards and winners' pages, so they refuse invisible,
control and markup characters (quizapp/core/text.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from quizapp.contests.models import GROUPS, OTHER_ORGANIZATION, Competition, Participant
from quizapp.core.errors import Conflict, ValidationFailed
from quizapp.core.text import FORBIDDEN_TEXT, has_hidden_characters, normalise_text
from quizapp.extensions import db
from quizapp.privacy.phone import encrypt_phone, mask_phone, normalize_phone, phone_lookup_hash

NAME_MAX = 20
ORGANIZATION_MAX = 60


@dataclass(frozen=True)
class Entrant:
    """What a person gives to take part: name, phone (raw), 单位, group, consent.

    ``organization`` is one of the competition's list, or ``其他`` with
    ``other_organization`` as free text when the competition allows it.
    ``group`` is ``public`` (社会群众) or ``practitioner`` (从业人员).
    """

    name: str
    phone: str
    organization: str
    group: str
    consent: bool
    other_organization: str = ""


def validate_entrant(competition: Competition, entrant: Entrant) -> tuple[str, str, str]:
    """Return (name, normalised phone, organization) or raise ValidationFailed naming the fields."""
    errors: dict[str, str] = {}
    name = normalise_text(entrant.name)
    if not name or len(name) > NAME_MAX:
        errors["name"] = f"请填写姓名（不超过{NAME_MAX}个字）"
    elif has_hidden_characters(name):  # before the symbol check, which also matches control characters
        errors["name"] = "姓名中含有不可见或控制字符，请重新输入"
    elif FORBIDDEN_TEXT.search(name):
        errors["name"] = "姓名中不能含有 < > & 引号 斜杠等符号"
    try:
        phone = normalize_phone(entrant.phone)
    except ValidationFailed as exc:
        errors.update(exc.fields)
        phone = ""
    organization = (entrant.organization or "").strip()
    if organization == OTHER_ORGANIZATION and competition.allow_other_organization:
        organization = normalise_text(entrant.other_organization)
        if not organization or len(organization) > ORGANIZATION_MAX:
            errors["other_organization"] = f"请填写您的单位名称（不超过{ORGANIZATION_MAX}个字）"
        elif has_hidden_characters(organization):
            errors["other_organization"] = "单位名称中含有不可见或控制字符，请重新输入"
        elif FORBIDDEN_TEXT.search(organization):
            errors["other_organization"] = "单位名称中不能含有 < > & 引号 斜杠等符号"
    elif organization not in competition.organizations:
        errors["organization"] = "请从列表中选择您的单位"
    if entrant.group not in GROUPS:
        errors["group"] = "请选择参赛人员类别"
    elif competition.audience in GROUPS and entrant.group != competition.audience:
        errors["group"] = f"本竞赛仅面向{GROUPS[competition.audience]}"
    if entrant.consent is not True:
        errors["consent"] = "请阅读并同意《个人信息保护规则》"
    if errors:
        raise ValidationFailed("；".join(errors.values()), fields=errors)
    return name, phone, organization


def find_or_create_participant(
    competition: Competition, name: str, phone: str, organization: str, group: str, now: datetime
) -> Participant:
    """Return the participant for this phone, locked for update, creating it if new."""
    digest = phone_lookup_hash(phone)
    query = select(Participant).where(Participant.competition_id == competition.id, Participant.phone_hmac == digest)
    participant = db.session.scalar(query.with_for_update())
    if participant is None:
        participant = Participant(
            competition_id=competition.id,
            name=name,
            phone_encrypted=encrypt_phone(phone),
            phone_hmac=digest,
            phone_masked=mask_phone(phone),
            organization=organization,
            group=group,
            consent_at=now,
        )
        try:
            with db.session.begin_nested():
                db.session.add(participant)
        except IntegrityError:  # another request created it first
            participant = db.session.scalar(query.with_for_update())
    elif (participant.name, participant.organization) != (name, organization):
        # No SMS check exists, so the first registration's name and 单位 stay fixed:
        # someone who merely knows the number cannot move its results elsewhere.
        db.session.rollback()
        raise Conflict(
            "该手机号已报名本竞赛，但本次填写的姓名或单位与首次报名不一致；请填写首次报名时的姓名和单位",
            code="identity_mismatch",
        )
    participant.consent_at = now
    return participant
