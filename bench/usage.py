"""CPU time and memory of the bench and of the server, as the kernel counts them."""
import os
import resource

CLOCK_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def raise_open_files_limit():
    """Lets this process (and the server it starts, which inherits it) open as
    many sockets as the hard limit allows; returns the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    ceiling = hard
    if hard == resource.RLIM_INFINITY:
        with open("/proc/sys/fs/nr_open") as nr_open:  # the kernel's own ceiling
            ceiling = int(nr_open.read())
    if soft < ceiling:
        resource.setrlimit(resource.RLIMIT_NOFILE, (ceiling, hard))
    return ceiling


def bench_cpu_seconds():
    """User plus system CPU seconds this process has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def server_cpu_seconds(pid):
    """User plus system CPU seconds process `pid` has used so far (/proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        text = stat.read()
    # Fields 14 and 15 (utime, stime); the command name in field 2 may hold
    # spaces, so count from the ")" that ends it, where field 3 starts.
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[14 - 3]) + int(fields[15 - 3])) / CLOCK_TICKS_PER_SECOND


def server_rss_kb(pid):
    """Resident memory of process `pid`, in KB (VmRSS in /proc/PID/status)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


class CpuMeter:
    """The CPU seconds the server and the bench spend from its creation on."""

    def __init__(self, server_pid):
        self.server_pid = server_pid
        self._bench_start = bench_cpu_seconds()
        self._server_start = server_cpu_seconds(server_pid) if server_pid else None

    def spent(self):
        """{"server_cpu_s": ..., "bench_cpu_s": ...} so far; the server's is None without its pid."""
        server = None
        if self.server_pid:
            server = round(server_cpu_seconds(self.server_pid) - self._server_start, 3)
        return {"server_cpu_s": server, "bench_cpu_s": round(bench_cpu_seconds() - self._bench_start, 3)}


def listens_on(pid, port):
    """Whether process `pid` holds the socket listening on TCP `port` (so --pid names the right server)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            next(lines)  # the header
            for line in lines:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == port and fields[3] == "0A":  # 0A: LISTEN
                    inodes.add(f"socket:[{fields[9]}]")
    try:
        descriptors = os.listdir(f"/proc/{pid}/fd")
    except OSError:  # no such process, or not ours to look into
        return False
    for descriptor in descriptors:
        try:
            if os.readlink(f"/proc/{pid}/fd/{descriptor}") in inodes:
                return True
        except OSError:
            continue  # closed meanwhile
    return False
