#!/usr/bin/env python3
"""bench/stream/rtmp_hls_bench.py: forumcast's RTMP->HLS ingest against nginx
with the RTMP module, side by side in one run, fed the same 720p30 push.

Both servers run on loopback ports, each fed by its own `ffmpeg -re -c copy`
publisher of the same generated clip (1280x720, 30 fps, 1 s GOP, ~3 Mbit/s
H.264 + AAC), at the same time. Measured per server process: CPU (utime+stime
over the push, % of one core), peak RSS (VmHWM), time from starting the
publisher to the first playlist on disk, and the segment cadence (EXTINF of
every segment written). forumcast also records (segments kept + event
playlist), nginx-rtmp only does HLS.

Usage: bench/stream/rtmp_hls_bench.py [--server PATH] [--seconds N]
  --server  stream_test_server built Release (default: build/stream-release/...)
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
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="forumcast-bench-stream-")
    procs = []
    try:
        clip = os.path.join(tmp, "clip720p30.mp4")
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                        "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=440",
                        "-c:v", "libx264", "-preset", "veryfast", "-b:v", "3M", "-maxrate", "3M", "-bufsize", "3M",
                        "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-c:a", "aac", "-b:a", "128k",
                        "-t", str(args.seconds), clip], check=True)

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
        start_ticks = {k: cpu_ticks(v[0]) for k, v in targets.items()}
        t0 = time.monotonic()
        pushers = {k: subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-i", clip, "-c", "copy",
                                        "-f", "flv", v[1]]) for k, v in targets.items()}
        procs.extend(pushers.values())
        first = {}
        nginx_durs = {}
        while len(first) < len(targets) or any(p.poll() is None for p in pushers.values()):
            now = time.monotonic()
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
        cpu = {k: (cpu_ticks(v[0]) - start_ticks[k]) / CLK / wall * 100 for k, v in targets.items()}
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
        health = [l for l in open(fout.name).read().splitlines() if l.startswith("health")]
        if health:
            print("forumcast's own report (publish accepted -> first playlist):",
                  re.search(r"first_playlist_ms=(\d+)", health[0]).group(1), "ms")
        print("forumcast also wrote the recording (segments kept, event playlist, recording.json); nginx-rtmp: HLS only")
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
