"""The vendors' own SDKs against the stand-in, unmodified: Huawei Cloud's Python SDK (EVS, DWS) with
AK/SK signing, openstacksdk with a token and an endpoint override, and python-cinderclient; then
python-openstackclient, openstacksdk and snapctl with an ordinary password clouds.yaml, logging in
to the stand-in's Keystone.

Run by scripts/vendor_sdks.sh, which installs the pinned packages, starts the stand-in and passes
its address in STANDIN_URL (and STANDIN_SHORT_URL, one whose tokens live three seconds). Exits non-zero on the first check that fails, saying which.
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

STANDIN = os.environ["STANDIN_URL"]
AK = os.environ["STANDIN_AK"]
SK = os.environ["STANDIN_SK"]
PROJECT = os.environ["STANDIN_PROJECT"]
TOKEN = os.environ["STANDIN_TOKEN"]
SHORT = os.environ["STANDIN_SHORT_URL"]
USER = os.environ["STANDIN_USER"]
PASSWORD = os.environ["STANDIN_PASSWORD"]
SNAPCTL = os.environ["SNAPCTL"]
WORK = os.environ["WORK"]
VOLUME = "5aa119a8-d25b-45a7-8d1b-88e127885635"

checks = 0


def check(condition, what, detail=""):
    global checks
    if not condition:
        print(f"FAILED: {what}", file=sys.stderr)
        if detail:
            print(detail, file=sys.stderr)
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


def clouds_yaml():
    """An ordinary password clouds.yaml, as DevStack writes one: a cloud per stand-in."""
    path = os.path.join(WORK, "clouds.yaml")
    with open(path, "w") as f:
        f.write("clouds:\n")
        for name, url in (("mycloud", STANDIN), ("shortlived", SHORT)):
            f.write(
                f"  {name}:\n    auth:\n      auth_url: {url}/identity\n      username: {USER}\n"
                f"      password: {PASSWORD}\n      project_name: demo\n      user_domain_name: Default\n"
                f"      project_domain_name: Default\n    region_name: RegionOne\n    interface: public\n"
                f"    identity_api_version: 3\n"
            )
    return path


def stored_snapshots(base):
    with urllib.request.urlopen(f"{base}/_standin/snapshots") as answer:
        return len(json.load(answer)["snapshots"])


def run(args, env=None):
    merged = dict(os.environ, OS_CLIENT_CONFIG_FILE=os.path.join(WORK, "clouds.yaml"))
    merged.update(env or {})
    return subprocess.run(args, capture_output=True, text=True, env=merged, timeout=120, cwd=WORK)


def keystone():
    import openstack

    clouds_yaml()
    os.environ["OS_CLIENT_CONFIG_FILE"] = os.path.join(WORK, "clouds.yaml")

    # python-openstackclient: create, show, list, as its users type them.
    created = run(["openstack", "--os-cloud", "mycloud", "volume", "snapshot", "create", "--volume", VOLUME, "osc-snap", "-f", "json"])
    check(created.returncode == 0, f"openstackclient logs in with a password and creates a snapshot", created.stderr)
    snapshot = json.loads(created.stdout)
    check(snapshot["name"] == "osc-snap" and snapshot["volume_id"] == VOLUME, "openstackclient shows the created snapshot")
    shown = run(["openstack", "--os-cloud", "mycloud", "volume", "snapshot", "show", snapshot["id"], "-f", "json"])
    check(shown.returncode == 0 and json.loads(shown.stdout)["id"] == snapshot["id"], f"openstackclient shows it by id", shown.stderr)
    listed = run(["openstack", "--os-cloud", "mycloud", "volume", "snapshot", "list", "-f", "json"])
    check(listed.returncode == 0 and any(s["ID"] == snapshot["id"] for s in json.loads(listed.stdout)), f"openstackclient lists it", listed.stderr)

    # openstacksdk with the same cloud: the endpoint from the catalog, the project from the token.
    conn = openstack.connect(cloud="mycloud")
    made = conn.block_storage.create_snapshot(volume_id=VOLUME, name="sdk-snap")
    check(made.id and made.status == "creating", "openstacksdk logs in with a password and creates a snapshot")
    check(conn.block_storage.get_snapshot(made.id).name == "sdk-snap", "openstacksdk reads it back")
    check(conn.current_project_id == PROJECT, "openstacksdk's project is the token's")

    # snapctl with the same clouds.yaml.
    ours = run([SNAPCTL, "--os-cloud", "mycloud", "block-storage", "create-snapshot", "--volume-id", VOLUME, "--name", "snapctl-snap", "-o", "json"])
    check(ours.returncode == 0 and json.loads(ours.stdout)["name"] == "snapctl-snap", f"snapctl logs in with the same clouds.yaml", ours.stderr)

    # A wrong password and an unknown user: refused with 401, nothing created.
    before = stored_snapshots(STANDIN)
    for what, flags, env in (
        ("a wrong password", ["--os-password", "not-it"], {"OS_PASSWORD": "not-it"}),
        ("an unknown user", ["--os-username", "nobody"], {"OS_USERNAME": "nobody"}),
    ):
        osc = run(["openstack", "--os-cloud", "mycloud", *flags, "volume", "snapshot", "create", "--volume", VOLUME, "refused", "-f", "json"])
        check(osc.returncode != 0 and "401" in osc.stderr, f"openstackclient is refused with 401 for {what}")
        ours = run([SNAPCTL, "--os-cloud", "mycloud", "block-storage", "create-snapshot", "--volume-id", VOLUME, "--name", "refused"], env)
        check(ours.returncode == 4 and "401" in ours.stderr, f"snapctl exits 4 with Keystone's 401 for {what}", ours.stderr)
    check(stored_snapshots(STANDIN) == before, "a refused login creates nothing")

    # Tokens that live three seconds: the stand-in refuses an expired one, and the clients renew.
    request = urllib.request.Request(
        f"{SHORT}/identity/v3/auth/tokens",
        data=json.dumps({"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": USER, "domain": {"name": "Default"}, "password": PASSWORD}}}, "scope": {"project": {"id": PROJECT}}}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as answer:
        token = answer.headers["X-Subject-Token"]
    conn = openstack.connect(cloud="shortlived")
    conn.block_storage.create_snapshot(volume_id=VOLUME, name="before-expiry")
    time.sleep(4)
    late = urllib.request.Request(
        f"{SHORT}/v3/{PROJECT}/snapshots",
        data=json.dumps({"snapshot": {"volume_id": VOLUME, "name": "late"}}).encode(),
        headers={"Content-Type": "application/json", "X-Auth-Token": token},
    )
    try:
        urllib.request.urlopen(late)
        refused = False
    except urllib.error.HTTPError as error:
        refused = error.code == 401
    check(refused, "the stand-in refuses a token it issued once it has expired, with 401")
    after = conn.block_storage.create_snapshot(volume_id=VOLUME, name="after-expiry")
    check(after.id, "openstacksdk gets a new token when its token has expired")
    ours = run([SNAPCTL, "--os-cloud", "shortlived", "block-storage", "create-snapshot", "--volume-id", VOLUME, "--name", "snapctl-late", "-o", "json"])
    check(ours.returncode == 0, f"snapctl logs in again after the expiry", ours.stderr)


huawei()
openstack()
keystone()
print(f"{checks} checks passed")
