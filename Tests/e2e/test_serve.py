"""beamforge serve: SAXSDog's ZeroMQ protocol, driven by a client written like SAXSDog's leash (a REQ socket per
command, LINGER 1, `addauthentication` signing the sorted JSON dump) and a pyzmq PUB feeder: new → 5 frames →
stat → plot (equal to the .chi) → fileslist → readdir → close, the output equal to a batch `integrate` of the same
frames; then every negative of issue 23 gets its documented reply or is dropped, and the server keeps answering.
Only 127.0.0.1 listens. Also `beamforge leash` and `beamforge feeder` against the server."""
import hashlib
import json
import os
import signal
import subprocess
import time

import numpy as np
import pytest
import zmq

from conftest import BEAMFORGE, SAXSDOG, datasets, environment, wait_for
from test_integrate import integrate
from test_integrate_watch import frame_bytes

MASK = SAXSDOG / "AAA_integ.msk"


def addauthentication(request, secret):
    """SAXS_py3 Leash.addauthentication: sha512 over json.dumps(request, sort_keys=True) with sign "", + secret."""
    request["time"] = time.time()
    request["sign"] = ""
    m = hashlib.sha512()
    m.update(json.dumps(request, sort_keys=True).encode())
    m.update(secret.encode())
    request["sign"] = m.hexdigest()
    return request


def send_raw(endpoint, frames, timeout=30):
    """One REQ socket per command, as SAXSDog's leash; the reply's text, or None when none comes in time."""
    socket = zmq.Context.instance().socket(zmq.REQ)
    socket.setsockopt(zmq.LINGER, 1)
    socket.connect(endpoint)
    try:
        socket.send_multipart(frames)
        return socket.recv().decode() if socket.poll(timeout * 1000) else None
    finally:
        socket.close()


def leash(endpoint, secret, command, argument=None, attachments=(), timeout=30):
    request = addauthentication({"command": command, "argument": argument or {}}, secret)
    text = send_raw(endpoint, [json.dumps(request).encode(), *attachments], timeout)
    return json.loads(text) if text is not None else None


def mask_attachment():
    return json.dumps({"filename": "AAA_integ.msk", "data": MASK.read_bytes().decode("latin-1")}).encode()


def calibration(directory):
    cal = json.loads((SAXSDOG / "cal.json").read_text())
    cal["Directory"] = directory
    cal["Masks"][0]["MaskFile"] = "data/AAA_integ.msk"  # SAXSDog's own example: the mask comes as an attachment
    return cal


def write_net(path, secret):
    path.write_text(json.dumps([{"Server": "tcp://127.0.0.1:9723", "Feeder": "tcp://127.0.0.1:9823",
                                 "Secret": secret, "Name": "test"}]))
    path.chmod(0o600)
    return path


def start_serve(ranks, *args):
    cmd = [BEAMFORGE, "serve", *map(str, args)]
    if ranks > 1:
        cmd = ["mpirun", "-np", str(ranks), *cmd]
    # Open MPI's TCP transport listens on every interface (port 1024 up); one host needs only shared memory.
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=environment(OMPI_MCA_btl="self,vader"), start_new_session=True)
    line = process.stdout.readline()
    assert "saxsdog endpoint tcp://127.0.0.1:" in line, line + process.stderr.read() if not line else line
    return process, line.split()[-1]


def stop(process):
    """SIGTERM to the server's processes (under mpirun, to its ranks: mpirun itself exits 1 when signalled)."""
    ranks = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    if "mpirun" in process.args[0] and ranks:
        for pid in ranks:
            os.kill(int(pid), signal.SIGTERM)
    else:
        process.send_signal(signal.SIGTERM)
    try:
        return process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        return process.communicate()


