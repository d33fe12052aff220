"""Demo people and organisations. Invented, but plausible. Never loaded in production."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field

DEMO_PASSWORD = "Demo-password-2026"
DEMO_DOMAIN = "demo.nhs-citizen.test"


@dataclass(frozen=True)
class Persona:
    key: str
    display_name: str
    role_label: str
    staff_roles: tuple[str, ...] = ()
    membership: tuple[str, str, str] | None = None  # (organisation slug, role, job title)
    area: str = ""  # "icb:CODE" or "region:CODE"
    interests: tuple[str, ...] = ()
    verified_membership: bool = True
    extra: dict = field(default_factory=dict)

    @property
    def email(self) -> str:
        return f"{self.key}@{DEMO_DOMAIN}"

    @property
    def totp_secret(self) -> str:
        """A fixed secret per persona, so demo staff can sign in with a known code."""
        digest = hashlib.sha256(f"nhs-citizen-demo:{self.key}".encode()).digest()[:20]
        return base64.b32encode(digest).decode()

    @property
    def needs_second_factor(self) -> bool:
        return bool(self.staff_roles) or bool(self.membership and self.membership[1] == "responder")


PERSONAS: list[Persona] = [
    Persona(
        "citizen",
        "Amira Hussain",
        "Citizen",
        area="icb:QWO",
        interests=("mental-health", "gp-and-primary-care", "waiting-times"),
    ),
    Persona(
        "member",
        "Grace Okafor",
        "Organisation member",
        membership=("healthwatch-leeds", "member", "Engagement officer"),
        area="icb:QWO",
        interests=("access-and-disability", "health-inequalities"),
    ),
    Persona(
        "responder",
        "David Chen",
        "Responder",
        membership=("nhs-west-yorkshire-icb", "responder", "Head of patient experience"),
        area="icb:QWO",
    ),
    Persona("curator", "Priya Sharma", "Curator", staff_roles=("curator",), area="region:Y56"),
    Persona("moderator", "Tom Evans", "Moderator", staff_roles=("moderator",), area="region:Y62"),
    Persona(
        "reviewer",
        "Margaret O'Neill",
        "Review panel member",
        staff_roles=("review_panel",),
        area="icb:QHM",
    ),
    Persona(
        "secretariat",
        "Samuel Adeyemi",
        "Secretariat",
        staff_roles=("secretariat",),
        area="region:Y60",
    ),
    Persona("board", "Helen Carter", "Board member", staff_roles=("board_member",)),
    Persona("admin", "Ruth Williams", "Administrator", staff_roles=("administrator",)),
]

# More citizens, so lists and searches have something in them.
OTHER_CITIZENS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("joseph", "Joseph Mensah", "icb:QMF", ("dentistry", "children-and-young-people")),
    ("siobhan", "Siobhan Kelly", "icb:QOP", ("maternity", "patient-safety")),
    ("arjun", "Arjun Patel", "icb:QHL", ("long-term-conditions", "pharmacy-and-medicines")),
    ("eleanor", "Eleanor Brooks", "icb:QT6", ("transport-and-travel", "social-care")),
    ("kwame", "Kwame Boateng", "region:Y61", ("urgent-and-emergency-care",)),
    ("beth", "Beth Lewis", "icb:QUY", ("learning-disability-and-autism", "access-and-disability")),
    ("mohammed", "Mohammed Iqbal", "icb:QF7", ("cancer", "waiting-times")),
    ("lucy", "Lucy Turner", "", ("end-of-life-care",)),
]

# Organisations that are not reference data: trusts, councils, Healthwatch and groups.
DEMO_ORGANISATIONS: list[dict] = [
    {
        "slug": "leeds-teaching-hospitals-nhs-trust",
        "name": "Leeds Teaching Hospitals NHS Trust",
        "type": "nhs_trust",
        "code": "RR8",
        "icb": "QWO",
        "description": "Runs hospitals in Leeds, including St James's University Hospital and Leeds General Infirmary.",
    },
    {
        "slug": "leeds-city-council",
        "name": "Leeds City Council",
        "type": "local_authority",
        "code": "E08000035",
        "icb": "QWO",
        "description": "The local council for Leeds, responsible for social care and public health.",
    },
    {
        "slug": "healthwatch-leeds",
        "name": "Healthwatch Leeds",
        "type": "healthwatch",
        "icb": "QWO",
        "description": "The independent champion for people who use health and care services in Leeds.",
    },
    {
        "slug": "aire-valley-carers-network",
        "name": "Aire Valley Carers' Network",
        "type": "charity",
        "icb": "QWO",
        "description": "A charity run by and for unpaid carers in the Aire Valley.",
    },
    {
        "slug": "kirkstall-patient-participation-group",
        "name": "Kirkstall Patient Participation Group",
        "type": "patient_group",
        "icb": "QWO",
        "description": "Patients working with their GP surgery to improve its services.",
    },
    {
        "slug": "care-quality-commission",
        "name": "Care Quality Commission",
        "type": "national_body",
        "description": "The independent regulator of health and adult social care in England.",
    },
]

# Requests waiting for an administrator to check.
PENDING_REQUESTS: list[tuple[str, str, str, str]] = [
    ("joseph", "leeds-teaching-hospitals-nhs-trust", "responder", "Complaints manager"),
    ("beth", "aire-valley-carers-network", "member", "Volunteer coordinator"),
]
