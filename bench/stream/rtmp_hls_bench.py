#!/usr/bin/env python3
"""bench/stream/rtmp_hls_bench.py: forumcast's RTMP->HLS ingest against nginx
with the RTMP module, side by side in one run, fed the same 720p30 push.

Both servers run on loopback ports, each fed by its own `ffmpeg -re -c copy`
publisher of the same generated clip (1280x720, 30 fps, 1 s GOP, ~3 Mbit/s
H.264 + AAC), at the same time. Measured per server process: CPU (ns on CPU of
all its threads from /proc/<pid>/task/*/schedstat over the push, % of one core;
the 10 ms-tick utime+stime figure is printed too), peak RSS (VmHWM), time from starting the
publisher to the first playlist on disk, and the segment cadence (EXTINF of
every segment written). forumcast also records (segments kept + event
playlist), nginx-rtmp only does HLS.

Usage: bench/stream/rtmp_hls_bench.py [--server PATH] [--seconds N] [--runs N] [--perf FILE]
  --server  stream_test_server built Release (default: build/stream-release/...)
  --runs    repeat the side-by-side push N times (one clip) and print the CPU ratios
  --perf    `perf record -g` the forumcast process during the first push (perf report -i FILE)
Nothing leaves 127.0.0.1; every process started here is stopped by its pid.
"""
import argparse, os, re, shutil, signal, socket, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLK = os.sysconf("SC_CLK_TCK")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


class CpuMeter:
    """CPU time of a process in ns, from every thread's /proc/<pid>/task/<tid>/schedstat
    (ns on CPU; /proc/<pid>/stat counts 10 ms ticks, too coarse for ~0.2 s over a push).
    Sampled in the bench's 5 ms loop: a thread that exits keeps its last sample."""

    def __init__(self, pid):
        self.pid, self.seen = pid, {}
        self.sample()
        self.base = sum(self.seen.values())

    def sample(self):
        try:
            tids = os.listdir(f"/proc/{self.pid}/task")
        except OSError:
            return
        for t in tids:
            try:
                with open(f"/proc/{self.pid}/task/{t}/schedstat") as f:
                    self.seen[t] = int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass

    def used_s(self):
        return (sum(self.seen.values()) - self.base) / 1e9


def peak_rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        m = re.search(r"VmHWM:\s+(\d+)", f.read())
    return int(m.group(1)) if m else 0


def wait_for(pred, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.005)
    return False


def extinfs(path):
    try:
        return [float(x) for x in re.findall(r"#EXTINF:([\d.]+)", open(path).read())]
    except OSError:
        return []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", default=os.path.join(ROOT, "build/stream-release/tests/integration/stream/stream_test_server"))
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--runs", type=int, default=1, help="repeat the side-by-side push (same clip)")
    ap.add_argument("--perf", default="", help="perf record -g forumcast during the push into this file")
    args = ap.parse_args()
    top = tempfile.mkdtemp(prefix="forumcast-bench-stream-")
    try:
        clip = os.path.join(top, "clip720p30.mp4")
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                        "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=440",
                        "-c:v", "libx264", "-preset", "veryfast", "-b:v", "3M", "-maxrate", "3M", "-bufsize", "3M",
                        "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-c:a", "aac", "-b:a", "128k",
                        "-t", str(args.seconds), clip], check=True)
        ratios = []
        for i in range(args.runs):
            ratios.append(run_once(args, clip, os.path.join(top, f"run{i}"), i == 0 and args.perf))
        if len(ratios) > 1:
            print(f"CPU forumcast / nginx-rtmp per run: {' '.join(f'{r:.2f}' for r in ratios)}; "
                  f"median {sorted(ratios)[len(ratios) // 2]:.2f}")
    finally:
        shutil.rmtree(top, ignore_errors=True)


def run_once(args, clip, tmp, perf_out):
    os.makedirs(tmp)
    procs = []
    try:
        # nginx-rtmp, one process (master_process off) so its CPU is one pid's
        nport = free_port()
        nhls = os.path.join(tmp, "nginx-hls")
        os.makedirs(nhls)
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
daemon off; master_process off; worker_processes 1;
pid {tmp}/nginx.pid; error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 64; }}
rtmp {{ server {{ listen 127.0.0.1:{nport}; chunk_size 4096;
  application live {{ live on; record off; hls on; hls_path {nhls};
    hls_fragment 1s; hls_playlist_length 6s; }} }} }}
