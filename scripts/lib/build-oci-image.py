#!/usr/bin/env python3
"""Builds a one-layer OCI image layout from a static busybox binary.

usage: build-oci-image.py BUSYBOX OUT_DIR TAG [--entrypoint JSON] [--cmd JSON]

The layer holds /bin/busybox, a symlink per applet (from `busybox --list-full`), /etc/passwd,
/etc/group and the usual empty directories. Output is reproducible: fixed mtimes, sorted
entries, gzip without a timestamp, so the same busybox gives the same digests.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

MTIME = 0


def add_dir(tar, path, mode=0o755):
    info = tarfile.TarInfo(path)
    info.type = tarfile.DIRTYPE
    info.mode = mode
    info.mtime = MTIME
    tar.addfile(info)


def add_file(tar, path, data, mode=0o644):
    info = tarfile.TarInfo(path)
    info.size = len(data)
    info.mode = mode
    info.mtime = MTIME
    tar.addfile(info, io.BytesIO(data))


def add_symlink(tar, path, target):
    info = tarfile.TarInfo(path)
    info.type = tarfile.SYMTYPE
    info.linkname = target
    info.mode = 0o777
    info.mtime = MTIME
    tar.addfile(info)


def layer_tar(busybox):
    applets = subprocess.run([busybox, "--list-full"], check=True, capture_output=True, text=True).stdout.split()
    dirs = {"bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "root", "var", "var/www", "proc", "sys", "dev", "home"}
    for applet in applets:
        parent = os.path.dirname(applet)
        while parent:
            dirs.add(parent)
            parent = os.path.dirname(parent)
    with open(busybox, "rb") as f:
        binary = f.read()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for d in sorted(dirs):
            add_dir(tar, d)
        add_dir(tar, "tmp", 0o1777)
        add_file(tar, "bin/busybox", binary, 0o755)
        add_file(tar, "etc/passwd", b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n")
        add_file(tar, "etc/group", b"root:x:0:\nnobody:x:65534:\n")
        for applet in sorted(set(applets)):
            if applet == "bin/busybox":
                continue
            depth = applet.count("/")
            add_symlink(tar, applet, "../" * depth + "bin/busybox" if depth > 1 else "/bin/busybox")
    return buf.getvalue()


def write_blob(blobs, data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, digest), "wb") as f:
        f.write(data)
    return "sha256:" + digest, len(data)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("busybox")
    p.add_argument("out")
    p.add_argument("tag")
    p.add_argument("--entrypoint", default="null")
    p.add_argument("--cmd", default='["sh"]')
    a = p.parse_args()

    blobs = os.path.join(a.out, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)
    raw = layer_tar(a.busybox)
    diff_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0, compresslevel=6) as g:
        g.write(raw)
    layer_digest, layer_size = write_blob(blobs, gz.getvalue())

    config = {
        "created": "1970-01-01T00:00:00Z",
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            "WorkingDir": "/",
        },
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "skiff scripts/lib/build-oci-image.py"}],
    }
    entrypoint = json.loads(a.entrypoint)
    cmd = json.loads(a.cmd)
    if entrypoint:
        config["config"]["Entrypoint"] = entrypoint
    if cmd:
        config["config"]["Cmd"] = cmd
    config_digest, config_size = write_blob(blobs, json.dumps(config, sort_keys=True).encode())

    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config_size},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer_digest, "size": layer_size}],
    }
    manifest_digest, manifest_size = write_blob(blobs, json.dumps(manifest, sort_keys=True).encode())

    index = {
        "schemaVersion": 2,
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": manifest_digest,
            "size": manifest_size,
            "platform": {"architecture": "amd64", "os": "linux"},
            "annotations": {"org.opencontainers.image.ref.name": a.tag},
        }],
    }
    with open(os.path.join(a.out, "index.json"), "w") as f:
        json.dump(index, f, sort_keys=True)
    with open(os.path.join(a.out, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    print(manifest_digest)


if __name__ == "__main__":
    sys.exit(main())
