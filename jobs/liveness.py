"""Which process runs a job, and whether that process is still alive.

A job's heartbeat is a database write, and a database cannot always take one: on SQLite a file
being imported holds the one write lock until it commits. So a running job also records the
process that runs it (`Job.worker`), and the stale check asks the operating system before it
trusts an old heartbeat: a job whose worker process is alive on this machine is never failed.

The identity names the process precisely enough that a recycled pid is not mistaken for it:
host name, boot id and pid namespace (a container, or a reboot, is another place), then the
pid and the process's start time since boot (`/proc/<pid>/stat`, field 22). Where /proc is
missing (not Linux) it is host name and pid, checked with signal 0.
"""

import os
import socket
from functools import cache
from pathlib import Path

PROC = Path("/proc")


def read_start_ticks(pid: int) -> str | None:
    """Return when process `pid` started, in clock ticks since boot, or None if it is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces and parentheses.
    state, *fields = stat[stat.rindex(")") + 2 :].split()
    # A zombie has exited; only its parent has not collected its exit status yet.
    return None if state in ("Z", "X") else fields[18]


@cache
def this_place() -> str:
    """Return where this process runs: host, boot and pid namespace (host alone off Linux)."""
    parts = [socket.gethostname()]
    try:
        parts.append((PROC / "sys/kernel/random/boot_id").read_text().strip())
        parts.append(os.readlink(PROC / "self/ns/pid"))
    except OSError:
        pass
    return "/".join(parts)


def this_process() -> str:
    """Return the identity of this process, as a running job records it in `Job.worker`:
    "<place> <pid> <start ticks>" ("-" for a start time that cannot be read)."""
    pid = os.getpid()
    return f"{this_place()} {pid} {read_start_ticks(pid) or '-'}"


def is_alive_here(identity: str) -> bool:
    """Return whether `identity` names a process of this place that is still running.

    False for another place's process too: this machine cannot tell, the heartbeat decides.
    """
    try:
        place, pid_text, start = identity.rsplit(" ", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    if place != this_place():
        return False
    if start != "-":
        return read_start_ticks(pid) == start
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process, alive
    return True
