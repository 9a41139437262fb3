"""A real single-node Slurm (slurmctld + slurmd on localhost, auth/none) running every sbatch template on tiny
inputs, with mpirun and with srun."""
import json
import os
import shutil
import signal
import socket
import subprocess
import time

import h5py
import pytest

from conftest import ROOT, environment, saxsdog_calibration, wait_for
from nexus import write_scan

FIXTURES = ROOT / "Tests" / "Fixtures" / "saxsdog"
SMALL_MASK = ["--set", "stripe_mask.size=10", "--set", "stripe_mask.min_length=20", "--set", "stripe_mask.min_depth=6",
              "--set", "stripe_mask.min_width=4"]


def ensure_slurm():
    if shutil.which("slurmctld") and shutil.which("slurmd"):
        return
    if os.geteuid() != 0:
        pytest.fail("slurm-wlm is not installed and installing it needs root")
    subprocess.run(["apt-get", "update", "-qq"], check=True, capture_output=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "slurm-wlm"], check=True, capture_output=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def node_line():
    """This machine as slurmd sees it (CPUs, sockets, memory), so the node is not drained for a mismatch."""
    line = subprocess.run(["slurmd", "-C"], capture_output=True, text=True, check=True).stdout.splitlines()[0]
    fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
    return (f"NodeName={fields['NodeName']} NodeAddr=127.0.0.1 CPUs={fields['CPUs']} "
            f"Boards={fields.get('Boards', 1)} SocketsPerBoard={fields.get('SocketsPerBoard', 1)} "
            f"CoresPerSocket={fields.get('CoresPerSocket', 1)} ThreadsPerCore={fields.get('ThreadsPerCore', 1)} "
            f"RealMemory={int(fields.get('RealMemory', 1000)) // 2} State=UNKNOWN"), fields["NodeName"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    ensure_slurm()
    base = tmp_path_factory.mktemp("slurm")
    for d in ("state", "spool", "log"):
        (base / d).mkdir()
    node, name = node_line()
    conf = base / "slurm.conf"
    conf.write_text(f"""ClusterName=beamforgetest
SlurmctldHost={name}(127.0.0.1)
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
AuthType=auth/none
CredType=cred/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation={base}/state
SlurmdSpoolDir={base}/spool
SlurmctldPidFile={base}/slurmctld.pid
SlurmdPidFile={base}/slurmd.pid
SlurmctldLogFile={base}/log/slurmctld.log
SlurmdLogFile={base}/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
{node}
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
""")
    env = environment(SLURM_CONF=str(conf))
    daemons = [subprocess.Popen([daemon, "-D", "-f", str(conf)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
               for daemon in ("slurmctld", "slurmd")]
    try:
        def idle():
            r = subprocess.run(["sinfo", "-h", "-o", "%t"], capture_output=True, text=True, env=env)
            return r.returncode == 0 and r.stdout.strip() == "idle"
        if not wait_for(idle, timeout=60, interval=0.5):
            logs = "\n".join((base / "log" / f).read_text()[-2000:] for f in ("slurmctld.log", "slurmd.log")
                             if (base / "log" / f).exists())
            pytest.fail(f"the Slurm node did not become idle:\n{logs}")
        yield env, base
    finally:
        for daemon in daemons:  # stop exactly the daemons this test started
            daemon.send_signal(signal.SIGTERM)
        for daemon in daemons:
            try:
                daemon.wait(timeout=30)
            except subprocess.TimeoutExpired:
                daemon.kill()


def sbatch(env, workdir, script, *args, options=(), timeout=600):
    """Submits `script` with `sbatch --wait` (and sbatch `options`) from `workdir`; returns the exit status and the
    job's log."""
    r = subprocess.run(["sbatch", "--wait", *options, "--chdir", str(workdir), "--output", str(workdir / "job.log"),
                        str(script), *args], capture_output=True, text=True, env=env, timeout=timeout)
    log = (workdir / "job.log").read_text() if (workdir / "job.log").exists() else ""
    return r.returncode, f"{r.stdout}{r.stderr}\n{log}"


def test_sbatch_template_runs_saxs_on_two_tasks(cluster, tmp_path):
    env, base = cluster
    out = tmp_path / "out"
    env = dict(env, BEAMFORGE_HOME=str(ROOT), OUT=str(out))
    status, log = sbatch(env, tmp_path, ROOT / "slurm" / "saxs.sbatch", "--n", "500", "--seed", "11")
    assert status == 0, log
    assert "mpirun -np 2" in log
    with h5py.File(out / "saxs.h5", "r") as f:
        assert f["saxs/I"].shape[0] == 500
        assert f["progress/done"][()].all()
        assert json.loads(f.attrs["runs"])[-1]["ranks"] == 2
    assert len((out / "meta.csv").read_text().splitlines()) == 501


def test_srun_template_launches_through_pmix(cluster, tmp_path):
    env, base = cluster
    out = tmp_path / "out"
    env = dict(env, BEAMFORGE_HOME=str(ROOT), OUT=str(out), LAUNCHER="srun")
    status, log = sbatch(env, tmp_path, ROOT / "slurm" / "saxs.sbatch", "--n", "200", "--seed", "11")
    assert status == 0, log
    assert "srun --mpi=pmix" in log
    with h5py.File(out / "saxs.h5", "r") as f:
        assert json.loads(f.attrs["runs"])[-1]["ranks"] == 2


def tiny_inputs(directory):
    """Arguments of each template's tiny run, and the file it writes."""
    calibration = saxsdog_calibration(directory)
    frames = directory / "frames"
    frames.mkdir()
    for k in range(3):
        shutil.copy(FIXTURES / "buf1_00000.tif", frames / f"f_{k:05d}.tif")
    write_scan(directory / "100.nxs", seed=1, layout="both")
    return {
        "tomo": (["--set", "size=32", "--set", "samples=2", "--set", "mode=simple"], "tomo.h5"),
        "integrate": (["--calibration", str(calibration), str(frames)], "integrated.h5"),
        "mask": ([str(directory / "100.nxs"), *SMALL_MASK], "mask.h5"),
        "stack": ([str(directory / "100.nxs"), "--mode", "paired", "--set", "output_shape=[30,32]", *SMALL_MASK],
                  "stack.h5"),
    }


@pytest.mark.parametrize("launcher", ["mpirun", "srun"])
def test_every_template_runs_its_workload(cluster, tmp_path, launcher):
    """Each workload's template on a tiny input with both launchers: two ranks, a complete output, and progress in
    the job log (the templates no longer silence it)."""
    env, base = cluster
    for job, (args, name) in tiny_inputs(tmp_path).items():
        work = tmp_path / job
        work.mkdir()
        out = work / "out"
        job_env = dict(env, BEAMFORGE_HOME=str(ROOT), OUT=str(out), LAUNCHER=launcher)
        # Two tasks: the templates ask for more than this test node may have.
        status, log = sbatch(job_env, work, ROOT / "slurm" / f"{job}.sbatch", *args, options=["--ntasks=2"],
                             timeout=180)
        assert status == 0, f"{job}: {log}"
        assert f"beamforge: {'mpirun -np 2' if launcher == 'mpirun' else 'srun --mpi=pmix'}" in log, log
        assert "progress:" in log and "(100.0%)" in log, f"{job}: no progress line in the job log\n{log}"
        with h5py.File(out / name, "r") as f:
            assert f["progress/done"][()].all()
            assert json.loads(f.attrs["runs"])[-1]["ranks"] == 2


def test_a_job_above_its_memory_allocation_is_refused(cluster, tmp_path):
    """`sbatch --mem=256M` and a run estimated at 2 × 424 MiB: exit 2 before any output, naming the limit."""
    env, base = cluster
    out = tmp_path / "out"
    env = dict(env, BEAMFORGE_HOME=str(ROOT), OUT=str(out))
    status, log = sbatch(env, tmp_path, ROOT / "slurm" / "tomo.sbatch", "-N", "128",
                         options=["--mem=256M", "--ntasks=2"], timeout=180)
    assert status == 2, log
    errors = [line for line in log.splitlines() if "beamforge: error" in line]
    assert len(errors) == 1 and "more than its 256.0 MiB" in errors[0], log
    assert not (out / "tomo.h5").exists() and not (out / "tomo.h5.partial").exists()


def test_a_singleton_in_a_multi_task_allocation_is_refused(cluster, tmp_path):
    """A size-1 MPI world where Slurm allotted 2 tasks (what a launcher that starts independent singletons gives)
    would write the whole dataset on its own: beamforge refuses before any work."""
    env, base = cluster
    script = tmp_path / "singleton.sbatch"
    script.write_text(f"""#!/usr/bin/env bash
#SBATCH --ntasks=2
source {ROOT}/scripts/mpi-env
{ROOT}/.build/release/beamforge saxs --n 10 --out {tmp_path}/out --no-progress
""")
    status, log = sbatch(env, tmp_path, script)
    assert status != 0, log
    assert "SLURM_NTASKS=2 but the MPI world has size 1" in log, log
    assert not (tmp_path / "out" / "saxs.h5").exists()
