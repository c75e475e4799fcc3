-- wrk script for bench/web.py: POST the form body in BENCH_BODY (url-encoded, with the
-- CSRF token); the session cookie comes on the command line (-H "Cookie: ...").
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or ""
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