def listening_addresses(pid):
    """Local addresses of the TCP sockets of `pid` that listen (state 0A), from /proc/net/tcp and tcp6."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in open(table).read().splitlines()[1:]:
            fields = row.split()
            if fields[3] == "0A" and fields[9] in inodes:
                found.append(fields[1])
    return found


def stat(endpoint, secret):
    reply = leash(endpoint, secret, "stat")
    assert reply["result"] == "stat", reply
    return reply["data"]["stat"]


@pytest.mark.parametrize("ranks", [1, 2])
def test_saxsdog_client_and_feeder_drive_a_queue_and_every_negative_is_refused(tmp_path, ranks):
    secret = "s3cr3t-" + os.urandom(8).hex()
    base = tmp_path / "base"
    (base / "data").mkdir(parents=True)
    (tmp_path / "outside.tif").write_bytes(frame_bytes(7))
    net = write_net(tmp_path / "net.json", secret)
    feeder = zmq.Context.instance().socket(zmq.PUB)
    feeder_port = feeder.bind_to_random_port("tcp://127.0.0.1")
    out = tmp_path / "out"
    server, endpoint = start_serve(ranks, base, "--net", net, "--feeder", f"tcp://127.0.0.1:{feeder_port}", "--out", out,
                                   "--ready-timeout", 5)
    try:
        assert stat(endpoint, secret) == {}
        # Only the loopback interface listens (0100007F is 127.0.0.1 in /proc/net/tcp's byte order).
        pid = server.pid
        if ranks > 1:  # the beamforge child of mpirun that owns the socket
            children = subprocess.run(["pgrep", "-f", "-P", str(server.pid), "beamforge"], capture_output=True, text=True)
            pids = [int(p) for p in children.stdout.split()]
            pid = next(p for p in pids if listening_addresses(p))
        addresses = listening_addresses(pid)
        assert addresses and all(a.startswith("0100007F:") for a in addresses), addresses

        # Idle ranks sleep (a sleeping broadcast, 200 ms polls), not spin: under 20 % of a core each.
        ranks_pids = [pid] if ranks == 1 else [int(p) for p in subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()]

        def cpu_seconds(p):
            fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        start = {p: cpu_seconds(p) for p in ranks_pids}
        time.sleep(3)
        used = {p: cpu_seconds(p) - start[p] for p in ranks_pids}
        assert len(used) == ranks and all(u < 0.6 for u in used.values()), used

        # new: the calibration and its mask as a latin-1 attachment.
        cal = calibration(["data"])
        reply = leash(endpoint, secret, "new", {"calibration": cal}, [mask_attachment()], timeout=120)
        assert reply == {"result": "new queue", "data": {"cal": cal}}, reply
        got = leash(endpoint, secret, "get")
        assert got["result"] == "cal" and got["data"]["cal"] == cal
        assert got["data"]["attachments"][0]["data"].encode("latin-1") == MASK.read_bytes()
        first = leash(endpoint, secret, "plot")
        assert first["result"] == "Empty" and first["data"]["stat"]["images processed"] == 0

        # 5 frames, each announced by the feeder (paths relative to BASEDIR, as SAXSDog's feeder sends them);
        # events are sent again until counted (a subscriber may join late), and a repeat is integrated once.
        names = [f"f{k}.tif" for k in range(5)]
        for k, name in enumerate(names, start=1):
            (base / "data" / name).write_bytes(frame_bytes(k))

        def fed():
            for name in names:
                feeder.send_string(json.dumps({"command": "new file", "argument": f"data/{name}"}))
            return stat(endpoint, secret)["images processed"] == 5
        assert wait_for(fed, timeout=120, interval=1.0)
        s = stat(endpoint, secret)
        assert s["images processed"] == 5 and s["queue length"] == 0 and s["start time"] <= s["time"]

        queue = out / "queue-1"
        processed = (queue / "processed.lst").read_text().split()
        assert sorted(os.path.basename(p) for p in processed) == names and len(set(processed)) == 5

        # plot: the last frame's curve, exactly the numbers of its .chi file.
        plot = leash(endpoint, secret, "plot")
        assert plot["result"] == "plot", plot
        assert plot["data"]["filename"] == os.path.basename(processed[-1])
        chi = queue / "chi" / (os.path.splitext(plot["data"]["filename"])[0] + ".chi")
        graph = plot["data"]["graphs"][0]
        expected = np.loadtxt(chi, skiprows=4).T
        assert np.array_equal(np.array(graph["array"], dtype=float), expected, equal_nan=True)
        assert graph["Integparam"] == json.loads(chi.read_text().split("\n")[1])
        assert plot["data"]["stat"]["images processed"] == 5 and len(plot["data"]["history"]) == 5

        files = leash(endpoint, secret, "fileslist")
        assert files["result"] == "resultfileslists"
        assert sorted(os.path.basename(p) for p in files["data"]["fileslist"]["chi"]) == [n[:-4] + ".chi" for n in names]

        # The output equals a batch integrate of the same frames in the same order, with the same calibration.
        batch = tmp_path / "batch"
        r = integrate("--calibration", queue / "cal.json", "--chi", "--out", batch, f"@{queue / 'processed.lst'}")
        assert r.returncode == 0, r.stderr
        assert datasets(queue / "integrated.h5", "integrated") == datasets(batch / "integrated.h5", "integrated")
        for name in names:
            stem = name[:-4] + ".chi"
            assert (queue / "chi" / stem).read_bytes() == (batch / "chi" / stem).read_bytes(), stem

        # --- negatives: each refused or dropped; the next stat answers and nothing changes.
        def unchanged():
            assert stat(endpoint, secret)["images processed"] == 5

        assert leash(endpoint, "wrong", "stat") == {"result": "AuthenticationError", "data": {"Error": "Wrong signature."}}
        unchanged()
        stale = {"command": "stat", "argument": {}}
        addauthentication(stale, secret)
        stale["time"] -= 901
        stale["sign"] = ""
        stale["sign"] = hashlib.sha512(json.dumps(stale, sort_keys=True).encode() + secret.encode()).hexdigest()
        assert json.loads(send_raw(endpoint, [json.dumps(stale).encode()])) == \
            {"result": "AuthenticationError", "data": {"Error": "Untimely request."}}
        unchanged()
        unsigned = {"command": "stat", "argument": {}, "time": time.time()}
        assert json.loads(send_raw(endpoint, [json.dumps(unsigned).encode()])) == \
            {"result": "ServerError", "data": {"Error": "'sign'"}}
        reply = json.loads(send_raw(endpoint, [b"{not json"]))
        assert reply["result"] == "ValueError in request" and reply["data"]["Error"]
        assert leash(endpoint, secret, "rm") == {"result": "ErrorNotimplemented"}
        extra = addauthentication({"command": "stat", "argument": {}, "extra": 1}, secret)
        assert json.loads(send_raw(endpoint, [json.dumps(extra).encode()])) == \
            {"result": "ValidationError in request", "data": "Additional properties are not allowed ('extra' was unexpected)"}
        unchanged()
        # A replayed request: the same signed bytes again.
        captured = json.dumps(addauthentication({"command": "stat", "argument": {}}, secret)).encode()
        assert json.loads(send_raw(endpoint, [captured]))["result"] == "stat"
        assert json.loads(send_raw(endpoint, [captured])) == \
            {"result": "AuthenticationError", "data": {"Error": "Replayed request."}}
        # listdir stays inside BASEDIR.
        assert leash(endpoint, secret, "listdir", {"directory": [".."]})["result"] == "OSError"
        inside = leash(endpoint, secret, "listdir", {"directory": []})
        assert inside["result"] == "listdir" and inside["data"]["dircontent"] == [{"isdir": True, "path": "data"}]
        # Feeder paths outside the queue's folder (or not frames) are dropped.
        (base / "data" / "notes.txt").write_text("beam dump\n")
        for path in ["../outside.tif", str(tmp_path / "outside.tif"), "../../etc/passwd", "/etc/passwd",
                     "data/notes.txt", "data/../../outside.tif"]:
            feeder.send_string(json.dumps({"command": "new file", "argument": path}))
        feeder.send_string("not an event")
        time.sleep(1.5)
        unchanged()
        assert "outside" not in (queue / "processed.lst").read_text()
        assert "passwd" not in (queue / "rejected.csv").read_text()
        # An oversized message (over 256 MiB) drops the sender's connection: no reply, the server goes on.
        assert send_raw(endpoint, [b"x" * (257 << 20)], timeout=5) is None
        unchanged()

        # readdir takes the frames no event announced; close.
        (base / "data" / "late.tif").write_bytes(frame_bytes(6))
        assert leash(endpoint, secret, "readdir")["result"] == "queue restarted with all files"
        assert wait_for(lambda: stat(endpoint, secret)["images processed"] == 6, timeout=60, interval=0.5)
        # A new queue whose Directory leaves BASEDIR is refused and the queue goes on; a valid second new
        # replaces it (SAXSDog aborts the old queue), in a folder of its own.
        refused = leash(endpoint, secret, "new", {"calibration": calibration([".."])}, [mask_attachment()])
        assert refused["result"] == "Error" and "leaves the server's base directory" in refused["data"]["Error"]
        assert stat(endpoint, secret)["images processed"] == 6
        before = (queue / "integrated.h5").read_bytes()
        second = leash(endpoint, secret, "new", {"calibration": cal}, [mask_attachment()], timeout=120)
        assert second["result"] == "new queue"
        assert stat(endpoint, secret)["images processed"] == 0 and (out / "queue-2" / "cal.json").exists()
        assert (queue / "integrated.h5").read_bytes() == before
        closed = leash(endpoint, secret, "close")
        assert closed["result"] == "queue closed" and closed["data"]["stat"]["images processed"] == 0
    finally:
        stdout, stderr = stop(server)
        feeder.close()
    assert server.returncode == 0, stderr
    for crash in ("Backtrace", "Fatal error", "Program crashed"):
        assert crash not in stderr


def test_beamforge_leash_and_feeder_against_the_server(tmp_path):
    secret = os.urandom(16).hex()
    base = tmp_path / "base"
    (base / "data").mkdir(parents=True)
    net = write_net(tmp_path / "net.json", secret)
    cal_path = tmp_path / "cal.json"
    cal = calibration(["data"])
    cal["Masks"][0]["MaskFile"] = str(MASK)
    cal["Masks"].append(dict(cal["Masks"][0], PixelPerRadialElement=2))  # a second integration: <frame>_cR1.chi
    cal_path.write_text(json.dumps(cal))
    feeder = subprocess.Popen([BEAMFORGE, "feeder", base / "data", "--calibration", cal_path, "--replay", "1"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(),
                              start_new_session=True)
    line = feeder.stdout.readline()
    assert "publishing on tcp://127.0.0.1:" in line, line
    server, endpoint = start_serve(1, base, "--net", net, "--feeder", line.split()[-1], "--out", tmp_path / "out")

    def beamforge_leash(*args):
        r = subprocess.run([BEAMFORGE, "leash", *map(str, args), "--zmq", endpoint, "--net", net],
                           capture_output=True, text=True, env=environment(), timeout=150)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)

    try:
        assert beamforge_leash("stat") == {"result": "stat", "data": {"stat": {}}}
        assert beamforge_leash("new", cal_path)["result"] == "new queue"
        for k in range(2):
            (base / "data" / f"g{k}.tif").write_bytes(frame_bytes(k + 1))
        assert wait_for(lambda: beamforge_leash("stat")["data"]["stat"]["images processed"] == 2, timeout=90,
                        interval=0.5)
        plot = beamforge_leash("plot")
        assert plot["result"] == "plot" and [g["kind"] for g in plot["data"]["graphs"]] == ["Radial", "Radial"]
        chi = tmp_path / "out" / "queue-1" / "chi" / (plot["data"]["filename"][:-4] + "_cR1.chi")
        assert np.array_equal(np.array(plot["data"]["graphs"][1]["array"]), np.loadtxt(chi, skiprows=4).T, equal_nan=True)
        assert plot["data"]["graphs"][1]["mask"]["PixelPerRadialElement"] == 2
        # A wrong secret from beamforge leash is refused too.
        other = write_net(tmp_path / "other.json", "nope")
        r = subprocess.run([BEAMFORGE, "leash", "stat", "--zmq", endpoint, "--net", other], capture_output=True,
                           text=True, env=environment(), timeout=60)
        assert json.loads(r.stdout)["data"] == {"Error": "Wrong signature."}
    finally:
        _, stderr = stop(server)
        stop(feeder)
    assert server.returncode == 0, stderr


def test_bad_starts_are_one_line_errors(tmp_path):
    base = tmp_path / "base"
    base.mkdir()
    net = write_net(tmp_path / "net.json", "x")
    net.chmod(0o644)
    r = subprocess.run([BEAMFORGE, "serve", base, "--net", net], capture_output=True, text=True, env=environment())
    assert r.returncode == 2 and "group or others" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    net.chmod(0o600)
    r = subprocess.run([BEAMFORGE, "serve", tmp_path / "missing", "--net", net], capture_output=True, text=True,
                       env=environment())
    assert r.returncode == 2 and "BASEDIR" in r.stderr
    r = subprocess.run([BEAMFORGE, "netconf", "--new", "--file", tmp_path / "n2"], capture_output=True, text=True)
    assert r.returncode == 0 and oct((tmp_path / "n2").stat().st_mode & 0o777) == "0o600"
    entry = json.loads((tmp_path / "n2").read_text())[0]
    assert set(entry) == {"Server", "Feeder", "Secret", "Name"} and len(entry["Secret"]) == 64
    r = subprocess.run([BEAMFORGE, "netconf", "--new", "--file", tmp_path / "n2"], capture_output=True, text=True)
    assert r.returncode == 2 and "--force" in r.stderr
    # No server: SAXSDog's Timeout reply after --timeout, status 1.
    idle = zmq.Context.instance().socket(zmq.ROUTER)  # a bound port that never answers
    port = idle.bind_to_random_port("tcp://127.0.0.1")
    try:
        r = subprocess.run([BEAMFORGE, "leash", "stat", "--zmq", f"tcp://127.0.0.1:{port}", "--net", net, "--timeout", "1"],
                           capture_output=True, text=True, env=environment(), timeout=60)
    finally:
        idle.close()
    assert r.returncode == 1 and json.loads(r.stdout) == {"result": "Error", "data": {"Error": "Timeout"}}


def test_watch_takes_the_frames_that_appear_in_the_queue_folder(tmp_path):
    """serve --watch: frames written into the queue's folder (one in a sub-folder made later, one never complete)
    are integrated once each without feeder events; the incomplete one goes to rejected.csv."""
    secret = os.urandom(16).hex()
    base = tmp_path / "base"
    (base / "data").mkdir(parents=True)
    net = write_net(tmp_path / "net.json", secret)
    out = tmp_path / "out"
    server, endpoint = start_serve(1, base, "--net", net, "--watch", "--out", out, "--ready-timeout", 2)
    try:
        cal = calibration(["data"])
        assert leash(endpoint, secret, "new", {"calibration": cal}, [mask_attachment()], timeout=120)["result"] == "new queue"
        (base / "data" / "a.tif").write_bytes(frame_bytes(1))
        (base / "data" / "sub").mkdir()
        time.sleep(0.3)
        (base / "data" / "sub" / "b.tif").write_bytes(frame_bytes(2))
        (base / "data" / "t.tif").write_bytes(frame_bytes(3)[:1_000_000])
        assert wait_for(lambda: stat(endpoint, secret)["images processed"] == 2, timeout=60, interval=0.5)
        queue = out / "queue-1"
        assert wait_for(lambda: "t.tif" in (queue / "rejected.csv").read_text(), timeout=30, interval=0.5)
        time.sleep(1)
        assert stat(endpoint, secret)["images processed"] == 2
        assert sorted(os.path.relpath(p, base / "data") for p in (queue / "processed.lst").read_text().split()) \
            == ["a.tif", "sub/b.tif"]
        assert (queue / "chi" / "sub" / "b.chi").exists()
    finally:
        _, stderr = stop(server)
    assert server.returncode == 0, stderr