""")
        nginx = subprocess.Popen(["nginx", "-c", conf, "-p", tmp], stderr=subprocess.DEVNULL)
        procs.append(nginx)

        fdata = os.path.join(tmp, "forumcast")
        fout = open(os.path.join(tmp, "forumcast.out"), "w+")
        fc = subprocess.Popen([args.server, fdata, "benchkey=benchforum"], stdout=fout, stderr=subprocess.STDOUT)
        procs.append(fc)
        fport = None

        def read_port():
            nonlocal fport
            fout.flush()
            m = re.search(r"^port (\d+)", open(fout.name).read(), re.M)
            fport = int(m.group(1)) if m else None
            return fport is not None
        if not wait_for(read_port, 10):
            sys.exit("forumcast stream server did not start")
        if not wait_for(lambda: subprocess.run(["bash", "-c", f"exec 3<>/dev/tcp/127.0.0.1/{nport}"],
                                               stderr=subprocess.DEVNULL).returncode == 0, 10):
            sys.exit("nginx did not start")

        targets = {
            "forumcast": (fc.pid, f"rtmp://127.0.0.1:{fport}/live/benchkey",
                          os.path.join(fdata, "hls/benchforum/index.m3u8"), os.path.join(fdata, "recordings/benchforum/index.m3u8")),
            "nginx-rtmp": (nginx.pid, f"rtmp://127.0.0.1:{nport}/live/bench",
                           os.path.join(nhls, "bench.m3u8"), None),
        }
        if perf_out:
            procs.append(subprocess.Popen(["perf", "record", "-q", "-F", "999", "-g", "-p", str(fc.pid), "-o", perf_out],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        start_ticks = {k: cpu_ticks(v[0]) for k, v in targets.items()}
        meters = {k: CpuMeter(v[0]) for k, v in targets.items()}
        t0 = time.monotonic()
        pushers = {k: subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-i", clip, "-c", "copy",
                                        "-f", "flv", v[1]]) for k, v in targets.items()}
        procs.extend(pushers.values())
        first = {}
        nginx_durs = {}
        while len(first) < len(targets) or any(p.poll() is None for p in pushers.values()):
            now = time.monotonic()
            for m in meters.values():
                m.sample()
            for k, v in targets.items():
                if k not in first and os.path.exists(v[2]):
                    first[k] = now - t0
            # nginx keeps only a window: collect every segment it lists while live
            for line in re.findall(r"#EXTINF:([\d.]+),\n(\S+)", open(targets["nginx-rtmp"][2]).read()
                                   if os.path.exists(targets["nginx-rtmp"][2]) else ""):
                nginx_durs[line[1]] = float(line[0])
            if now - t0 > args.seconds + 20:
                break
            time.sleep(0.005)
        wall = time.monotonic() - t0
        for m in meters.values():
            m.sample()
        cpu = {k: meters[k].used_s() / wall * 100 for k in targets}
        cpu_ticks_pct = {k: (cpu_ticks(v[0]) - start_ticks[k]) / CLK / wall * 100 for k, v in targets.items()}
        rss = {k: peak_rss_kb(v[0]) / 1024 for k, v in targets.items()}
        cadence = {"forumcast": extinfs(targets["forumcast"][3]), "nginx-rtmp": list(nginx_durs.values())}

        print(f"RTMP -> HLS, 720p30 ~3 Mbit/s H.264 + AAC, {args.seconds} s push each, both at once, "
              f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M:%S')}")
        print(f"{'server':<12} {'CPU % core':>10} {'peak RSS MiB':>13} {'first playlist s':>17} "
              f"{'segments':>8} {'seg mean s':>10} {'seg min..max s':>15}")
        for k in targets:
            d = cadence[k][:-1] or cadence[k]  # the last segment is cut short by the end of the push
            mean = sum(d) / len(d) if d else 0
            print(f"{k:<12} {cpu[k]:>10.2f} {rss[k]:>13.1f} {first.get(k, float('nan')):>17.2f} {len(cadence[k]):>8} "
                  f"{mean:>10.3f} {(min(d) if d else 0):>7.3f}..{(max(d) if d else 0):<6.3f}")
        fpl = re.findall(r"^health .*first_playlist_ms=(\d+)", open(fout.name).read(), re.M)
        if fpl:
            print("forumcast's own report (publish accepted -> first playlist):", fpl[0], "ms")
        print("CPU from /proc/<pid>/stat ticks (10 ms resolution), % core: " +
              ", ".join(f"{k} {v:.2f}" for k, v in cpu_ticks_pct.items()))
        ratio = cpu["forumcast"] / cpu["nginx-rtmp"] if cpu["nginx-rtmp"] > 0 else float("nan")
        print(f"CPU ratio forumcast / nginx-rtmp: {ratio:.2f}")
        print("forumcast also wrote the recording (segments kept, event playlist, recording.json); nginx-rtmp: HLS only")
        return ratio
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.send_signal(signal.SIGINT if p.args[0] == "perf" else signal.SIGTERM)
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
