"""Which client an upload uses: the store user's, and the multipart role's above 5 GiB (seed 000), assumed once."""

from __future__ import annotations

from stackyard.speed.core.context import MULTIPART_ROLE_ABOVE, SpeedContext
from stackyard.speed.core.ledger import Ledger
from stackyard.store_speed import DOWNLOAD, UPLOAD


def test_only_uploads_over_5_gib_use_the_role_and_it_is_assumed_once():
    assumed = []

    def assume():
        assumed.append("role")
        return "role client"

    context = SpeedContext("user client", "b", Ledger("b", "p/"), UPLOAD, DOWNLOAD, multipart_s3=assume)
    assert context.uploader(MULTIPART_ROLE_ABOVE) == "user client" and assumed == []
    assert [context.uploader(MULTIPART_ROLE_ABOVE + 1) for _ in range(2)] == ["role client"] * 2
    assert assumed == ["role"]
    no_role = SpeedContext("user client", "b", Ledger("b", "p/"), UPLOAD, DOWNLOAD)
    assert no_role.uploader(10 * 2**30) == "user client"
