"""The vendors' own SDKs against the stand-in, unmodified: Huawei Cloud's Python SDK (EVS, DWS) with
AK/SK signing, openstacksdk with a token and an endpoint override, and python-cinderclient.

Run by scripts/vendor_sdks.sh, which installs the pinned packages, starts the stand-in and passes
its address in STANDIN_URL. Exits non-zero on the first check that fails, saying which.
"""

import os
import sys

STANDIN = os.environ["STANDIN_URL"]
AK = os.environ["STANDIN_AK"]
SK = os.environ["STANDIN_SK"]
PROJECT = os.environ["STANDIN_PROJECT"]
TOKEN = os.environ["STANDIN_TOKEN"]

checks = 0


def check(condition, what):
    global checks
    if not condition:
        print(f"FAILED: {what}", file=sys.stderr)
        sys.exit(1)
    checks += 1
    print(f"ok: {what}")


def huawei():
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
    from huaweicloudsdkcore.http.http_config import HttpConfig
    from huaweicloudsdkdws.v2 import (
        CopySnapshotRequest,
        CreateSnapshotRequest,
        CreateSnapshotRequestBody,
        DwsClient,
        LinkCopyReq,
        Snapshot,
    )
    from huaweicloudsdkevs.v2 import (
        CreateStandardSnapshot,
        CreateStandardSnapshotRequest,
        CreateStandardSnapshotRequestBody,
        EvsClient,
        UpdateSnapshotOption,
        UpdateSnapshotRequest,
        UpdateSnapshotRequestBody,
    )

    def client(kind, sk):
        config = HttpConfig.get_default_config()
        config.retry_times = 0
        return (
            kind.new_builder()
            .with_http_config(config)
            .with_credentials(BasicCredentials(AK, sk, PROJECT))
            .with_endpoints([STANDIN])
            .build()
        )

    evs = client(EvsClient, SK)
    created = evs.create_standard_snapshot(
        CreateStandardSnapshotRequest(
            body=CreateStandardSnapshotRequestBody(
                snapshot=CreateStandardSnapshot(
                    volume_id="2c194dde-7de5-4529-a141-49f48181f411", name="test_name", description="test description"
                )
            )
        )
    )
    check(created.status_code == 202 and created.snapshot_id, "EVS SDK creates a standard snapshot (202, an id)")
    check(len(created.job_id or "") == 32, "EVS SDK reads the job id")
    updated = evs.update_snapshot(
        UpdateSnapshotRequest(
            snapshot_id=created.snapshot_id,
            body=UpdateSnapshotRequestBody(snapshot=UpdateSnapshotOption(name="snap-001", description="Daily backup")),
        )
    )
    check(updated.snapshot.name == "snap-001", "EVS SDK renames it through /cloudsnapshots/{id}")
    check(updated.snapshot.description == "Daily backup", "EVS SDK reads the new description")
    check(updated.snapshot.volume_id == "2c194dde-7de5-4529-a141-49f48181f411", "EVS SDK reads the full snapshot")

    dws = client(DwsClient, SK)
    made = dws.create_snapshot(
        CreateSnapshotRequest(
            body=CreateSnapshotRequestBody(
                snapshot=Snapshot(name="snapshot-3", cluster_id="44b277eb-39be-4921-be31-3d61b43651d7")
            )
        )
    )
    check(made.snapshot.id, "DWS SDK creates a snapshot")
    copied = dws.copy_snapshot(
        CopySnapshotRequest(snapshot_id=made.snapshot.id, body=LinkCopyReq(backup_name="backup20", description="copy"))
    )
    check(copied.snapshot_id and copied.snapshot_id != made.snapshot.id, "DWS SDK copies it into a new snapshot")
    try:
        dws.copy_snapshot(CopySnapshotRequest(snapshot_id="absent", body=LinkCopyReq(backup_name="b")))
        check(False, "DWS SDK: copying a missing snapshot fails")
    except ClientRequestException as error:
        check(error.status_code == 404 and error.error_code == "DWS.0404", "DWS SDK reads the 404 in DWS's shape")
        check(bool(error.request_id), "DWS SDK reads the request id")

    wrong = client(EvsClient, "not-the-secret-key")
    try:
        wrong.create_standard_snapshot(
            CreateStandardSnapshotRequest(
                body=CreateStandardSnapshotRequestBody(snapshot=CreateStandardSnapshot(volume_id="v"))
            )
        )
        check(False, "EVS SDK: a wrong secret key is refused")
    except ClientRequestException as error:
        check(
            error.status_code == 401 and error.error_code == "APIGW.0301",
            "a wrong secret key gets the SDK's authentication error (ClientRequestException 401 APIGW.0301)",
        )


def openstack():
    import openstack
    from cinderclient import client as cinder_client
    from keystoneauth1 import session
    from keystoneauth1.token_endpoint import Token

    endpoint = f"{STANDIN}/v3/{PROJECT}"
    for version in ("3.0", "3.41", "3.65"):
        conn = openstack.connect(
            auth_type="admin_token",
            auth={"token": TOKEN, "endpoint": endpoint},
            block_storage_endpoint_override=endpoint,
            block_storage_api_version="3",
            default_microversion=None,
        )
        conn.block_storage.default_microversion = version
        snapshot = conn.block_storage.create_snapshot(volume_id="5aa119a8-d25b-45a7-8d1b-88e127885635", name=f"snap-{version}")
        check(snapshot.id and snapshot.status == "creating", f"openstacksdk creates a snapshot at {version}")
        check(snapshot.name == f"snap-{version}", f"openstacksdk reads its name at {version}")
        check(snapshot.volume_id == "5aa119a8-d25b-45a7-8d1b-88e127885635", f"openstacksdk reads volume_id at {version}")
        has_user = bool(getattr(snapshot, "user_id", None))
        check(has_user == (version != "3.0"), f"openstacksdk sees user_id only from 3.41 (at {version}: {has_user})")

    auth = Token(endpoint, TOKEN)
    sess = session.Session(auth=auth)
    for version in ("3.0", "3.41", "3.65"):
        cinder = cinder_client.Client(version, session=sess, endpoint_override=endpoint)
        snapshot = cinder.volume_snapshots.create("5aa119a8-d25b-45a7-8d1b-88e127885635", name=f"cinder-{version}")
        check(snapshot.id and snapshot.status == "creating", f"python-cinderclient creates a snapshot at {version}")
        has_user = bool(getattr(snapshot, "user_id", None))
        check(has_user == (version != "3.0"), f"python-cinderclient sees user_id only from 3.41 (at {version})")


huawei()
openstack()
print(f"{checks} checks passed")
