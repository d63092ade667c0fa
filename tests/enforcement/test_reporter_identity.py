"""The reporter's identity at rest: encrypted with the configured keys, rotatable, never plain."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from enforcement.complaints import identity
from enforcement.complaints.identity import Identity
from enforcement.models import ReporterIdentity
from tests.factories import file_complaint

PERSON = Identity(
    name="测试者欧阳",
    phone="13800000001",
    email="ouyang@example.org",
    id_number="110101199001011234",
    address="小店区某某小区 3 号楼",
)


@pytest.fixture(autouse=True)
def _fresh_keys(settings: Any) -> Any:
    """The keys are cached: read them again after a test changes the setting, and after it."""
    identity.forget_keys()
    yield
    identity.forget_keys()


def use_keys(settings: Any, *keys: str) -> None:
    settings.ECOLOOP_PII_KEYS = list(keys)
    identity.forget_keys()


def test_an_identity_survives_the_round_trip() -> None:
    token = identity.encrypt(PERSON)
    assert identity.decrypt(token) == PERSON


def test_the_ciphertext_contains_none_of_the_plaintext() -> None:
    token = identity.encrypt(PERSON)
    for value in (PERSON.name, PERSON.phone, PERSON.email, PERSON.id_number, "1380000"):
        assert value not in token
    # Two encryptions of the same person differ (Fernet's random IV): equal tokens tell nothing.
    assert identity.encrypt(PERSON) != token


@pytest.mark.django_db
def test_the_stored_row_holds_only_ciphertext_and_flags(district: Any) -> None:
    complaint = file_complaint(jurisdiction=district, name=PERSON.name, phone=PERSON.phone)
    row = ReporterIdentity.objects.get(complaint=complaint)
    assert PERSON.name not in row.ciphertext and PERSON.phone not in row.ciphertext
    assert (row.has_phone, row.has_email) == (True, False)
    assert row.phone_digest == identity.phone_digest(PERSON.phone)
    assert identity.decrypt(row.ciphertext).name == PERSON.name
    assert identity.contact(complaint, "sms") == PERSON.phone
    assert identity.contact(complaint, "email") is None


def test_rotated_keys_still_open_old_tokens_and_seal_with_the_new_one(settings: Any) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    use_keys(settings, old)
    old_token = identity.encrypt(PERSON)

    # when the new key is put first and the old one kept after it
    use_keys(settings, new, old)
    # then old tokens still open, and new ones are sealed with the new key
    assert identity.decrypt(old_token) == PERSON
    new_token = identity.encrypt(PERSON)
    use_keys(settings, new)
    assert identity.decrypt(new_token) == PERSON
    with pytest.raises(ImproperlyConfigured):
        identity.decrypt(old_token)


def test_a_wrong_key_is_a_configuration_error_not_garbage(settings: Any) -> None:
    token = identity.encrypt(PERSON)
    use_keys(settings, Fernet.generate_key().decode())
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        identity.decrypt(token)


def test_no_key_or_a_malformed_key_is_refused(settings: Any) -> None:
    use_keys(settings)
    with pytest.raises(ImproperlyConfigured, match="not set"):
        identity.encrypt(PERSON)
    use_keys(settings, "not-a-fernet-key")
    with pytest.raises(ImproperlyConfigured, match="Fernet"):
        identity.encrypt(PERSON)


def test_the_phone_digest_recognises_the_same_number_however_written() -> None:
    digest = identity.phone_digest("13800000001")
    assert len(digest) == 64 and "13800000001" not in digest
    assert identity.phone_digest("138 0000 0001") == digest
    assert identity.phone_digest("138-0000-0001") == digest
    assert identity.phone_digest("13800000002") != digest
    assert identity.phone_digest("") == ""


def test_the_phone_digest_depends_on_the_key(settings: Any) -> None:
    use_keys(settings, Fernet.generate_key().decode())
    first = identity.phone_digest("13800000001")
    use_keys(settings, Fernet.generate_key().decode())
    assert identity.phone_digest("13800000001") != first


@pytest.mark.django_db
def test_an_anonymous_complaint_keeps_no_identity_even_when_one_was_typed(district: Any) -> None:
    complaint = file_complaint(
        jurisdiction=district, name="测试者匿名", phone="13800000009", anonymous=True
    )
    assert complaint.anonymous
    assert not ReporterIdentity.objects.filter(complaint=complaint).exists()
    assert identity.contact(complaint, "sms") is None
    assert complaint.wants_reward is False


@pytest.mark.django_db
def test_a_reward_is_only_for_a_named_reporter(district: Any) -> None:
    anonymous = file_complaint(jurisdiction=district, wants_reward=True)
    named = file_complaint(
        jurisdiction=district, name="测试者实名", phone="13800000008", wants_reward=True
    )
    assert (anonymous.wants_reward, named.wants_reward) == (False, True)
