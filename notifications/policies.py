"""Who may do what with notifications beyond their own settings."""

from __future__ import annotations

from councils.policies import is_platform_admin


def can_manage_digests(user) -> bool:
    """Every person's digest deliveries, sending one again and previewing
    anyone's next digest: platform admins only (staff, and two-factor is
    enforced for them by ``RequireMFAForPrivilegedMiddleware``). A council
    admin sees nothing here: a digest is built from what its recipient may
    see, which can be more than their admin may."""
    return is_platform_admin(user)
