"""Per-row secrets (attempts, review cards) from which a learner's public choice ids are derived."""
import secrets


def new_id_secret() -> str:
    return secrets.token_hex(16)
