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


CRON_TABLE = [
    # (expression, tz, from, expected fire times)
    ("0 0 * JAN-MAR mon", None, "2026-01-01T00:00:00Z", ["2026-01-05", "2026-01-12"]),
    ("0 0 * jan-mar MON", None, "2026-01-01T00:00:00Z", ["2026-01-05", "2026-01-12"]),
    ("0 0 * * 7", None, "2026-01-01T00:00:00Z", ["2026-01-04", "2026-01-11"]),
    ("0 0 * * 0", None, "2026-01-01T00:00:00Z", ["2026-01-04", "2026-01-11"]),
    ("0 0 L * *", None, "2026-01-01T00:00:00Z", ["2026-01-31", "2026-02-28", "2026-03-31"]),
    ("0 0 15W * *", None, "2026-01-01T00:00:00Z", ["2026-01-15", "2026-02-16", "2026-03-16"]),
    ("0 0 1W * *", None, "2026-07-15T00:00:00Z", ["2026-08-03"]),
    ("0 0 * * 5#2", None, "2026-01-01T00:00:00Z", ["2026-01-09", "2026-02-13"]),
    ("0 0 * * 1L", None, "2026-01-01T00:00:00Z", ["2026-01-26", "2026-02-23"]),
    ("0\t0\t*\t*\t*", None, "2026-01-01T00:00:00Z", ["2026-01-02"]),
    ("0 0 13 * 5", None, "2026-01-01T00:00:00Z", ["2026-01-02", "2026-01-09", "2026-01-13"]),
    ("0 0 29 2 *", None, "2026-01-01T00:00:00Z", ["2028-02-29"]),
    ("0 0 31 * *", None, "2026-01-01T00:00:00Z", ["2026-01-31", "2026-03-31", "2026-05-31"]),
    ("@yearly", None, "2026-01-01T00:00:00Z", ["2027-01-01"]),
    ("@annually", None, "2026-01-01T00:00:00Z", ["2027-01-01"]),
    ("@monthly", None, "2026-01-01T00:00:00Z", ["2026-02-01"]),
    ("@weekly", None, "2026-01-01T00:00:00Z", ["2026-01-04"]),
    ("@daily", None, "2026-01-01T00:00:00Z", ["2026-01-02"]),
    ("@midnight", None, "2026-01-01T00:00:00Z", ["2026-01-02"]),
]
CRON_TIMES = [
    ("0-30/15 9 1,15 * *", None, "2026-01-01T00:00:00Z",
     ["2026-01-01T09:00", "2026-01-01T09:15", "2026-01-01T09:30", "2026-01-15T09:00"]),
    ("*/20 * * * * *", None, "2026-01-01T00:00:00Z", ["2026-01-01T00:00:20", "2026-01-01T00:00:40"]),
    ("30 1 * * *", "America/New_York", "2026-11-01T00:00:00Z", ["2026-11-01T05:30", "2026-11-02T06:30"]),
    ("*/30 1 * * *", "America/New_York", "2026-11-01T00:00:00Z",
     ["2026-11-01T05:00", "2026-11-01T05:30", "2026-11-01T06:00", "2026-11-01T06:30"]),
    ("*/30 2 * * *", "America/New_York", "2026-03-08T00:00:00Z", ["2026-03-09T06:00"]),
    ("0 9 * * *", "Europe/Berlin", "2026-06-01T00:00:00Z", ["2026-06-01T07:00"]),
]
CRON_INVALID = [("0 0 32 * *", "32 is out of range 1-31"), ("60 * * * *", "60 is out of range 0-59"),
                ("* * * 13 *", "13 is out of range 1-12"), ("* * * * 8", "8 is out of range 0-7"),
                ("*/0 * * * *", None), ("abc", None), ("", None), ("0 0 * * 5#6", None), ("1-2-3 * * * *", None)]


def check_cron_table(suite, binary):
    def full(x):
        if len(x) == 10:
            x += "T00:00"
        if len(x) == 16:
            x += ":00"
        return x + ".000Z"

    for expr, tz, start, expected in CRON_TABLE + CRON_TIMES:
        args = ["cron", expr, "--from", start, "--count", str(len(expected))] + (["--tz", tz] if tz else [])
        code, out, err = run(binary, args)
        suite.eq("cron %r%s from %s" % (expr, " --tz " + tz if tz else "", start), (code, out.splitlines()),
                 (0, [full(x) for x in expected]))
    for expr, needle in CRON_INVALID:
        code, out, err = run(binary, ["cron", expr])
        suite.check("cron %r -> exit 2, reason on stderr%s" % (expr, " mentioning %r" % needle if needle else ""),
                    code == 2 and out == "" and err.strip() and (needle is None or needle in err),
                    "exit 2, %s" % needle, (code, out, err.strip()))
