"""Command-line checks (API.md section 4)."""
import subprocess


def run(binary, args, timeout=30):
    p = subprocess.run([binary] + args, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def check_cli(suite, binary):
    code, out, err = run(binary, ["cron", "*/15 * * * *", "--from", "2026-01-01T00:00:00Z", "--count", "3"])
    suite.eq("cron */15 --count 3 -> exactly three lines, exit 0", (code, out),
             (0, "2026-01-01T00:15:00.000Z\n2026-01-01T00:30:00.000Z\n2026-01-01T00:45:00.000Z\n"))
    code, out, err = run(binary, ["cron", "0 0 * * *", "--from", "2026-01-01T00:00:00Z"])
    suite.eq("cron default count 5", (code, out.splitlines()),
             (0, ["2026-01-0%dT00:00:00.000Z" % d for d in range(2, 7)]))
    code, out, err = run(binary, ["cron", "0 9 * * *", "--tz", "America/New_York", "--from", "2026-01-01T00:00:00Z",
                                  "--count", "2"])
    suite.eq("cron --tz America/New_York", (code, out.splitlines()),
             (0, ["2026-01-01T14:00:00.000Z", "2026-01-02T14:00:00.000Z"]))
    code, out, err = run(binary, ["cron", "30 2 * * *", "--tz", "America/New_York", "--from", "2026-03-08T00:00:00Z",
                                  "--count", "2"])
    suite.eq("cron DST: 02:30 on the spring-forward day runs right after the change (03:00 EDT = 07:00Z)",
             (code, out.splitlines()), (0, ["2026-03-08T07:00:00.000Z", "2026-03-09T06:30:00.000Z"]))
    code, out, err = run(binary, ["cron", "0 0 */2 * 1", "--from", "2026-01-01T00:00:00Z", "--count", "3"])
    suite.eq("cron '0 0 */2 * 1' = odd days that are Mondays (Vixie)", (code, out.splitlines()),
             (0, ["2026-01-05T00:00:00.000Z", "2026-01-19T00:00:00.000Z", "2026-02-09T00:00:00.000Z"]))
    code, out, err = run(binary, ["cron", "@hourly", "--from", "2026-01-01T00:00:00Z", "--count", "1"])
    suite.eq("cron @hourly", (code, out), (0, "2026-01-01T01:00:00.000Z\n"))
    code, out, err = run(binary, ["cron", "0 25 * * *"])
    suite.eq("cron invalid hour -> exit 2, nothing on stdout", (code, out), (2, ""))
    suite.check("cron invalid hour -> stderr names 'hour: 25 is out of range 0-23'",
                "hour: 25 is out of range 0-23" in err, "hour: 25 is out of range 0-23", err)
    code, out, err = run(binary, ["cron", "* * *"])
    suite.check("cron with 3 fields -> exit 2 and a reason", code == 2 and err.strip() != "", "exit 2 + stderr",
                (code, err))
    code, out, err = run(binary, ["cron", "0 0 * * *", "--tz", "Mars/Olympus"])
    suite.check("cron invalid --tz -> exit 2 naming the zone (interpretation)", code == 2 and "Mars/Olympus" in err,
                "exit 2", (code, err))
    code, out, err = run(binary, ["--help"])
    suite.check("--help -> exit 0 with usage", code == 0 and "usage" in (out + err).lower(), "exit 0, usage",
                (code, (out + err)[:100]))
    for args in (["--bogus"], ["serve", "--bogus"], ["cron", "* * * * *", "--bogus"], ["frobnicate"]):
        code, out, err = run(binary, args)
        suite.check("%s -> exit 2 with a message on stderr" % " ".join(args), code == 2 and err.strip() != "",
                    "exit 2", (code, err[:120]))
    code, out, err = run(binary, ["cron", "* * * * *", "--count", "x"])
    suite.eq("cron --count x -> exit 2", code, 2)
