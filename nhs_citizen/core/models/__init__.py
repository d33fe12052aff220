from nhs_citizen.core.models.audit import AuditEntry
from nhs_citizen.core.models.geography import Icb, Region
from nhs_citizen.core.models.organisations import Membership, Organisation, OrganisationType
from nhs_citizen.core.models.schedule import ScheduledRun
from nhs_citizen.core.models.topics import Topic

__all__ = [
    "AuditEntry",
    "Icb",
    "Membership",
    "Organisation",
    "OrganisationType",
    "Region",
    "ScheduledRun",
    "Topic",
]
